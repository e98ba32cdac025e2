// Someone who is not a member tries to join and check in to a circle; then uses the same connection in their own.
// node outsider.mjs <baseUrl> <foreignCircleId> <ownCircleId>   tokens: BSG_TOKEN_OUTSIDER
import { args, checkIn, connectAs, run } from "./lib.mjs";

const [foreignCircleId, ownCircleId] = args;

run(async () => {
  const outsider = await connectAs("outsider");
  const foreignJoin = await outsider.attempt("JoinCircle", foreignCircleId, 0);
  const foreignCheckIn = await outsider.attempt("CheckIn", foreignCircleId, checkIn({ note: "let me in" }));
  const unknownJoin = await outsider.attempt("JoinCircle", crypto.randomUUID(), 0);
  const ownJoin = await outsider.attempt("JoinCircle", ownCircleId, 0);
  const ownCheckIn = await outsider.attempt("CheckIn", ownCircleId, checkIn({ note: "in my own circle" }));
  return { foreignJoin, foreignCheckIn, unknownJoin, ownJoin, ownCheckIn };
});
