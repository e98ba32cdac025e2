// Browser-style connections: the member's token with an Origin header, as a page on that origin would send it,
// through negotiation and straight to the WebSocket. Without an Origin (native apps) it always works.
// node origin.mjs <baseUrl> <allowedOrigin> <circleId>   tokens: BSG_TOKEN_MEMBER
import { args, baseUrl, connectAs, run } from "./lib.mjs";

const [allowedOrigin, circleId] = args;
const origins = { none: undefined, own: baseUrl, allowed: allowedOrigin, foreign: "https://elsewhere.example" };

run(async () => {
  const results = {};
  for (const [name, origin] of Object.entries(origins)) {
    for (const skipNegotiation of [false, true]) {
      const key = `${name}${skipNegotiation ? ", skipping negotiation" : ""}`;
      try {
        const c = await connectAs("member", { headers: origin ? { Origin: origin } : undefined, skipNegotiation });
        results[key] = { ok: true, role: (await c.invoke("JoinCircle", circleId, 0)).role };
        await c.stop();
      } catch (error) {
        results[key] = { ok: false, error: String(error?.message ?? error) };
      }
    }
  }
  return results;
});
