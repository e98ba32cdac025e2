// A member's app sends one message over the hub's 32 KB limit. SignalR closes that connection (the protocol has no
// way to answer it); everyone else stays connected, the member can reconnect, and nothing was stored.
// node oversized.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, connectAs, entries, run, waitFor } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const facilitator = await connectAs("facilitator");
  await facilitator.invoke("JoinCircle", circleId, 0);
  const member = await connectAs("member");
  const { lastSeq: before } = await member.invoke("JoinCircle", circleId, 0);

  const oversized = await member.attempt("CheckIn", circleId, entries.checkIn({ note: "x".repeat(40 * 1024) }));
  await waitFor(() => member.closes.length > 0, "the oversized message's connection to close");

  const facilitatorStillWorks = await facilitator.attempt("JoinCircle", circleId, before);
  const again = await connectAs("member");
  const rejoin = await again.invoke("JoinCircle", circleId, before);
  const afterwards = await again.attempt("CheckIn", circleId, entries.checkIn({ note: "after reconnecting" }));
  return {
    before,
    oversized,
    closedWith: member.closes[0],
    stateAfter: member.state,
    facilitatorStillWorks: facilitatorStillWorks.ok,
    rejoin: { lastSeq: rejoin.lastSeq, events: rejoin.events.length },
    afterwards,
  };
});
