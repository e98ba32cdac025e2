// One load-generator process (forked by run.mjs): holds a real SignalR connection per person of its circles (one per
// hub), joined to every one of its circles that this process holds, sends check-ins and timestamps every receipt.
// All members of a circle live in the same process, so a send and every receipt of that event are timed on one clock
// (performance.now()). A person may belong to several circles (the spread layout): their one connection receives
// every one of those circles' events, and each receipt is counted against the circle named by the event and the
// record of its send, as that circle's member. Tokens arrive over IPC, never argv or env. With several hosts (cluster
// mode) each person connects to the host run.mjs assigned them (member.host, an index into hosts); a circle's members
// are then on different hosts, and their receipts are still timed here, on one clock.
import * as signalR from "@microsoft/signalr";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const HUBS = {
  // The app: JoinCircle(circleId, afterSeq) puts the connection in its audience groups; CheckIn commits, then pushes.
  durable: { path: "/hubs/circles", join: (circleId) => ["JoinCircle", circleId, 0] },
  // The baseline in the same host (benchmark mode only): the same sign-in and message shapes, a bare group broadcast.
  bare: { path: "/hubs/bench", join: (circleId) => ["JoinCircle", circleId] },
};
const FEELINGS = ["calm", "tired", "hopeful", "restless", "tender", "flat", "curious"];
const CAPACITIES = ["resting", "low", "some", "steady", "open"];
const CONNECT_CONCURRENCY = 32;

let baseUrl = "";
let runTag = "";
let workerIndex = 0;
/** [{ circleId, members: [{ person, role }], indexOf: Map(memberId -> index in members) }] */
let circles = [];
/** memberId -> { memberId, token, url, conns: { durable, bare }, circles: [circle] }: one connection per person and hub. */
let people = new Map();
/** How authors are chosen: "round-robin" (every circle in turn) or "random" (a seeded PRNG; see authors()). */
let pick = "round-robin";
let seed = 1;
/** The hub the current load phase writes to: "durable" or "bare". */
let target = "durable";
let counter = 0;
/** clientEventId -> record of one event sent in the current phase */
let records = new Map();
let phase = null;
let connectionCloses = 0;

class Series {
  constructor() { this.values = new Float64Array(1024); this.length = 0; }
  push(v) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
  toArray() { return this.values.slice(0, this.length); }
}

const errorText = (error) => String(error?.message ?? error).slice(0, 300);

function newPhase() {
  return {
    // stray: a receipt of no event sent in this phase (a late one from an earlier phase), or one whose circleId is
    // not the circle it was sent to. leaks: a receipt by someone not entitled to it, in the circle or outside it.
    sent: 0, acked: 0, failed: 0, deliveries: 0, duplicates: 0, leaks: 0, stray: 0, skipped: 0,
    errorSamples: new Map(),
    ack: new Series(), delivery: new Series(), lastPeer: new Series(), echo: new Series(),
    firstSendAt: Infinity, lastSendAt: 0, lastReceiptAt: 0, lastProgressAt: 0,
    onDone: null,
  };
}

function noteError(p, message) {
  const samples = p.errorSamples;
  samples.set(message, (samples.get(message) ?? 0) + 1);
}

/** Who may see an entry (Audience.CanSee for entries without a subject): everyone, or the facilitators and the author. */
function entitled(circle, authorIndex, visibility) {
  return circle.members.map((m, i) => i === authorIndex || visibility === "circle" || (visibility === "facilitators" && m.role === "facilitator"));
}

/**
 * A receipt on one person's connection. The connection may be in several circles, so the receiver is looked up in
 * the circle the event was sent to (its record, which must match the event's circleId): someone who is not a member
 * of that circle, or not entitled to the entry, is a leak; a second receipt by the same member, a duplicate.
 */
