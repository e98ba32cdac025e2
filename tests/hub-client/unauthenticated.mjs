// Connections without a valid token are refused before they reach the hub, however the token is sent.
// node unauthenticated.mjs <baseUrl>
import { run, transports, tryConnect } from "./lib.mjs";

run(async () => ({
  noToken: await tryConnect(undefined),
  forgedToken: await tryConnect("not-a-real-token"),
  forgedTokenInTheUrl: await tryConnect("not-a-real-token", { tokenIn: "query" }),
  forgedTokenSkippingNegotiation: await tryConnect("not-a-real-token", { tokenIn: "query", skipNegotiation: true }),
  noTokenLongPolling: await tryConnect(undefined, { transport: transports.longPolling }),
}));
