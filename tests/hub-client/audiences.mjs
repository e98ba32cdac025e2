// An author checks in three times: for facilitators, only for themself, then for the circle. Everyone waits for the
// circle one: pushes go out in order, so whatever did not arrive before it was never sent to them.
// node audiences.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_AUTHOR, BSG_TOKEN_OTHER
import { args, checkIn, connectAs, run, summary } from "./lib.mjs";

const [circleId] = args;
const people = ["facilitator", "author", "other"];

run(async () => {
  const connections = {};
  for (const name of people) {
    connections[name] = await connectAs(name);
    await connections[name].invoke("JoinCircle", circleId, 0);
  }

  const author = connections.author;
  const acks = {};
  for (const visibility of ["facilitators", "private", "circle"]) {
    acks[visibility] = await author.invoke("CheckIn", circleId, checkIn({ visibility, note: `for ${visibility}` }));
  }

  const received = {};
  for (const name of people) {
    await connections[name].waitForEvent((e) => e.seq === acks.circle.seq, `the circle check-in at ${name}`);
    received[name] = connections[name].received.map(summary);
  }
  return { acks, received };
});
