// Both connect; the facilitator sees the member arrive (presence), receives the member's check-in live, and sees
// the member leave.
// node live-checkin.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, checkIn, connectAs, run, waitFor } from "./lib.mjs";

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

  const heardSoFar = facilitator.presence.length;
  await member.stop();
  const afterLeaving = await waitFor(() => facilitator.presence.slice(heardSoFar)[0], "presence after the member left");

  return { facilitatorJoin, memberJoin, presence, ack, live, afterLeaving };
});
