// Run against an app whose hub allows a burst of 3 calls per connection, then 1 a second. A member's app fires five
// check-ins at once on one connection; a second connection of theirs is not affected; after a pause the refused ones
// are sent again, with the same clientEventIds. JoinCircle counts like any other call.
// node rate-limit.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_MEMBER
import { args, connectAs, entries, run, sleep } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const burst = Array.from({ length: 5 }, (_, i) => entries.checkIn({ note: `rapid ${i}` }));
  const connection = await connectAs("member");
  const startedAt = Date.now();
  const rapid = await Promise.all(burst.map((body) => connection.attempt("CheckIn", circleId, body)));
  const rapidMs = Date.now() - startedAt;

  const otherConnection = await connectAs("member");
  const onOtherConnection = await otherConnection.attempt("CheckIn", circleId, entries.checkIn({ note: "second device" }));

  await sleep(2500); // the bucket refills one call a second
  const retried = [];
  for (const [i, body] of burst.entries()) if (!rapid[i].ok) retried.push(await connection.attempt("CheckIn", circleId, body));

  const joining = await connectAs("member");
  const joinStartedAt = Date.now();
  const withJoin = await Promise.all([
    joining.attempt("JoinCircle", circleId, 0),
    ...Array.from({ length: 3 }, (_, i) => joining.attempt("CheckIn", circleId, entries.checkIn({ note: `after joining ${i}` }))),
  ]);
  const withJoinMs = Date.now() - joinStartedAt;
  return {
    burst: burst.map((b) => b.clientEventId),
    rapid,
    rapidMs,
    onOtherConnection,
    retried,
    withJoin: withJoin.map((r) => ({ ok: r.ok, error: r.error })),
    withJoinMs,
    stillOpen: connection.closes.length === 0 && joining.closes.length === 0,
  };
});
