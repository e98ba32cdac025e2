// A commitment with a cue time and the private "remind me" choice: the time is part of the commitment everyone who
// may see it hears of; whether someone asked to be reminded is theirs alone (no event, no push, no field anywhere).
// node cue-reminder.mjs <baseUrl> <circleId>
//   circle: facilitator (facilitator), maker and peer (members).  outsider: in no circle here.
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MAKER, BSG_TOKEN_PEER, BSG_TOKEN_OUTSIDER
import { args, connectAs, entries, run } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const f = await connectAs("facilitator");
  const maker = await connectAs("maker");
  const peer = await connectAs("peer");
  for (const c of [f, maker, peer]) await c.invoke("JoinCircle", circleId, 0);

  const refused = {};
  refused.badTime = await maker.attempt("MakeCommitment", circleId, entries.makeCommitment({ cueTime: "8am", remindMe: true }));
  refused.remindWithoutTime = await maker.attempt("MakeCommitment", circleId, entries.makeCommitment({ remindMe: true }));
  refused.timeOfWrongType = await maker.attempt("MakeCommitment", circleId, entries.makeCommitment({ cueTime: 800 }));

  const made = await maker.invoke("MakeCommitment", circleId, entries.makeCommitment({ cueTime: "8:00", remindMe: true }));
  const madeEvent = await peer.waitForEvent((e) => e.eventId === made.eventId, "the timed commitment");
  const commitmentId = madeEvent.commitmentId;
  const untimed = await maker.invoke("MakeCommitment", circleId, entries.makeCommitment({ practice: "Tea, slowly" }));
  const untimedId = (await peer.waitForEvent((e) => e.eventId === untimed.eventId, "the untimed commitment")).commitmentId;

  refused.joinUntimedWithReminder = await peer.attempt("JoinCommitment", circleId, entries.joinCommitment(untimedId, { remindMe: true }));
  const joined = await peer.invoke("JoinCommitment", circleId, entries.joinCommitment(commitmentId, { remindMe: true }));
  await maker.waitForEvent((e) => e.eventId === joined.eventId, "the join");

  const setBody = (on, id = commitmentId) => ({ commitmentId: id, remindMe: on });
  refused.outsider = await (await connectAs("outsider")).attempt("SetCommitmentReminder", circleId, setBody(true));
  refused.notPractising = await f.attempt("SetCommitmentReminder", circleId, setBody(true));
  refused.unknownCommitment = await peer.attempt("SetCommitmentReminder", circleId, setBody(true, crypto.randomUUID()));
  refused.untimed = await maker.attempt("SetCommitmentReminder", circleId, setBody(true, untimedId));
  refused.missingChoice = await peer.attempt("SetCommitmentReminder", circleId, { commitmentId });
  refused.notAnObject = await peer.attempt("SetCommitmentReminder", circleId, "on");

  const peerOff = await peer.invoke("SetCommitmentReminder", circleId, setBody(false));
  const peerOnAgain = await peer.invoke("SetCommitmentReminder", circleId, setBody(true));
  const makerOff = await maker.invoke("SetCommitmentReminder", circleId, setBody(false));

  // A check-in after all of it: everything pushed before it arrived first, so nothing else was pushed.
  const sentinel = await f.invoke("CheckIn", circleId, entries.checkIn({ note: "sentinel" }));
  for (const c of [f, maker, peer]) await c.waitForEvent((e) => e.eventId === sentinel.eventId, "the sentinel");

  const received = Object.fromEntries(Object.entries({ facilitator: f, maker, peer }).map(([name, c]) => [name, c.received]));
  return { refused, madeEvent, commitmentId, untimedId, acks: { peerOff, peerOnAgain, makerOff }, received, sentinelSeq: sentinel.seq };
});
