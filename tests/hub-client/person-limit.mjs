// Run against an app whose hub allows a burst of 3 calls per connection and 20 per person across their connections,
// then 1 a second each. One member opens ten connections and sends three check-ins on each at once, which no
// connection's own limit stops; another member sends one at the same moment.
// node person-limit.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER
import { args, connectAs, entries, run } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const connections = await Promise.all(Array.from({ length: 10 }, () => connectAs("member")));
  const other = await connectAs("other");
  const bodies = connections.map((_, c) => [0, 1, 2].map((i) => entries.checkIn({ note: `device ${c}, ${i}` })));
  const startedAt = Date.now();
  const [attempts, otherAttempt] = await Promise.all([
    Promise.all(connections.flatMap((connection, c) => bodies[c].map((body) => connection.attempt("CheckIn", circleId, body)))),
    other.attempt("CheckIn", circleId, entries.checkIn({ note: "someone else" })),
  ]);
  const ms = Date.now() - startedAt;
  return {
    clientEventIds: bodies.flat().map((b) => b.clientEventId),
    attempts,
    ms,
    other: otherAttempt,
    stillOpen: connections.every((c) => c.closes.length === 0),
  };
});
