// Both people stay connected through a quiet spell (longer than the app's idle timeout in that test), then the
// member checks in and the facilitator must still receive it live.
// node quiet-circle.mjs <baseUrl> <circleId> <quietMs>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, checkIn, connectAs, run } from "./lib.mjs";

const [circleId, quietMs] = args;

run(async () => {
  const facilitator = await connectAs("facilitator");
  const member = await connectAs("member");
  await facilitator.invoke("JoinCircle", circleId, 0);
  await member.invoke("JoinCircle", circleId, 0);

  await new Promise((resolve) => { setTimeout(resolve, Number(quietMs)); });

  const ack = await member.invoke("CheckIn", circleId, checkIn({ note: "After the quiet." }));
  const live = await facilitator.waitForEvent((e) => e.eventId === ack.eventId, "the check-in after the quiet spell");
  return { ack, live };
});
