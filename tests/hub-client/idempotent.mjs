// Every write method sent twice with the same clientEventId (a double tap), then once more from a new connection
// (a retry after a reconnect, when the first answer never arrived). Also: the same id changed, used by someone else,
// and used in another circle. Listeners count how often each entry was pushed to them.
// node idempotent.mjs <baseUrl> <circleId> <authorsOtherCircleId>
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_AUTHOR, BSG_TOKEN_PEER
import { args, connectAs, entries, flush, run } from "./lib.mjs";

const [circleId, otherCircleId] = args;

run(async () => {
  const people = { facilitator: await connectAs("facilitator"), author: await connectAs("author"), peer: await connectAs("peer") };
  for (const c of Object.values(people)) await c.invoke("JoinCircle", circleId, 0);
  const { facilitator: f, author: a, peer: p } = people;

  const cases = [];
  const twice = async (label, by, method, body) => {
    const first = await people[by].invoke(method, circleId, body);
    const second = await people[by].invoke(method, circleId, body);
    cases.push({ label, by, method, body, acks: [first, second] });
    return first;
  };
  const seen = (ack) => a.waitForEvent((e) => e.eventId === ack.eventId, "an entry at the author");

  const checkIn = entries.checkIn({ note: "the first words" });
  const checkInAck = await twice("CheckIn", "author", "CheckIn", checkIn);
  await twice("ShareWin", "author", "ShareWin", entries.shareWin());
  await twice("BringToSession", "author", "BringToSession", entries.bringToSession());
  await twice("Reflect", "author", "Reflect", entries.reflect());
  const { commitmentId } = await seen(await twice("MakeCommitment", "author", "MakeCommitment", entries.makeCommitment()));
  await twice("JoinCommitment", "peer", "JoinCommitment", entries.joinCommitment(commitmentId));
  await twice("LogPractice", "peer", "LogPractice", entries.logPractice(commitmentId));
  await twice("Acknowledge", "peer", "Acknowledge", entries.acknowledge(checkInAck.eventId));
  const { roundId } = await seen(await twice("StartRound", "facilitator", "StartRound", entries.startRound()));
  await twice("RespondToRound", "author", "RespondToRound", entries.respondToRound(roundId));
  await twice("EndRound", "facilitator", "EndRound", entries.endRound(roundId));
  const supportBody = entries.requestSupport();
  const supportFirst = await a.invoke("RequestSupport", circleId, supportBody);
  const supportSecond = await a.invoke("RequestSupport", circleId, supportBody);
  cases.push({ label: "RequestSupport", by: "author", method: "RequestSupport", body: supportBody,
    acks: [supportFirst, supportSecond].map(({ eventId, seq }) => ({ eventId, seq })) });

  // The retry after a reconnect: new connections send every body once more.
  const again = { facilitator: await connectAs("facilitator"), author: await connectAs("author"), peer: await connectAs("peer") };
  for (const c of cases) {
    const { eventId, seq } = await again[c.by].invoke(c.method, circleId, c.body);
    c.acks.push({ eventId, seq });
  }
  const changed = await again.author.invoke("CheckIn", circleId, { ...checkIn, note: "changed my mind", capacity: "open" });
  const sameIdBySomeoneElse = await again.peer.invoke("CheckIn", circleId, { ...checkIn, note: "the peer's own" });
  const sameIdInAnotherCircle = await again.author.invoke("CheckIn", otherCircleId, checkIn);

  const sentinel = await flush(f, circleId, { facilitator: f, author: a, peer: p });
  const pushes = (listener) => {
    const counts = {};
    for (const e of listener.received) counts[e.eventId] = (counts[e.eventId] ?? 0) + 1;
    return counts;
  };
  return {
    cases: cases.map(({ label, by, body, acks }) => ({ label, by, clientEventId: body.clientEventId, acks })),
    changed,
    sameIdBySomeoneElse,
    sameIdInAnotherCircle,
    sentinel,
    pushes: { facilitator: pushes(f), author: pushes(a), peer: pushes(p) },
  };
});