function onCircleEvent(person, e) {
  const at = performance.now();
  if (!phase) return;
  const r = records.get(e.clientEventId);
  if (!r || String(e.circleId).toLowerCase() !== r.circle.key) {
    phase.stray++;
    return;
  }
  const memberIndex = r.circle.indexOf.get(person.memberId);
  if (memberIndex === undefined) {
    phase.leaks++;
    return;
  }
  if (r.got[memberIndex]++ > 0) {
    phase.duplicates++;
    return;
  }
  if (!r.expected[memberIndex]) {
    phase.leaks++;
    return;
  }
  phase.deliveries++;
  phase.lastReceiptAt = Math.max(phase.lastReceiptAt, at);
  phase.lastProgressAt = at;
  if (memberIndex === r.authorIndex) {
    r.echoed = true;
    phase.echo.push(at - r.t0);
  } else {
    phase.delivery.push(at - r.t0);
    if (--r.pendingPeers === 0) phase.lastPeer.push(at - r.t0);
  }
  settle(r, at);
}

function settle(r, at) {
  if (r.done) return;
  const delivered = r.pendingPeers === 0 && r.echoed;
  if (r.failed || (r.acked && delivered)) {
    r.done = true;
    r.doneAt = at;
    r.phase.onDone?.(r);
  }
}

function checkIn(visibility) {
  const n = counter;
  return {
    clientEventId: `${runTag}-${workerIndex}-${counter++}`,
    capacity: CAPACITIES[n % CAPACITIES.length],
    feelings: [FEELINGS[n % FEELINGS.length], FEELINGS[(n + 3) % FEELINGS.length]],
    note: "A slow morning, then a walk helped a little.",
    visibility,
  };
}

