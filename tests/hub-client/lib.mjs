// Shared helpers for the hub scenarios. Each scenario script is run by the .NET tests as
//   node <script>.mjs <baseUrl> [arg ...]
// with each person's bearer token in an environment variable BSG_TOKEN_<NAME> (never on the command line, never
// printed). A script prints one JSON object on stdout and exits 0, or prints the error on stderr and exits 1.
import net from "node:net";
import * as signalR from "@microsoft/signalr";

export const [baseUrl, ...args] = process.argv.slice(2);
export const HUB_PATH = "/hubs/circles";
export const transports = {
  webSockets: signalR.HttpTransportType.WebSockets,
  serverSentEvents: signalR.HttpTransportType.ServerSentEvents,
  longPolling: signalR.HttpTransportType.LongPolling,
};
const open = [];
const cleanups = [];
const WAIT_MS = 15000;

export function tokenOf(name) {
  const token = process.env[`BSG_TOKEN_${name.toUpperCase()}`];
  if (!token) throw new Error(`BSG_TOKEN_${name.toUpperCase()} is not set`);
  return token;
}

export const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

const errorText = (error) => String(error?.message ?? error);

/**
 * Opens a connection as this person (token: a string, or undefined for none) and records what it receives.
 * options:
 *   transport        one of `transports` (default WebSockets)
 *   tokenIn          "factory" (default: the client sends it; in node an Authorization header on WebSockets,
 *                    access_token on Server-Sent Events) or "query" (?access_token=..., as browsers and some
 *                    phone clients send it)
 *   headers          extra HTTP headers, e.g. { Origin: "https://elsewhere.example" } for a browser-style request
 *   skipNegotiation  go straight to the WebSocket (WebSockets only)
 *   server           base URL to connect to instead of the app's (e.g. a proxy of startProxy)
 *   reconnectEveryMs reconnect automatically after a drop, retrying every so many ms
 */
export async function connect(token, options = {}) {
  const server = options.server ?? baseUrl;
  let url = `${server}${HUB_PATH}`;
  const httpOptions = {
    transport: options.transport ?? signalR.HttpTransportType.WebSockets,
    skipNegotiation: options.skipNegotiation ?? false,
  };
  if (options.headers) httpOptions.headers = options.headers;
  if (token !== undefined) {
    if (options.tokenIn === "query") url += `?access_token=${encodeURIComponent(token)}`;
    else httpOptions.accessTokenFactory = () => token;
  }
  let builder = new signalR.HubConnectionBuilder().withUrl(url, httpOptions).configureLogging(signalR.LogLevel.None);
  if (options.reconnectEveryMs) {
    builder = builder.withAutomaticReconnect({ nextRetryDelayInMilliseconds: () => options.reconnectEveryMs });
  }
  const connection = builder.build();
  const received = [];
  const presence = [];
  const closes = [];
  connection.on("circleEvent", (e) => { received.push(e); });
  connection.on("presence", (p) => { presence.push(p); });
  connection.onclose((error) => { closes.push(error ? errorText(error) : "closed"); });
  await connection.start();
  open.push(connection);
  return {
    connection,
    received,
    presence,
    /** Why the connection closed, once it did (the client's error text, or "closed"). */
    closes,
    get state() { return connection.state; },
    get connectionId() { return connection.connectionId; },
    invoke: (method, ...params) => connection.invoke(method, ...params),
    /** Like invoke, but a failure is a value: { ok: false, error } (the HubException's text as the client shows it). */
    attempt: (method, ...params) => attempt(connection.invoke(method, ...params)),
    /** Waits until a circleEvent matching the predicate arrived, and returns it. */
    waitForEvent: (predicate, what) => waitFor(() => received.find(predicate), what),
    /** Waits until a presence message matching the predicate arrived, and returns it. */
    waitForPresence: (predicate, what) => waitFor(() => presence.find(predicate), what),
    /** JoinCircle from afterSeq, asking again while hasMore: every page, as a client catching up does. */
    catchUp: (circleId, afterSeq) => catchUp(connection, circleId, afterSeq),
    stop: () => connection.stop(),
  };
}

/** { ok: true, value } or { ok: false, error } (the error text the client shows). */
export const attempt = (promise) => promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error: errorText(error) }));

/** Connects as the named person (token from BSG_TOKEN_<NAME>). */
export const connectAs = (name, options) => connect(tokenOf(name), options);

