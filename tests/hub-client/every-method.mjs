// Every write method of the hub once, as three people in a circle use it, each on one connection that both writes
// and listens: the receipt of each write, the live circleEvent each person got, and JoinCircle's open round.
// node every-method.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_AUTHOR, BSG_TOKEN_PEER
import { args, connectAs, entries, flush, run } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const f = await connectAs("facilitator");
  const a = await connectAs("author");
  const p = await connectAs("peer");
  const joins = {};
  for (const [name, c] of Object.entries({ facilitator: f, author: a, peer: p })) joins[name] = await c.invoke("JoinCircle", circleId, 0);

  const acks = {};
  const sent = {};
  const write = async (label, who, method, body) => {
    sent[label] = body;
    acks[label] = await who.invoke(method, circleId, body);
    return acks[label];
  };

  await write("checkIn", a, "CheckIn", entries.checkIn({ capacity: "low", feelings: ["tired", "hopeful"], note: "Long week, glad to be here." }));
  await write("shareWin", a, "ShareWin", entries.shareWin({ text: "I asked for help at work." }));
  await write("bringToSession", a, "BringToSession", entries.bringToSession({ text: "How I freeze on the phone." }));
  await write("reflect", a, "Reflect", entries.reflect({ important: "Being heard.", stillWithMe: null, toNotice: "My breath." }));
  await write("makeCommitment", a, "MakeCommitment", entries.makeCommitment({
    practice: "Three slow breaths", cue: "Before I open email", size: "Just one round",
  }));
  const made = await p.waitForEvent((e) => e.eventId === acks.makeCommitment.eventId, "the commitment at the peer");
  await write("joinCommitment", p, "JoinCommitment", entries.joinCommitment(made.commitmentId));
  await write("logPractice", p, "LogPractice", entries.logPractice(made.commitmentId, { outcome: "adapted", note: "Two breaths, not three." }));
  await write("logPracticeOwner", a, "LogPractice", entries.logPractice(made.commitmentId, { outcome: "rested" }));
  await write("acknowledge", p, "Acknowledge", entries.acknowledge(acks.shareWin.eventId, { kind: "glad-you-shared" }));

  await write("startRound", f, "StartRound", entries.startRound({ prompt: "One word for how you arrive?" }));
  const started = await a.waitForEvent((e) => e.eventId === acks.startRound.eventId, "the round at the author");
  const duringRound = await connectAs("author");
  const joinDuringRound = await duringRound.invoke("JoinCircle", circleId, acks.startRound.seq);
  await duringRound.stop();
  await write("respondToRound", a, "RespondToRound", entries.respondToRound(started.roundId, { capacity: "open", text: "Arriving." }));
  await write("passRound", p, "RespondToRound", { clientEventId: crypto.randomUUID(), roundId: started.roundId, pass: true });
  await write("endRound", f, "EndRound", entries.endRound(started.roundId));
  const afterRound = await connectAs("peer");
  const joinAfterRound = await afterRound.invoke("JoinCircle", circleId, acks.endRound.seq);
  await afterRound.stop();

  await write("requestSupport", a, "RequestSupport", entries.requestSupport({ note: "Tonight is hard." }));
  await write("addSupportNote", a, "AddSupportNote", entries.addSupportNote(acks.requestSupport.eventId, { note: "Mostly the evenings." }));
  await write("withdrawSupport", a, "WithdrawSupport", entries.withdrawSupport(acks.requestSupport.eventId));

  await flush(f, circleId, { facilitator: f, author: a, peer: p });
  return {
    joins,
    sent,
    acks,
    joinDuringRound,
    joinAfterRound,
    received: { facilitator: f.received, author: a.received, peer: p.received },
  };
});
