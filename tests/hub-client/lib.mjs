// Shared helpers for the hub scenarios. Each scenario script is run by the .NET tests as
//   node <script>.mjs <baseUrl> [circleId ...]
// with each person's bearer token in an environment variable BSG_TOKEN_<NAME> (never on the command line, never
// printed). A script prints one JSON object on stdout and exits 0, or prints the error on stderr and exits 1.
import * as signalR from "@microsoft/signalr";

export const [baseUrl, ...args] = process.argv.slice(2);
const hubUrl = `${baseUrl}/hubs/circles`;
const open = [];
const WAIT_MS = 15000;

export function tokenOf(name) {
  const token = process.env[`BSG_TOKEN_${name.toUpperCase()}`];
  if (!token) throw new Error(`BSG_TOKEN_${name.toUpperCase()} is not set`);
  return token;
}

/** Opens a WebSocket connection as this person (token: a string, or undefined for none) and records what it receives. */
export async function connect(token) {
  const options = { transport: signalR.HttpTransportType.WebSockets };
  if (token !== undefined) options.accessTokenFactory = () => token;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(hubUrl, options)
    .configureLogging(signalR.LogLevel.None)
    .build();
  const received = [];
  const presence = [];
  connection.on("circleEvent", (e) => { received.push(e); });
  connection.on("presence", (p) => { presence.push(p); });
  await connection.start();
  open.push(connection);
  return {
    received,
    presence,
    invoke: (method, ...params) => connection.invoke(method, ...params),
    /** Like invoke, but a failure is a value: { ok: false, error } (the HubException's text as the client shows it). */
    attempt: (method, ...params) => connection.invoke(method, ...params).then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error: String(error?.message ?? error) })),
    /** Waits until a circleEvent matching the predicate arrived, and returns it. */
    waitForEvent: (predicate, what) => waitFor(() => received.find(predicate), what),
    /** Waits until a presence message matching the predicate arrived, and returns it. */
    waitForPresence: (predicate, what) => waitFor(() => presence.find(predicate), what),
    stop: () => connection.stop(),
  };
}

/** Connects as the named person (token from BSG_TOKEN_<NAME>). */
export const connectAs = (name) => connect(tokenOf(name));

export async function tryConnect(token) {
  try {
    await connect(token);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}

export async function waitFor(find, what) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => { setTimeout(resolve, 25); });
  }
}

/** A check-in body with sensible defaults. */
export function checkIn(overrides = {}) {
  return { clientEventId: crypto.randomUUID(), capacity: "some", feelings: [], note: null, visibility: "circle", ...overrides };
}

/** What a test needs to know about an event, without timestamps and ids that differ per run. */
export const summary = (e) => ({ seq: e.seq, type: e.type, visibility: e.visibility, note: e.note ?? null });

/** Runs a scenario: prints its result as JSON and exits 0, or prints the error and exits 1. */
export async function run(scenario) {
  const guard = setTimeout(() => { console.error("Scenario did not finish within 60 s"); process.exit(2); }, 60000);
  let code = 0;
  try {
    const result = await scenario();
    process.stdout.write(JSON.stringify(result) + "\n");
  } catch (error) {
    console.error(error?.stack ?? String(error));
    code = 1;
  } finally {
    await Promise.allSettled(open.map((c) => c.stop()));
    clearTimeout(guard);
  }
  process.exit(code);
}