export async function tryConnect(token, options) {
  try {
    await connect(token, options);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

async function catchUp(connection, circleId, afterSeq) {
  const pages = [];
  let after = afterSeq;
  for (;;) {
    const join = await connection.invoke("JoinCircle", circleId, after);
    pages.push({ afterSeq: after, lastSeq: join.lastSeq, hasMore: join.hasMore, count: join.events.length, join });
    if (join.events.length > 0) after = join.events.at(-1).seq;
    if (!join.hasMore) break;
    if (pages.length > 50) throw new Error("JoinCircle kept saying hasMore");
  }
  return { pages, events: pages.flatMap((p) => p.join.events) };
}

/**
 * A person's writes through connections of their own that are replaced every `perConnection` calls, so a scenario
 * that writes a lot stays under the per-connection rate limit. Writers never join: writing needs no JoinCircle.
 */
export function writerAs(name, perConnection = 15) {
  let current = null;
  let used = 0;
  const next = async () => {
    if (!current || used >= perConnection) {
      if (current) await current.stop();
      current = await connectAs(name);
      used = 0;
    }
    used++;
    return current;
  };
  return {
    name,
    invoke: async (method, ...params) => (await next()).invoke(method, ...params),
    attempt: async (method, ...params) => (await next()).attempt(method, ...params),
  };
}

export async function waitFor(find, what) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Writes a circle-wide check-in and waits until every listener got it. The server pushes a circle's events to each
 * connection in order, so whatever a listener has not received by then was never sent to it.
 */
export async function flush(writer, circleId, listeners, note = "sentinel") {
  const ack = await writer.invoke("CheckIn", circleId, entries.checkIn({ note }));
  for (const [name, listener] of Object.entries(listeners)) {
    await listener.waitForEvent((e) => e.eventId === ack.eventId, `the ${note} at ${name}`);
  }
  return ack;
}

const id = () => crypto.randomUUID();

/** The body of every write method, with sensible defaults and a fresh clientEventId; override any field. */
export const entries = {
  checkIn: (o = {}) => ({ clientEventId: id(), capacity: "some", feelings: [], note: null, visibility: "circle", ...o }),
  shareWin: (o = {}) => ({ clientEventId: id(), text: "I went for a short walk.", visibility: "circle", ...o }),
  acknowledge: (eventId, o = {}) => ({ clientEventId: id(), eventId, kind: "with-you", ...o }),
  makeCommitment: (o = {}) => ({
    clientEventId: id(), practice: "Three slow breaths", cue: "When I sit down at my desk", size: "Just one round",
    visibility: "circle", ...o,
  }),
  joinCommitment: (commitmentId, o = {}) => ({ clientEventId: id(), commitmentId, ...o }),
  logPractice: (commitmentId, o = {}) => ({ clientEventId: id(), commitmentId, outcome: "practised", note: null, ...o }),
  bringToSession: (o = {}) => ({ clientEventId: id(), text: "The argument with my sister.", visibility: "circle", ...o }),
  reflect: (o = {}) => ({
    clientEventId: id(), important: "Being heard.", stillWithMe: "The quiet after.", toNotice: "My shoulders.", visibility: "circle", ...o,
  }),
  startRound: (o = {}) => ({ clientEventId: id(), prompt: "One word for how you arrive today?", ...o }),
  endRound: (roundId, o = {}) => ({ clientEventId: id(), roundId, ...o }),
  respondToRound: (roundId, o = {}) => ({ clientEventId: id(), roundId, capacity: "steady", text: "Here.", pass: false, ...o }),
  requestSupport: (o = {}) => ({ clientEventId: id(), note: "It is a hard night.", ...o }),
  addSupportNote: (requestEventId, o = {}) => ({ clientEventId: id(), requestEventId, note: "It is about tonight.", ...o }),
  withdrawSupport: (requestEventId, o = {}) => ({ clientEventId: id(), requestEventId, ...o }),
};

/** A check-in body with sensible defaults (kept for the older scenarios). */
export const checkIn = entries.checkIn;

/** What a test needs to know about an event, without timestamps and ids that differ per run. */
export const summary = (e) => ({ seq: e.seq, type: e.type, visibility: e.visibility, note: e.note ?? null });

/**
 * A TCP proxy in front of the app, to cut connections the way a network does (Playwright's and the client's own
 * stop() are polite; this is not). cut() destroys every open socket and refuses new ones until restore().
 */
export async function startProxy(target = baseUrl) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => { client.destroy(); upstream.destroy(); });
      socket.on("close", () => { sockets.delete(socket); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => { server.listen(0, "127.0.0.1", resolve); });
  const proxy = {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() { up = true; },
    close: () => new Promise((resolve) => { proxy.cut(); server.close(() => resolve()); }),
  };
  cleanups.push(proxy.close);
  return proxy;
}

/** Runs a scenario: prints its result as JSON and exits 0, or prints the error and exits 1. */
export async function run(scenario) {
  const guard = setTimeout(() => { console.error("Scenario did not finish within 80 s"); process.exit(2); }, 80000);
  let code = 0;
  try {
    const result = await scenario();
    // Writes to a pipe are asynchronous: exiting before this one is flushed would cut the output at 64 KB.
    await new Promise((resolve) => { process.stdout.write(JSON.stringify(result) + "\n", resolve); });
  } catch (error) {
    console.error(error?.stack ?? String(error));
    code = 1;
  } finally {
    await Promise.allSettled(open.map((c) => c.stop()));
    await Promise.allSettled(cleanups.map((close) => close()));
    clearTimeout(guard);
  }
  process.exit(code);
}
