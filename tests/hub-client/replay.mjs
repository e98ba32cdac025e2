// A member leaves after seeing lastSeq, others check in with every audience, then the member and the facilitator
// come back with JoinCircle(afterSeq = that lastSeq) and get what they missed and may see.
// node replay.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER
import { args, checkIn, connectAs, run, summary } from "./lib.mjs";

const [circleId] = args;

async function checkInAs(name, visibility) {
  const connection = await connectAs(name);
  await connection.invoke("JoinCircle", circleId, 0);
  const ack = await connection.invoke("CheckIn", circleId, checkIn({ visibility, note: `${name} to ${visibility}` }));
  await connection.stop();
  return { by: name, visibility, seq: ack.seq };
}

async function replayFor(name, afterSeq) {
  const connection = await connectAs(name);
  const join = await connection.invoke("JoinCircle", circleId, afterSeq);
  await connection.stop();
  return { lastSeq: join.lastSeq, hasMore: join.hasMore, events: join.events.map(summary) };
}

run(async () => {
  const member = await connectAs("member");
  const { lastSeq: leftAt } = await member.invoke("JoinCircle", circleId, 0);
  await member.stop();

  const checkIns = [];
  for (const [name, visibility] of [
    ["member", "private"], ["facilitator", "circle"], ["facilitator", "facilitators"],
    ["other", "private"], ["other", "facilitators"], ["other", "circle"],
  ]) {
    checkIns.push(await checkInAs(name, visibility));
  }

  return {
    leftAt,
    checkIns,
    member: await replayFor("member", leftAt),
    facilitator: await replayFor("facilitator", leftAt),
    caughtUp: await replayFor("member", checkIns.at(-1).seq),
  };
});
