// The member connects once with every transport and way of sending the token that clients use, joins, checks in,
// sends one bad call, and must receive their own check-in live; the facilitator receives each one too.
// node transports.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, connectAs, entries, run, transports } from "./lib.mjs";

const [circleId] = args;
const ways = {
  "WebSockets, token from the factory": { transport: transports.webSockets },
  "WebSockets, access_token in the URL": { transport: transports.webSockets, tokenIn: "query" },
  "WebSockets, skipping negotiation": { transport: transports.webSockets, tokenIn: "query", skipNegotiation: true },
  "Server-Sent Events": { transport: transports.serverSentEvents },
  "Long polling": { transport: transports.longPolling },
  "Long polling, access_token in the URL": { transport: transports.longPolling, tokenIn: "query" },
};

run(async () => {
  const facilitator = await connectAs("facilitator");
  await facilitator.invoke("JoinCircle", circleId, 0);
  const results = {};
  for (const [way, options] of Object.entries(ways)) {
    const member = await connectAs("member", options);
    const join = await member.invoke("JoinCircle", circleId, 0);
    const ack = await member.invoke("CheckIn", circleId, entries.checkIn({ note: way }));
    const refused = await member.attempt("CheckIn", circleId, entries.checkIn({ capacity: "exhausted" }));
    const own = await member.waitForEvent((e) => e.eventId === ack.eventId, `the check-in over ${way}`);
    const atFacilitator = await facilitator.waitForEvent((e) => e.eventId === ack.eventId, `the check-in over ${way} at the facilitator`);
    results[way] = { role: join.role, ack, ownNote: own.note, facilitatorGotIt: atFacilitator.seq === ack.seq, refused };
    await member.stop();
  }
  return results;
});
