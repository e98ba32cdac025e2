// Who may do what: facilitator-only methods, roles per circle, one open round, commitments and acknowledgements
// only of what the caller may see and only in the circle they belong to, and an outsider refused by every method.
// Each refusal is recorded as the client shows it; the successful writes' receipts let the test check that nothing
// else was stored.
// node rules.mjs <baseUrl> <circleId> <secondCircleId> <outsidersCircleId>
//   circle: facilitator (facilitator), member, other.  second circle: other (facilitator), facilitator and member
//   (members).  outsider: only in their own circle.
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER, BSG_TOKEN_OUTSIDER
import { args, connectAs, entries, run } from "./lib.mjs";

const [circleId, secondCircleId, outsidersCircleId] = args;

run(async () => {
  const f = await connectAs("facilitator");
  const m = await connectAs("member");
  const o = await connectAs("other");
  const joins = {};
  for (const [name, c] of Object.entries({ facilitator: f, member: m, other: o })) joins[name] = await c.invoke("JoinCircle", circleId, 0);
  const memberJoinedEvent = joins.member.events.find((e) => e.type === "member-joined");

  const stored = [];
  const ok = async (who, method, circle, body) => {
    const ack = await who.invoke(method, circle, body);
    stored.push({ circle, method, ...ack });
    return ack;
  };
  const waitId = (ack, key) => f.waitForEvent((e) => e.eventId === ack.eventId, `${key} of an entry`).then((e) => e[key]);
  const refused = {};

  // Facilitator-only methods, and roles are per circle.
  refused.memberStartsRound = await m.attempt("StartRound", circleId, entries.startRound());
  refused.facilitatorElsewhereStartsRound = await f.attempt("StartRound", secondCircleId, entries.startRound());
  const round = await waitId(await ok(f, "StartRound", circleId, entries.startRound({ prompt: "first round" })), "roundId");
  refused.memberEndsRound = await m.attempt("EndRound", circleId, entries.endRound(round));
  refused.secondOpenRound = await f.attempt("StartRound", circleId, entries.startRound({ prompt: "a second round" }));
  await ok(m, "RespondToRound", circleId, entries.respondToRound(round));
  await ok(f, "EndRound", circleId, entries.endRound(round));
  refused.answerAfterEnd = await m.attempt("RespondToRound", circleId, entries.respondToRound(round));
  refused.endAgain = await f.attempt("EndRound", circleId, entries.endRound(round));
  refused.unknownRound = await m.attempt("RespondToRound", circleId, entries.respondToRound(crypto.randomUUID()));
  const openRound = await waitId(await ok(f, "StartRound", circleId, entries.startRound({ prompt: "still open" })), "roundId");

  // Only what the caller may see can be answered or joined.
  const privateCheckIn = await ok(m, "CheckIn", circleId, entries.checkIn({ visibility: "private" }));
  const circleCheckIn = await ok(m, "CheckIn", circleId, entries.checkIn());
  refused.acknowledgeSomeonesPrivateEntry = await o.attempt("Acknowledge", circleId, entries.acknowledge(privateCheckIn.eventId));
  refused.acknowledgeUnknownEntry = await o.attempt("Acknowledge", circleId, entries.acknowledge(crypto.randomUUID()));
  refused.acknowledgeAJoin = await o.attempt("Acknowledge", circleId, entries.acknowledge(memberJoinedEvent.eventId));
  const roundStarted = f.received.find((e) => e.type === "round-started" && e.roundId === openRound);
  refused.acknowledgeARoundStart = await o.attempt("Acknowledge", circleId, entries.acknowledge(roundStarted.eventId));

  const circleCommitment = await waitId(await ok(m, "MakeCommitment", circleId, entries.makeCommitment()), "commitmentId");
  const facilitatorsCommitment = await waitId(await ok(m, "MakeCommitment", circleId, entries.makeCommitment({ visibility: "facilitators" })), "commitmentId");
  const privateCommitment = await ok(m, "MakeCommitment", circleId, entries.makeCommitment({ visibility: "private" }));
  const privateCommitmentId = (await m.waitForEvent((e) => e.eventId === privateCommitment.eventId, "the private commitment")).commitmentId;
  refused.joinOwnCommitment = await m.attempt("JoinCommitment", circleId, entries.joinCommitment(circleCommitment));
  refused.joinSomeonesPrivateCommitment = await o.attempt("JoinCommitment", circleId, entries.joinCommitment(privateCommitmentId));
  refused.joinAFacilitatorsOnlyCommitmentAsMember = await o.attempt("JoinCommitment", circleId, entries.joinCommitment(facilitatorsCommitment));
  refused.joinUnknownCommitment = await o.attempt("JoinCommitment", circleId, entries.joinCommitment(crypto.randomUUID()));
  refused.logPracticeWithoutJoining = await f.attempt("LogPractice", circleId, entries.logPractice(circleCommitment));
  refused.logPracticeOnSomeonesPrivateCommitment = await o.attempt("LogPractice", circleId, entries.logPractice(privateCommitmentId));
  await ok(o, "JoinCommitment", circleId, entries.joinCommitment(circleCommitment));
  refused.joinTwice = await o.attempt("JoinCommitment", circleId, entries.joinCommitment(circleCommitment));
  await ok(o, "LogPractice", circleId, entries.logPractice(circleCommitment));

  // Ids from one circle mean nothing in another, even to someone in both.
  refused.joinCommitmentFromAnotherCircle = await o.attempt("JoinCommitment", secondCircleId, entries.joinCommitment(circleCommitment));
  refused.logPracticeFromAnotherCircle = await o.attempt("LogPractice", secondCircleId, entries.logPractice(circleCommitment));
  refused.acknowledgeFromAnotherCircle = await o.attempt("Acknowledge", secondCircleId, entries.acknowledge(circleCheckIn.eventId));
  refused.answerRoundOfAnotherCircle = await m.attempt("RespondToRound", secondCircleId, entries.respondToRound(openRound));
  refused.endRoundOfAnotherCircle = await o.attempt("EndRound", secondCircleId, entries.endRound(openRound));

  // Someone outside the circle: every method, then their own circle on the same connection.
  const x = await connectAs("outsider");
  const outsider = {
    JoinCircle: await x.attempt("JoinCircle", circleId, 0),
    CheckIn: await x.attempt("CheckIn", circleId, entries.checkIn()),
    ShareWin: await x.attempt("ShareWin", circleId, entries.shareWin()),
    Acknowledge: await x.attempt("Acknowledge", circleId, entries.acknowledge(circleCheckIn.eventId)),
    MakeCommitment: await x.attempt("MakeCommitment", circleId, entries.makeCommitment()),
    JoinCommitment: await x.attempt("JoinCommitment", circleId, entries.joinCommitment(circleCommitment)),
    LogPractice: await x.attempt("LogPractice", circleId, entries.logPractice(circleCommitment)),
    BringToSession: await x.attempt("BringToSession", circleId, entries.bringToSession()),
    Reflect: await x.attempt("Reflect", circleId, entries.reflect()),
    StartRound: await x.attempt("StartRound", circleId, entries.startRound()),
    EndRound: await x.attempt("EndRound", circleId, entries.endRound(openRound)),
    RespondToRound: await x.attempt("RespondToRound", circleId, entries.respondToRound(openRound)),
    RequestSupport: await x.attempt("RequestSupport", circleId, entries.requestSupport()),
    AddSupportNote: await x.attempt("AddSupportNote", circleId, entries.addSupportNote(crypto.randomUUID())),
    WithdrawSupport: await x.attempt("WithdrawSupport", circleId, entries.withdrawSupport(crypto.randomUUID())),
  };
  const unknownCircle = crypto.randomUUID();
  const noSuchCircle = {
    JoinCircle: await x.attempt("JoinCircle", unknownCircle, 0),
    CheckIn: await x.attempt("CheckIn", unknownCircle, entries.checkIn()),
  };
  const outsiderOwnJoin = await x.attempt("JoinCircle", outsidersCircleId, 0);
  const outsiderOwnCheckIn = await x.attempt("CheckIn", outsidersCircleId, entries.checkIn());

  return {
    stored,
    refused,
    outsider,
    noSuchCircle,
    outsiderOwn: [outsiderOwnJoin, outsiderOwnCheckIn],
    outsiderReceivedFromTheCircle: x.received.filter((e) => e.circleId === circleId).length,
  };
});