/** Sends one check-in as a member; returns false when that member's connection is down. */
function send(circle, authorIndex, visibility) {
  const author = circle.members[authorIndex].person;
  const conn = author.conns[target];
  if (!conn || conn.state !== signalR.HubConnectionState.Connected) {
    phase.skipped++;
    return false;
  }
  const entry = checkIn(visibility);
  const expected = entitled(circle, authorIndex, visibility);
  const p = phase;
  const r = {
    phase: p, circle, authorIndex, expected, got: new Uint8Array(circle.members.length),
    pendingPeers: expected.filter((e, i) => e && i !== authorIndex).length, echoed: false,
    acked: false, failed: false, done: false, t0: 0, doneAt: 0,
  };
  records.set(entry.clientEventId, r);
  phase.sent++;
  r.t0 = performance.now();
  phase.firstSendAt = Math.min(phase.firstSendAt, r.t0);
  phase.lastSendAt = r.t0;
  // An answer after the phase ended (beyond the grace period) lands in its own, finished phase and counts nowhere.
  conn.invoke("CheckIn", circle.circleId, entry).then(
    () => {
      const at = performance.now();
      r.acked = true;
      p.acked++;
      p.lastProgressAt = at;
      p.ack.push(at - r.t0);
      settle(r, at);
    },
    (error) => {
      r.failed = true;
      p.failed++;
      p.lastProgressAt = performance.now();
      noteError(p, errorText(error));
      settle(r, performance.now());
    });
  return true;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same circles and authors in every run and phase. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Who writes next. "round-robin" (the standard layout): one member of each circle, then the next member of each, so
 * every circle and person takes part and a circle gets a check-in exactly every (circles / rate) seconds, never two
 * close together. "random" (the spread layout): a circle chosen uniformly at random, then a random member of it as
 * the author, from a PRNG seeded with --seed (and this process's index), restarted for every phase: both hubs see the
 * same sequence of circles and authors, and so do runs with the same options. A circle then gets check-ins as a
 * Poisson stream, sometimes two within a few milliseconds.
 */
function* authors(visibilityOf) {
  if (pick === "random") {
    const rand = mulberry32((seed ^ Math.imul(workerIndex + 1, 0x9e3779b9)) | 0);
    for (let k = 0; ; k++) {
      const circle = circles[Math.floor(rand() * circles.length)];
      yield [circle, Math.floor(rand() * circle.members.length), visibilityOf(k)];
    }
  }
  const members = circles.reduce((n, c) => Math.max(n, c.members.length), 0);
  for (let round = 0; ; round++) {
    const memberIndex = Math.floor(round / circles.length) % members;
    const circle = circles[round % circles.length];
    if (memberIndex < circle.members.length) yield [circle, memberIndex, visibilityOf(round)];
  }
}

async function pool(items, concurrency, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

const handlers = {
  init(msg) {
    ({ baseUrl, runTag, workerIndex } = msg);
    const hosts = msg.hosts?.length ? msg.hosts : [baseUrl];
    pick = msg.pick ?? "round-robin";
    seed = msg.seed ?? 1;
    people = new Map();
    circles = msg.circles.map((c) => {
      const circle = { circleId: c.circleId, key: String(c.circleId).toLowerCase(), members: [], indexOf: new Map() };
      c.members.forEach((m, i) => {
        let person = people.get(m.memberId);
        if (!person) people.set(m.memberId, person = { memberId: m.memberId, token: m.token, url: hosts[m.host ?? 0] ?? baseUrl, conns: {}, circles: [] });
        if (circle.indexOf.has(m.memberId)) throw new Error(`${m.memberId} is in circle ${c.circleId} twice`);
        person.circles.push(circle);
        circle.members.push({ person, role: m.role });
        circle.indexOf.set(m.memberId, i);
      });
      return circle;
    });
    return { circles: circles.length, members: circles.reduce((n, c) => n + c.members.length, 0), people: people.size };
  },

  /**
   * Opens one connection per person to the hub and joins each of their circles (those this process holds) on it, as
   * an app does; a person holds one connection to each hub. A person counts as connected once every join succeeded.
   */
  async connect({ hubName }) {
    const hub = HUBS[hubName];
    const started = performance.now();
    const errors = new Map();
    let connected = 0;
    let joins = 0;
    const everyone = [...people.values()];
    await pool(everyone, CONNECT_CONCURRENCY, async (person) => {
      const conn = new signalR.HubConnectionBuilder()
        .withUrl(`${person.url}${hub.path}`, {
          transport: signalR.HttpTransportType.WebSockets,
          accessTokenFactory: () => person.token,
        })
        .configureLogging(signalR.LogLevel.None)
        .build();
      conn.on("circleEvent", (e) => onCircleEvent(person, e));
      conn.on("presence", () => {});
      conn.onclose(() => { if (person.conns[hubName] === conn) connectionCloses++; });
      try {
        await conn.start();
        for (const circle of person.circles) await conn.invoke(...hub.join(circle.circleId));
        person.conns[hubName] = conn;
        connected++;
        joins += person.circles.length;
      } catch (error) {
        const text = errorText(error);
        errors.set(text, (errors.get(text) ?? 0) + 1);
        await conn.stop().catch(() => {});
      }
    });
    connectionCloses = 0;
    return { connected, joins, failed: everyone.length - connected, seconds: (performance.now() - started) / 1000, errors: Object.fromEntries(errors) };
  },

  async disconnect({ hubName }) {
    const members = [...people.values()].filter((m) => m.conns[hubName]);
    await pool(members, 64, async (m) => {
      const conn = m.conns[hubName];
      delete m.conns[hubName];
      await conn.stop().catch(() => {});
    });
    return { closed: members.length };
  },

  /**
   * mode "rate": `rate` check-ins per second from this process for `seconds`, open loop (sends do not wait for
   * answers). mode "closed": keeps `inFlight` check-ins under way; each slot sends again once its event is
   * acknowledged and received by everyone entitled. Then waits up to `graceSeconds` for what is still under way.
   */
  async load({ hubName, mode, rate = 0, inFlight = 0, seconds, graceSeconds, maxDrainSeconds = 120, facilitatorsShare = 0, windowSkipSeconds = 0 }) {
    records = new Map();
    phase = newPhase();
    target = hubName;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const busy = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    // Every n-th check-in is for the facilitators only, spread evenly.
    const every = facilitatorsShare > 0 ? Math.round(1 / facilitatorsShare) : 0;
    const next = authors((k) => (every > 0 && k % every === every - 1 ? "facilitators" : "circle"));
    const started = performance.now();
    const stopAt = started + seconds * 1000;
    const windowStart = started + windowSkipSeconds * 1000;
    let completedInWindow = 0;

    if (mode === "rate") {
      const total = Math.round(rate * seconds);
      let issued = 0;
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
          while (issued < due) {
            const [circle, author, visibility] = next.next().value;
            send(circle, author, visibility);
            issued++;
          }
          if (issued >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
    } else {
      let running = true;
      let underWay = 0;
      const refill = () => {
        let attempts = 0;
        while (running && underWay < inFlight && attempts++ < inFlight * 4) {
          const [circle, author, visibility] = next.next().value;
          if (send(circle, author, visibility)) underWay++;
        }
      };
      phase.onDone = (r) => {
        if (!r.abandoned) underWay--;
        if (!r.failed && r.t0 >= windowStart && r.doneAt <= stopAt) completedInWindow++;
        refill();
      };
      // A slot whose event never completes (lost, or never answered) is freed after 10 s, so the loop cannot stall.
      const sweeper = setInterval(() => {
        const now = performance.now();
        for (const r of records.values()) {
          if (!r.done && !r.abandoned && now - r.t0 > 10000) {
            r.abandoned = true;
            underWay--;
          }
        }
        refill();
      }, 250);
      refill();
      await new Promise((resolve) => { setTimeout(resolve, Math.max(0, stopAt - performance.now())); });
      running = false;
      clearInterval(sweeper);
    }
    const sendingEndedAt = performance.now();

    // Grace: whatever is still under way may finish, as long as answers and deliveries keep arriving. The phase
    // ends when everything is done, or nothing arrived for graceSeconds (what is missing then is lost, not late), or
    // after maxDrainSeconds in all (an overloaded run: what is missing is reported as unanswered or lost).
    phase.lastProgressAt = Math.max(phase.lastProgressAt, sendingEndedAt);
    const drainUntil = sendingEndedAt + maxDrainSeconds * 1000;
    while ([...records.values()].some((r) => !r.done)) {
      const now = performance.now();
      if (now - phase.lastProgressAt > graceSeconds * 1000 || now > drainUntil) break;
      await new Promise((resolve) => { setTimeout(resolve, 50); });
    }
    loop.disable();
    const usage = process.cpuUsage(cpu);
    const finished = performance.now();

    let lostDeliveries = 0;
    let eventsWithLoss = 0;
    let unanswered = 0;
    for (const r of records.values()) {
      if (!r.acked && !r.failed) unanswered++;
      if (!r.acked) continue;
      let missing = 0;
      r.expected.forEach((e, i) => { if (e && r.got[i] === 0) missing++; });
      lostDeliveries += missing;
      if (missing > 0) eventsWithLoss++;
    }
    const expectedDeliveries = [...records.values()].filter((r) => r.acked)
      .reduce((n, r) => n + r.expected.filter(Boolean).length, 0);
    const result = {
      worker: workerIndex,
      mode,
      seconds,
      sendingSeconds: (sendingEndedAt - started) / 1000,
      measuredSeconds: (finished - started) / 1000,
      drainSeconds: (finished - sendingEndedAt) / 1000,
      sent: phase.sent,
      acked: phase.acked,
      failed: phase.failed,
      unanswered,
      skipped: phase.skipped,
      deliveries: phase.deliveries,
      expectedDeliveries,
      lostDeliveries,
      eventsWithLoss,
      duplicates: phase.duplicates,
      leaks: phase.leaks,
      stray: phase.stray,
      connectionCloses,
      completedInWindow,
      windowSeconds: mode === "closed" ? seconds - windowSkipSeconds : null,
      spanSeconds: phase.sent > 0 ? (Math.max(phase.lastReceiptAt, phase.lastSendAt) - phase.firstSendAt) / 1000 : 0,
      errors: Object.fromEntries(phase.errorSamples),
      latency: {
        ack: phase.ack.toArray(),
        delivery: phase.delivery.toArray(),
        lastPeer: phase.lastPeer.toArray(),
        echo: phase.echo.toArray(),
      },
      eventLoopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      // Share of the phase this process's one thread was busy: near 1, receipts wait for it and latency is ours.
      eventLoopUtilization: performance.eventLoopUtilization(busy).utilization,
      cpuSeconds: (usage.user + usage.system) / 1e6,
    };
    phase = null;
    records = new Map();
    return result;
  },
};

process.on("message", async (msg) => {
  try {
    const result = await handlers[msg.cmd](msg);
    process.send({ id: msg.id, ok: true, result });
  } catch (error) {
    process.send({ id: msg.id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on("disconnect", () => process.exit(0));
