// Both connect; the facilitator sees the member arrive (presence), then receives the member's check-in live.
// node live-checkin.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, checkIn, connectAs, run } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const facilitator = await connectAs("facilitator");
  const member = await connectAs("member");
  const facilitatorJoin = await facilitator.invoke("JoinCircle", circleId, 0);
  const memberJoin = await member.invoke("JoinCircle", circleId, 0);
  const everyone = memberJoin.members.map((m) => m.memberId);
  const presence = await facilitator.waitForPresence(
    (p) => everyone.every((id) => p.memberIds.includes(id)), "both people to be present");

  const ack = await member.invoke("CheckIn", circleId, checkIn({
    capacity: "low", feelings: ["tired", "hopeful"], note: "Long week, glad to be here.",
  }));
  const live = await facilitator.waitForEvent((e) => e.eventId === ack.eventId, "the member's check-in");

  return { facilitatorJoin, memberJoin, presence, ack, live };
});
