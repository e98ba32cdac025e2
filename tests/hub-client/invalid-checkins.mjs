// A member sends check-ins that break the rules, then a valid one on the same connection, twice.
// node invalid-checkins.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_MEMBER
import { args, checkIn, connectAs, run } from "./lib.mjs";

const [circleId] = args;
const invalid = {
  noteTooLong: { note: "x".repeat(1001) },
  unknownCapacity: { capacity: "exhausted" },
  noCapacity: { capacity: null },
  unknownVisibility: { visibility: "everyone" },
  tooManyFeelings: { feelings: ["a", "b", "c", "d", "e", "f"] },
};

run(async () => {
  const member = await connectAs("member");
  await member.invoke("JoinCircle", circleId, 0);
  const rejected = {};
  for (const [name, change] of Object.entries(invalid)) {
    rejected[name] = await member.attempt("CheckIn", circleId, checkIn(change));
  }
  const valid = checkIn({ note: "y".repeat(1000) });
  const accepted = await member.attempt("CheckIn", circleId, valid);
  const resent = await member.attempt("CheckIn", circleId, valid); // a double tap, or a retry after a timeout
  return { rejected, accepted, resent };
});
