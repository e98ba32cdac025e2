// Connections without a valid token are refused before they reach the hub.
// node unauthenticated.mjs <baseUrl>
import { run, tryConnect } from "./lib.mjs";

run(async () => ({
  noToken: await tryConnect(undefined),
  forgedToken: await tryConnect("not-a-real-token"),
}));
