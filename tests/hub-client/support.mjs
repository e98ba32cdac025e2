// A member asks for support. They get the deployment's crisis resources with the receipt; the facilitator gets the
// request live; another member never sees it.
// node support.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER
import { args, connectAs, entries, flush, run } from "./lib.mjs";

const [circleId] = args;

run(async () => {
  const facilitator = await connectAs("facilitator");
  const other = await connectAs("other");
  const member = await connectAs("member");
  for (const c of [facilitator, other, member]) await c.invoke("JoinCircle", circleId, 0);

  const ack = await member.invoke("RequestSupport", circleId, entries.requestSupport({ note: "I am not safe tonight." }));
  const atFacilitator = await facilitator.waitForEvent((e) => e.eventId === ack.eventId, "the support request at the facilitator");
  await flush(facilitator, circleId, { facilitator, other, member });
  return {
    ack,
    atFacilitator,
    atMember: member.received.find((e) => e.eventId === ack.eventId) ?? null,
    atOther: other.received.find((e) => e.eventId === ack.eventId) ?? null,
  };
});
