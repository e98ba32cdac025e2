// Every event type in every visibility it can have, written by the people the rules are about, while four members
// listen live and an outsider listens on a connection of their own. Afterwards each member reads the same stretch of
// the log again with JoinCircle(afterSeq), as a reconnecting client does. The test compares what each one got, live
// and on replay, with the expected audience of each entry.
//
// People: facilitator; author (member); subject (member whose entries others answer and whose commitments others
// join); other (member); outsider (not in the circle; in a circle of their own).
// Writes go through separate connections per person (writerAs), so the scenario stays under the rate limit; each
// listener only joins and listens.
// node audience-matrix.mjs <baseUrl> <circleId> <outsidersCircleId>
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_AUTHOR, BSG_TOKEN_SUBJECT, BSG_TOKEN_OTHER, BSG_TOKEN_OUTSIDER
import { args, connectAs, entries, flush, run, writerAs } from "./lib.mjs";

const [circleId, outsidersCircleId] = args;
const members = ["facilitator", "author", "subject", "other"];
const visibilities = ["circle", "facilitators", "private"];

run(async () => {
  const listeners = {};
  let startSeq = 0;
  for (const name of members) {
    listeners[name] = await connectAs(name);
    const join = await listeners[name].invoke("JoinCircle", circleId, 0);
    startSeq = Math.max(startSeq, join.lastSeq);
  }
  const outsider = await connectAs("outsider");
  const outsiderOwnJoin = await outsider.attempt("JoinCircle", outsidersCircleId, 0);
  const outsiderJoin = await outsider.attempt("JoinCircle", circleId, 0);

  const w = Object.fromEntries(members.map((name) => [name, writerAs(name)]));
  const acks = {};
  const write = async (label, who, method, body) => {
    acks[label] = await w[who].invoke(method, circleId, body);
    return acks[label];
  };
  /** Waits for a write to reach a listener who may see it, to read ids from its payload (commitmentId, roundId). */
  const seenBy = (name, label) => listeners[name].waitForEvent((e) => e.eventId === acks[label].eventId, `${label} at ${name}`);

  for (const visibility of visibilities) {
    await write(`check-in/${visibility}`, "author", "CheckIn", entries.checkIn({ visibility, note: `check-in for ${visibility}` }));
    await write(`win-shared/${visibility}`, "author", "ShareWin", entries.shareWin({ visibility, text: `win for ${visibility}` }));
    await write(`brought-to-session/${visibility}`, "author", "BringToSession", entries.bringToSession({ visibility, text: `bring for ${visibility}` }));
    await write(`reflected/${visibility}`, "author", "Reflect", entries.reflect({ visibility, important: `reflection for ${visibility}` }));
    await write(`commitment-made/${visibility}`, "subject", "MakeCommitment", entries.makeCommitment({ visibility, practice: `practice for ${visibility}` }));
  }
  const commitment = {};
  for (const visibility of visibilities) commitment[visibility] = (await seenBy("subject", `commitment-made/${visibility}`)).commitmentId;

  // Joining and logging practice: whoever may see the commitment; the entry has its audience, its owner as subject.
  await write("commitment-joined/circle", "author", "JoinCommitment", entries.joinCommitment(commitment.circle));
  await write("commitment-joined/facilitators", "facilitator", "JoinCommitment", entries.joinCommitment(commitment.facilitators));
  await write("practice-logged/circle", "author", "LogPractice", entries.logPractice(commitment.circle, { note: "co-practitioner, circle" }));
  await write("practice-logged/facilitators", "facilitator", "LogPractice", entries.logPractice(commitment.facilitators, { outcome: "adapted" }));
  await write("practice-logged/private", "subject", "LogPractice", entries.logPractice(commitment.private, { outcome: "let-go" }));

  // Acknowledgements take the audience of what they answer; the author of that entry (the subject) always sees them.
  await write("acknowledged/circle", "other", "Acknowledge", entries.acknowledge(acks["check-in/circle"].eventId, { kind: "me-too" }));
  await write("acknowledged/facilitators", "facilitator", "Acknowledge", entries.acknowledge(acks["check-in/facilitators"].eventId, { kind: "thank-you" }));
  await write("acknowledged/private", "author", "Acknowledge", entries.acknowledge(acks["reflected/private"].eventId, { kind: "glad-you-shared" }));
  // A member answers a facilitators-only entry they see only as its subject: the answer reaches its author and them.
  await write("acknowledged/facilitators-by-subject", "subject", "Acknowledge", entries.acknowledge(acks["practice-logged/facilitators"].eventId));

  await write("round-started/circle", "facilitator", "StartRound", entries.startRound({ prompt: "How do you arrive?" }));
  const { roundId } = await seenBy("facilitator", "round-started/circle");
  await write("round-answered/circle", "author", "RespondToRound", entries.respondToRound(roundId, { capacity: "resting", text: "Tired." }));
  await write("round-answered/pass", "other", "RespondToRound", { clientEventId: crypto.randomUUID(), roundId, pass: true });
  await write("acknowledged/round-answer", "facilitator", "Acknowledge", entries.acknowledge(acks["round-answered/circle"].eventId));
  await write("round-ended/circle", "facilitator", "EndRound", entries.endRound(roundId));

  await write("support-requested/facilitators", "author", "RequestSupport", entries.requestSupport());

  const sentinel = await flush(w.facilitator, circleId, listeners);

  // Replay: each member reads from where they were when the scenario started, page by page.
  const replay = {};
  for (const name of members) {
    const again = await connectAs(name);
    replay[name] = (await again.catchUp(circleId, startSeq)).events;
    await again.stop();
  }

  return {
    startSeq,
    sentinel,
    acks,
    live: Object.fromEntries(members.map((name) => [name, listeners[name].received.filter((e) => e.seq > startSeq)])),
    replay,
    outsider: {
      ownJoin: outsiderOwnJoin.ok,
      join: outsiderJoin,
      received: outsider.received.filter((e) => e.circleId === circleId),
      presence: outsider.presence.filter((p) => p.circleId === circleId),
    },
  };
});
