// The author erases what they wrote (DELETE /api/me/entries) while everyone's connections are open. Each connection
// that held an erased entry gets its tombstone under the same seq, including the author's own for private entries;
// others' entries that quoted the author's commitment arrive again without its text; replays hold none of it; a
// resend of an erased entry gets its original receipt.
// node erase.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_AUTHOR, BSG_TOKEN_OTHER
import { args, baseUrl, connectAs, entries, run, tokenOf } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const people = { facilitator: await connectAs("facilitator"), author: await connectAs("author"), other: await connectAs("other") };
  for (const c of Object.values(people)) await c.invoke("JoinCircle", circleId, 0);
  const { author, other, facilitator } = people;

  const made = await author.invoke("MakeCommitment", circleId, entries.makeCommitment({ practice: "Walk at dusk", cue: "After dinner", size: "Ten minutes" }));
  const commitment = await other.waitForEvent((e) => e.eventId === made.eventId, "the commitment");
  const shared = entries.checkIn({ note: "shared words" });
  const acks = {
    made,
    shared: await author.invoke("CheckIn", circleId, shared),
    private: await author.invoke("CheckIn", circleId, entries.checkIn({ note: "only mine", visibility: "private" })),
    facilitators: await author.invoke("CheckIn", circleId, entries.checkIn({ note: "for facilitators", visibility: "facilitators" })),
    joined: await other.invoke("JoinCommitment", circleId, entries.joinCommitment(commitment.commitmentId)),
    logged: await other.invoke("LogPractice", circleId, entries.logPractice(commitment.commitmentId, { outcome: "adapted", note: "my own note" })),
  };
  acks.answered = await facilitator.invoke("Acknowledge", circleId, entries.acknowledge(acks.shared.eventId));
  for (const [name, c] of Object.entries(people)) await c.waitForEvent((e) => e.eventId === acks.answered.eventId, `the last entry at ${name}`);
  const mark = Object.fromEntries(Object.entries(people).map(([name, c]) => [name, c.received.length]));

  const response = await fetch(`${baseUrl}/api/me/entries`, { method: "DELETE", headers: { Authorization: `Bearer ${tokenOf("author")}` } });
  const again = (name, seq) => people[name].received.slice(mark[name]).some((e) => e.seq === seq);
  await author.waitForEvent(() => again("author", acks.private.seq), "the private entry's tombstone at its author");
  await author.waitForEvent(() => again("author", acks.facilitators.seq), "the facilitators-only entry's tombstone at its author");
  await facilitator.waitForEvent(() => again("facilitator", acks.facilitators.seq), "the facilitators-only entry's tombstone at a facilitator");
  await other.waitForEvent(() => again("other", acks.logged.seq), "the practice log without the commitment's text");
  // A write after the erase, as a barrier: every push of the erase reached each connection before it.
  const barrier = await facilitator.invoke("CheckIn", circleId, entries.checkIn({ note: "after the erase" }));
  for (const [name, c] of Object.entries(people)) await c.waitForEvent((e) => e.eventId === barrier.eventId, `the barrier at ${name}`);

  const pushed = Object.fromEntries(Object.entries(people).map(([name, c]) => [name, c.received.slice(mark[name]).filter((e) => e.eventId !== barrier.eventId)]));
  const replays = {};
  for (const [name, c] of Object.entries(people)) replays[name] = (await c.catchUp(circleId, 0)).events;
  const resent = await author.invoke("CheckIn", circleId, shared);
  return { eraseStatus: response.status, acks, pushed, replays, resent };
});
