// The hub load benchmark (docs/performance.md). Run by build/bench.sh against an app started in benchmark mode:
//   node run.mjs --url http://127.0.0.1:PORT [options]
// Seeds people and circles; measures memory per idle member connection; runs the durable hub (the app) at a set
// rate; then, with the same client processes and people, the bare hub (the baseline) and capacity rounds of both;
// then memory per open facilitator page. Prints a summary on stdout, progress on stderr, and writes everything as
// JSON (--out). Exit code 3 if anything was lost, leaked or duplicated.
//
// Options (defaults in DEFAULTS below, the standard scenario):
//   --layout standard|spread       how clients are laid out (below); standard is the default
//   --circles N --members N        N circles of N members each (the first of each its facilitator)
//   --people N                     distinct people holding those memberships (spread: circles × members / 3 by default)
//   --pick round-robin|random      how each check-in's circle and author are chosen (default: the layout's)
//   --seed N                       the PRNG seed of --pick random (default 1): same seed, same circles and authors
//   --workers N                    client processes (a circle's members always share one; default: the layout's)
//   --rate N --seconds N           check-ins per second, and for how long, on the durable hub
//   --baseline-seconds N           the same rate on the bare hub, for this long
//   --warmup-seconds N             before each hub's timed phase
//   --grace-seconds N              a phase ends once nothing arrived for this long
//   --capacity-seconds N --capacity-rounds N --capacity-in-flight N    the closed-loop rounds
//   --facilitators-share X         this share of the durable hub's check-ins is for the facilitators only
//   --dashboards N --dashboard-path P --chromium PATH                    facilitator pages for the memory figure
//   --skip-baseline --skip-capacity --quiet --out FILE
//
// Layouts (the tail must not depend on how clients are laid out, so both are measured):
//   standard   2 client processes; everyone in exactly one circle (circles × members people, seeded by /bench/seed);
//              authors round-robin: each circle gets a check-in every circles/rate seconds exactly, never two close
//              together; each process holds half the circles.
//   spread     1 client process holding every connection; about circles × members / 3 people, each in about 3
//              circles (/bench/seed seeds each circle's first few people, the others join through the app's own
//              invite-code API, POST /api/circles/join, with their real tokens); one connection per person, joined to
//              all their circles and so receiving each of their check-ins; authors random: a circle uniformly at
//              random, then a random member of it (a seeded PRNG, so runs and the two hubs are comparable), open loop
//              at --rate. --people, --pick and --workers override single factors of either layout, to tell them apart.
import { fork, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openPages } from "./dashboards.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const LAYOUTS = {
  standard: { workers: 2, pick: "round-robin", people: (o) => o.circles * o.members },
  spread: { workers: 1, pick: "random", people: (o) => Math.max(o.members, Math.round((o.circles * o.members) / 3)) },
};
const DEFAULTS = {
  url: "", layout: "standard", circles: 500, members: 10, people: 0, pick: "", seed: 1, workers: 0,
  rate: 1000, seconds: 60, baselineSeconds: 15, warmupSeconds: 5, graceSeconds: 5,
  capacitySeconds: 8, capacityRounds: 2, capacityInFlight: 500, facilitatorsShare: 0,
  dashboards: 10, dashboardPath: "/circles/{circleId}/facilitate", chromium: "", out: "",
  skipBaseline: false, skipCapacity: false, quiet: false,
};
const options = parseArgs(process.argv.slice(2));
const log = (...parts) => { if (!options.quiet) console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...parts); };

function parseArgs(argv) {
  const parsed = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in DEFAULTS)) throw new Error(`Unknown option ${argv[i]}`);
    if (typeof DEFAULTS[key] === "boolean") parsed[key] = true;
    else parsed[key] = typeof DEFAULTS[key] === "number" ? Number(argv[++i]) : argv[++i];
  }
  if (!parsed.url) throw new Error("--url is required (the app, started with Benchmarks:Enabled=true)");
  parsed.url = parsed.url.replace(/\/$/, "");
  const layout = LAYOUTS[parsed.layout];
  if (!layout) throw new Error(`--layout is one of ${Object.keys(LAYOUTS).join(", ")}`);
  // 0 or "" means the layout's own choice.
  parsed.workers ||= layout.workers;
  parsed.pick ||= layout.pick;
  parsed.people ||= layout.people(parsed);
  if (!["round-robin", "random"].includes(parsed.pick)) throw new Error("--pick is round-robin or random");
  if (!Number.isInteger(parsed.seed)) throw new Error("--seed is an integer");
  const memberships = parsed.circles * parsed.members;
  if (parsed.people < parsed.circles || parsed.people < parsed.members || parsed.people > memberships) {
    throw new Error(`--people must be at least --circles (every circle is seeded with its facilitator) and --members, `
      + `and at most circles × members (${memberships})`);
  }
  return parsed;
}

// ---- the server ---------------------------------------------------------------------------------------------------

async function call(method, route, body, token) {
  const headers = body ? { "content-type": "application/json" } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${options.url}${route}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

const server = () => call("GET", "/bench/server");
const memory = () => call("POST", "/bench/memory");

async function waitForOpen(predicate, what, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { open } = await server();
    if (predicate(open)) return open;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}; the server reports ${JSON.stringify(open)}`);
    await new Promise((resolve) => { setTimeout(resolve, 200); });
  }
}

// ---- the people and their circles ---------------------------------------------------------------------------------

/** A small seeded PRNG (mulberry32), as in worker.mjs. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, rand) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function pool(items, concurrency, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Seeds --circles circles of --members memberships held by --people people, as
 * { cookieName, seconds, joins, circles: [{ circleId, members: [{ memberId, role, token, cookie }] }] }.
 * When every membership is its own person (the standard layout) that is one /bench/seed call. Otherwise every circle is
 * seeded with its first floor or ceil(people / circles) people (the first its facilitator; two calls when the counts
 * differ), and the other memberships are people joining further circles the way the app's users do: the facilitator's
 * GET /api/circles/{id} gives the invite code, and POST /api/circles/join with the joiner's own token uses it (the
 * circle grain's JoinAsync: a member-joined entry, committed). Who joins where is a random assignment (a PRNG seeded
 * with --seed): extra memberships shared out as evenly as possible, nobody twice in a circle.
 */
async function seedCircles() {
  const { circles: C, members: M, people: P } = options;
  if (P === C * M) {
    const seed = await call("POST", "/bench/seed", { circles: C, membersPerCircle: M });
    return { ...seed, joins: 0 };
  }
  const lo = Math.floor(P / C);
  const withOneMore = P % C;
  const parts = [];
  if (withOneMore > 0) parts.push(await call("POST", "/bench/seed", { circles: withOneMore, membersPerCircle: lo + 1 }));
  if (C - withOneMore > 0) parts.push(await call("POST", "/bench/seed", { circles: C - withOneMore, membersPerCircle: lo }));
  const seconds = {};
  for (const part of parts) for (const [step, s] of Object.entries(part.seconds)) seconds[step] = round((seconds[step] ?? 0) + s, 2);
  const circles = parts.flatMap((part) => part.circles).map((c) => ({ circleId: c.circleId, members: [...c.members] }));
  const persons = circles.flatMap((c) => c.members);

  const rand = mulberry32(options.seed ^ 0x5eed5eed);
  const extra = C * M - P;
  const base = Math.floor(extra / P);
  const more = extra % P;
  if (1 + base + (more > 0 ? 1 : 0) > C) throw new Error(`${P} people cannot hold ${C * M} memberships in ${C} circles`);
  const slots = shuffle([...persons], rand).flatMap((person, i) => Array(base + (i < more ? 1 : 0)).fill(person));
  const seats = circles.flatMap((c, ci) => Array(M - c.members.length).fill(ci));
  shuffle(slots, rand);
  shuffle(seats, rand);
  // Pair slot i with seat i; where that would put someone in a circle twice, swap seats with another pair for which
  // the swap is allowed both ways.
  const sets = circles.map((c) => new Set(c.members.map((m) => m.memberId)));
  for (let i = 0; i < extra; i++) {
    for (let attempts = 0; sets[seats[i]].has(slots[i].memberId); attempts++) {
      if (attempts > 100000) throw new Error("could not share out the memberships; try another --seed or --people");
      const j = Math.floor(rand() * extra);
      if (j === i || sets[seats[j]].has(slots[i].memberId)) continue;
      if (j < i) {
        // Already placed: slot j's person moves to seat i's circle.
        if (sets[seats[i]].has(slots[j].memberId)) continue;
        sets[seats[j]].delete(slots[j].memberId);
        sets[seats[i]].add(slots[j].memberId);
      }
      [seats[i], seats[j]] = [seats[j], seats[i]];
    }
    sets[seats[i]].add(slots[i].memberId);
  }

  const started = Date.now();
  const facilitator = (c) => c.members.find((m) => m.role === "facilitator");
  const inviteCodes = new Map();
  await pool([...new Set(seats)], 32, async (ci) => {
    const c = circles[ci];
    inviteCodes.set(ci, (await call("GET", `/api/circles/${c.circleId}`, undefined, facilitator(c).token)).inviteCode);
  });
  const joins = slots.map((person, i) => ({ person, ci: seats[i] }));
  await pool(joins, 32, async ({ person, ci }) => {
    await call("POST", "/api/circles/join", { inviteCode: inviteCodes.get(ci) }, person.token);
  });
  for (const { person, ci } of joins) circles[ci].members.push({ memberId: person.memberId, role: "member", token: person.token, cookie: null });
  seconds.joins = round((Date.now() - started) / 1000, 2);
  return { cookieName: parts[0].cookieName, seconds, joins: extra, circles };
}

// ---- CPU accounting, so a reader can tell our load from everyone else's --------------------------------------------

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

function processCpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}

function machineCpuSeconds() {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const idle = values[3] + values[4];
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  // softirq: the kernel's network processing, most of it this run's own loopback traffic, which no process is billed for.
  return { busy: (total - idle) / TICKS, total: total / TICKS, softirq: values[6] / TICKS };
}

function cpuMeter(serverPid) {
  const start = { at: process.hrtime.bigint(), server: processCpuSeconds(serverPid), machine: machineCpuSeconds(), self: process.cpuUsage() };
  return (workerCpuSeconds) => {
    const wall = Number(process.hrtime.bigint() - start.at) / 1e9;
    const machine = machineCpuSeconds();
    const serverCpu = processCpuSeconds(serverPid) - start.server;
    const self = process.cpuUsage(start.self);
    const generator = workerCpuSeconds + (self.user + self.system) / 1e6;
    const busy = machine.busy - start.machine.busy;
    const softirq = machine.softirq - start.machine.softirq;
    // Cores in use on average over the phase (1.0 = one core fully busy).
    return {
      wallSeconds: round(wall, 1),
      serverCores: round(serverCpu / wall, 2),
      generatorCores: round(generator / wall, 2),
      networkCores: round(softirq / wall, 2),
      otherCores: round(Math.max(0, busy - serverCpu - generator - softirq) / wall, 2),
      idleCores: round(Math.max(0, (machine.total - start.machine.total) - busy) / wall, 2),
    };
  };
}

// ---- the client processes -----------------------------------------------------------------------------------------

function startWorkers(count) {
  return Array.from({ length: count }, () => {
    const child = fork(path.join(here, "worker.mjs"), [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let next = 1;
    const pending = new Map();
    child.on("message", (msg) => {
      const waiting = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) waiting.resolve(msg.result);
      else waiting.reject(new Error(msg.error));
    });
    child.on("exit", (code) => {
      for (const waiting of pending.values()) waiting.reject(new Error(`A load worker exited (${code})`));
    });
    return {
      child,
      ask(cmd, args = {}) {
        const id = next++;
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          child.send({ id, cmd, ...args });
        });
      },
    };
  });
}

const all = (workers, cmd, argsOf) => Promise.all(workers.map((w, i) => w.ask(cmd, typeof argsOf === "function" ? argsOf(i) : argsOf)));

// ---- statistics ---------------------------------------------------------------------------------------------------

const round = (value, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

function distribution(arrays) {
  const length = arrays.reduce((n, a) => n + a.length, 0);
  const all = new Float64Array(length);
  let offset = 0;
  for (const a of arrays) { all.set(a, offset); offset += a.length; }
  all.sort();
  const at = (q) => (length === 0 ? null : round(all[Math.min(length - 1, Math.max(0, Math.ceil(q * length) - 1))]));
  return { count: length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: length ? round(all[length - 1]) : null };
}

function mergeLoad(results, cpu) {
  const sum = (key) => results.reduce((n, r) => n + r[key], 0);
  const span = Math.max(...results.map((r) => r.spanSeconds));
  const errors = {};
  for (const r of results) for (const [message, count] of Object.entries(r.errors)) errors[message] = (errors[message] ?? 0) + count;
  const merged = {
    mode: results[0].mode,
    seconds: results[0].seconds,
    sent: sum("sent"), acked: sum("acked"), failed: sum("failed"), unanswered: sum("unanswered"), skipped: sum("skipped"),
    deliveries: sum("deliveries"), expectedDeliveries: sum("expectedDeliveries"),
    lostDeliveries: sum("lostDeliveries"), eventsWithLoss: sum("eventsWithLoss"),
    duplicates: sum("duplicates"), leaks: sum("leaks"), stray: sum("stray"), connectionCloses: sum("connectionCloses"),
    errors,
    latencyMs: {
      ack: distribution(results.map((r) => r.latency.ack)),
      lastPeer: distribution(results.map((r) => r.latency.lastPeer)),
      eachPeer: distribution(results.map((r) => r.latency.delivery)),
      authorEcho: distribution(results.map((r) => r.latency.echo)),
    },
    generator: {
      eventLoopDelayP99Ms: round(Math.max(...results.map((r) => r.eventLoopDelayMs.p99))),
      eventLoopDelayMaxMs: round(Math.max(...results.map((r) => r.eventLoopDelayMs.max))),
      eventLoopUtilizationMax: round(Math.max(...results.map((r) => r.eventLoopUtilization))),
    },
    cpu: cpu(sum("cpuSeconds")),
  };
  if (merged.mode === "closed") {
    const window = results[0].windowSeconds;
    merged.eventsPerSecond = round(sum("completedInWindow") / window, 0);
  } else {
    merged.eventsPerSecond = round(merged.acked / span, 0);
  }
  merged.deliveriesPerSecond = round(merged.deliveries / span, 0);
  merged.drainSeconds = round(Math.max(...results.map((r) => r.drainSeconds)), 1);
  return merged;
}

// ---- the run ------------------------------------------------------------------------------------------------------

async function loadPhase(workers, serverPid, name, args) {
  log(`${name}: ${args.mode === "rate" ? `${args.rate} check-ins/s for ${args.seconds} s` : `${args.inFlight} under way for ${args.seconds} s`}`);
  const cpu = cpuMeter(serverPid);
  await call("POST", "/bench/stats");
  const share = (i) => ({
    ...args,
    rate: (args.rate ?? 0) * workers[i].share,
    inFlight: Math.max(1, Math.round((args.inFlight ?? 0) * workers[i].share)),
  });
  const result = mergeLoad(await all(workers, "load", share), cpu);
  result.server = await call("POST", "/bench/stats");
  log(`${name}: ${result.eventsPerSecond} events/s, ${result.deliveriesPerSecond} deliveries/s, last peer p99 ${result.latencyMs.lastPeer.p99} ms, `
    + `lost ${result.lostDeliveries}, failed ${result.failed}, server ${result.cpu.serverCores} cores, generator ${result.cpu.generatorCores}`);
  return result;
}

async function connectAll(workers, hubName) {
  log(`connecting every member to the ${hubName} hub`);
  const started = Date.now();
  const results = await all(workers, "connect", { hubName });
  const errors = {};
  for (const r of results) for (const [m, n] of Object.entries(r.errors)) errors[m] = (errors[m] ?? 0) + n;
  const connected = results.reduce((n, r) => n + r.connected, 0);
  const joins = results.reduce((n, r) => n + r.joins, 0);
  const outcome = { connected, joins, failed: results.reduce((n, r) => n + r.failed, 0), seconds: round((Date.now() - started) / 1000, 1), errors };
  log(`${hubName}: ${connected} connected and joined (${joins} circle joins) in ${outcome.seconds} s${outcome.failed ? `, ${outcome.failed} failed: ${JSON.stringify(errors)}` : ""}`);
  return outcome;
}

function memoryDelta(before, after, count) {
  const mb = (bytes) => round(bytes / 1048576, 1);
  return {
    count,
    before: { managedHeapMB: mb(before.managedHeapBytes), workingSetMB: mb(before.workingSetBytes) },
    after: { managedHeapMB: mb(after.managedHeapBytes), workingSetMB: mb(after.workingSetBytes) },
    managedHeapKBEach: count ? round((after.managedHeapBytes - before.managedHeapBytes) / count / 1024, 1) : null,
    workingSetKBEach: count ? round((after.workingSetBytes - before.workingSetBytes) / count / 1024, 1) : null,
  };
}

async function measureDashboards(seed) {
  const chromium = options.chromium || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  if (!chromium || options.dashboards <= 0) return { skipped: chromium ? "--dashboards 0" : "no chromium found (--chromium PATH)" };
  const pageOf = (c) => ({
    path: options.dashboardPath.replace("{circleId}", c.circleId),
    cookie: c.members.find((m) => m.role === "facilitator").cookie,
  });
  const open = async (pages, what) => {
    const before = (await server()).open.circuitsOpened;
    const browser = await openPages({ chromium, baseUrl: options.url, cookieName: seed.cookieName, pages });
    log(`${pages.length} pages requested; waiting for their circuits`);
    try {
      await waitForOpen((o) => o.circuitsOpened - before >= pages.length, what, 120000);
    } catch (error) {
      await browser.close();
      throw error;
    }
    return browser;
  };
  await waitForOpen((o) => o.circleHub === 0 && o.bareHub === 0, "the hub connections to close");
  // Two pages first, left open: the first circuits pay for what every later one shares (compiled code, caches).
  // Closed pages would not do: the server keeps a disconnected circuit for minutes, then lets it go mid-measurement.
  log(`warming up with 2 facilitator pages (${options.dashboardPath}) in headless Chromium`);
  const warmUp = await open(seed.circles.slice(-2).map(pageOf), "2 warm-up circuits");
  const before = await memory();
  const facilitators = seed.circles.slice(0, Math.min(options.dashboards, seed.circles.length - 2)).map(pageOf);
  log(`opening ${facilitators.length} facilitator pages`);
  const browser = await open(facilitators, `${facilitators.length} Blazor circuits`);
  try {
    // The circuits exist; give the pages a moment to finish their first interactive render and subscriptions.
    await new Promise((resolve) => { setTimeout(resolve, 3000); });
    const after = await memory();
    return { page: options.dashboardPath, ...memoryDelta(before, after, facilitators.length) };
  } finally {
    await browser.close();
    await warmUp.close();
  }
}

async function main() {
  const startedAt = new Date();
  const serverInfo = await server();
  const serverPid = serverInfo.processId;
  const machine = {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`, node: process.version, server: serverInfo,
    loadAverageAtStart: os.loadavg().map((v) => round(v)),
  };
  if (machine.loadAverageAtStart[0] > 0.5) {
    log(`note: the machine was already busy (load average ${machine.loadAverageAtStart.join(", ")}); figures will be lower than on a quiet machine`);
  }

  log(`layout ${options.layout}: seeding ${options.circles} circles of ${options.members} held by ${options.people} people; `
    + `${options.workers} client process(es), authors ${options.pick}${options.pick === "random" ? ` (seed ${options.seed})` : ""}`);
  const seed = await seedCircles();
  log(`seeded ${options.people} people in ${options.circles * options.members} memberships: ${Object.entries(seed.seconds).map(([step, s]) => `${step} ${s} s`).join(", ")}`
    + (seed.joins ? ` (${seed.joins} joins through POST /api/circles/join)` : ""));
  const circlesOf = new Map();
  for (const c of seed.circles) for (const m of c.members) circlesOf.set(m.memberId, (circlesOf.get(m.memberId) ?? 0) + 1);
  const perPerson = [...circlesOf.values()];

  const workers = startWorkers(Math.max(1, Math.min(options.workers, seed.circles.length)));
  const runTag = Math.random().toString(36).slice(2, 8);
  const members = options.circles * options.members;
  const slices = workers.map(() => []);
  seed.circles.forEach((c, i) => slices[i % workers.length].push(c));
  workers.forEach((w, i) => { w.share = slices[i].reduce((n, c) => n + c.members.length, 0) / members; });
  const inits = await all(workers, "init", (i) => ({ baseUrl: options.url, runTag, workerIndex: i, circles: slices[i], pick: options.pick, seed: options.seed }));

  const summary = {
    startedAt: startedAt.toISOString(), options: { ...options }, machine,
    seed: {
      layout: options.layout, people: circlesOf.size, memberships: members, circles: options.circles, joins: seed.joins,
      circlesPerPerson: { mean: round(members / circlesOf.size), min: Math.min(...perPerson), max: Math.max(...perPerson) },
      // One connection per person and process: a person whose circles are in two processes holds one in each.
      connections: inits.reduce((n, r) => n + r.people, 0),
      pick: options.pick, prngSeed: options.pick === "random" ? options.seed : null, seconds: seed.seconds,
    },
  };
  const rate = (hubName, seconds) => ({ hubName, mode: "rate", rate: options.rate, seconds, graceSeconds: options.graceSeconds, facilitatorsShare: hubName === "durable" ? options.facilitatorsShare : 0 });
  const capacity = (hubName) => ({
    hubName, mode: "closed", inFlight: options.capacityInFlight, seconds: options.capacitySeconds, graceSeconds: options.graceSeconds,
    windowSkipSeconds: Math.min(2, options.capacitySeconds / 4), facilitatorsShare: hubName === "durable" ? options.facilitatorsShare : 0,
  });
  const baseline = !options.skipBaseline;
  try {
    await waitForOpen((o) => o.circleHub === 0 && o.bareHub === 0, "no hub connections");
    const idle = await memory();

    // Memory first, with nothing but the members' idle connections to the app.
    const durableConnect = await connectAll(workers, "durable");
    await waitForOpen((o) => o.circleHub >= durableConnect.connected, "the server to count every connection");
    const afterConnections = await memory();
    summary.memory = { atStart: memoryDelta(idle, idle, 0).before, idleMemberConnection: memoryDelta(idle, afterConnections, afterConnections.circleHubConnections - idle.circleHubConnections) };
    log(`memory per idle member connection: ${summary.memory.idleMemberConnection.managedHeapKBEach} KB managed, ${summary.memory.idleMemberConnection.workingSetKBEach} KB working set`);

    // The app first, with nothing else open: the scenario the targets are about.
    await loadPhase(workers, serverPid, "durable warm-up", rate("durable", options.warmupSeconds));
    summary.durable = { connect: durableConnect, atRate: await loadPhase(workers, serverPid, "durable hub", rate("durable", options.seconds)) };

    // What the open connections cost with nothing sent (SignalR's heartbeat and keep-alive pings, the rate limiters,
    // the thread pool waking for them), measured after the load, once the code is compiled and warm.
    const idleCpu = cpuMeter(serverPid);
    await new Promise((resolve) => { setTimeout(resolve, 5000); });
    summary.idleCpu = { connections: durableConnect.connected, ...idleCpu(0) };
    log(`idle with ${summary.idleCpu.connections} connections open: server ${summary.idleCpu.serverCores} cores`);

    // Then the same members, processes and client code open a second connection each, to the bare hub.
    if (baseline) {
      const beforeBare = await memory();
      const bareConnect = await connectAll(workers, "bare");
      await waitForOpen((o) => o.bareHub >= bareConnect.connected, "the server to count every bare-hub connection");
      const afterBare = await memory();
      summary.memory.idleBareHubConnection = memoryDelta(beforeBare, afterBare, afterBare.bareHubConnections - beforeBare.bareHubConnections);
      await loadPhase(workers, serverPid, "bare warm-up", rate("bare", options.warmupSeconds));
      summary.bare = { connect: bareConnect, atRate: await loadPhase(workers, serverPid, "bare hub", rate("bare", options.baselineSeconds)) };
    }

    // Capacity: rounds alternate between the two hubs, so a change in the machine's other load falls on both alike.
    // Both sets of connections are open in every round.
    if (!options.skipCapacity) {
      const rounds = [];
      for (let i = 0; i < options.capacityRounds; i++) {
        const round = {};
        if (baseline) round.bare = await loadPhase(workers, serverPid, `bare hub capacity, round ${i + 1}`, capacity("bare"));
        round.durable = await loadPhase(workers, serverPid, `durable hub capacity, round ${i + 1}`, capacity("durable"));
        rounds.push(round);
      }
      const median = (values) => { const v = [...values].sort((a, b) => a - b); return v.length ? (v[(v.length - 1) >> 1] + v[v.length >> 1]) / 2 : null; };
      summary.capacity = {
        rounds,
        durableEventsPerSecond: round(median(rounds.map((r) => r.durable.eventsPerSecond)), 0),
        bareEventsPerSecond: baseline ? round(median(rounds.map((r) => r.bare.eventsPerSecond)), 0) : null,
        durableShareOfBare: baseline ? round(median(rounds.map((r) => r.durable.eventsPerSecond / r.bare.eventsPerSecond))) : null,
        // Check-ins per second for each core the server used: what each hub costs, whatever else the machine ran.
        durablePerServerCore: round(median(rounds.map((r) => r.durable.eventsPerSecond / r.durable.cpu.serverCores)), 0),
        barePerServerCore: baseline ? round(median(rounds.map((r) => r.bare.eventsPerSecond / r.bare.cpu.serverCores)), 0) : null,
      };
      if (baseline) summary.capacity.durableShareOfBarePerServerCore = round(summary.capacity.durablePerServerCore / summary.capacity.barePerServerCore);
    }
    await all(workers, "disconnect", { hubName: "durable" });
    if (baseline) await all(workers, "disconnect", { hubName: "bare" });

    summary.memory.facilitatorPage = await measureDashboards(seed);
    if (summary.memory.facilitatorPage.managedHeapKBEach !== undefined) {
      log(`memory per open facilitator page: ${summary.memory.facilitatorPage.managedHeapKBEach} KB managed, ${summary.memory.facilitatorPage.workingSetKBEach} KB working set`);
    }
  } finally {
    for (const w of workers) w.child.kill();
  }

  summary.machine.loadAverageAtEnd = os.loadavg().map((v) => round(v));
  summary.finishedAt = new Date().toISOString();
  summary.targets = targets(summary);
  if (options.out) {
    mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    writeFileSync(options.out, JSON.stringify(summary, null, 2));
  }
  console.log(report(summary));
  const phases = [summary.durable.atRate, summary.bare?.atRate, ...(summary.capacity?.rounds ?? []).flatMap((r) => [r.bare, r.durable])].filter(Boolean);
  const failed = phases.some((p) => p.lostDeliveries + p.leaks + p.duplicates > 0);
  process.exit(failed ? 3 : 0);
}

function targets(s) {
  const d = s.durable.atRate;
  const ratio = s.capacity?.durableShareOfBare ?? null;
  const o = s.options;
  const full = o.circles >= 500 && o.members >= 10 && o.rate >= 1000 && o.seconds >= 60;
  const standard = full && o.layout === "standard" && o.pick === LAYOUTS.standard.pick && o.people === o.circles * o.members;
  const spread = full && o.layout === "spread" && o.workers === 1 && o.pick === LAYOUTS.spread.pick && o.people === LAYOUTS.spread.people(o);
  // Connections: one per person (5,000 in the standard layout; in the spread layout fewer people hold the same memberships).
  const connections = s.seed.connections;
  return {
    standardScenario: standard,
    spreadScenario: spread,
    connectedMembers: { goal: connections, value: s.durable.connect.connected, met: s.durable.connect.connected >= connections && s.durable.connect.failed === 0 },
    durableCheckInsPerSecond: { goal: 1000, value: d.eventsPerSecond, met: d.failed === 0 && d.eventsPerSecond >= 0.98 * s.options.rate },
    deliveriesPerSecond: { goal: 10000, value: d.deliveriesPerSecond, met: d.deliveriesPerSecond >= 0.98 * s.options.rate * s.options.members },
    lastPeerP99Ms: { goal: 50, value: d.latencyMs.lastPeer.p99, met: d.latencyMs.lastPeer.p99 !== null && d.latencyMs.lastPeer.p99 < 50 },
    lost: { goal: 0, value: d.lostDeliveries, met: d.lostDeliveries === 0 && d.leaks === 0 && d.unanswered === 0 },
    durableShareOfBare: { goal: 0.5, value: ratio, met: ratio !== null && ratio >= 0.5 },
  };
}

function report(s) {
  const lines = [];
  const row = (label, value) => lines.push(`  ${label.padEnd(38)} ${value}`);
  const lat = (l) => `p50 ${l.p50} · p95 ${l.p95} · p99 ${l.p99} · max ${l.max} ms`;
  const cpu = (c) => `server ${c.serverCores} · generator ${c.generatorCores} · kernel network ${c.networkCores} · other processes ${c.otherCores} · idle ${c.idleCores}`;
  const load = (title, r) => {
    if (!r) return;
    lines.push(`${title}`);
    row("check-ins acknowledged", `${r.acked} of ${r.sent} sent (${r.failed} failed, ${r.unanswered} unanswered)`);
    row("throughput", `${r.eventsPerSecond} check-ins/s, ${r.deliveriesPerSecond} deliveries/s`);
    row("send → acknowledged", lat(r.latencyMs.ack));
    row("send → last peer received", lat(r.latencyMs.lastPeer));
    row("send → each peer received", lat(r.latencyMs.eachPeer));
    if (r.drainSeconds > 2) row("after sending stopped", `answers and deliveries kept coming for ${r.drainSeconds} s: the run fell behind`);
    if (r.connectionCloses > 0) row("connections dropped during the phase", `${r.connectionCloses} (their members' missed check-ins count as lost)`);
    row("lost (acknowledged, never received)", `${r.lostDeliveries} deliveries in ${r.eventsWithLoss} events; leaks ${r.leaks}, duplicates ${r.duplicates}`
      + (r.stray ? `, ${r.stray} receipts of no event of this phase` : ""));
    row("CPU (cores)", cpu(r.cpu));
    row("generator event loop", `delay p99 ${r.generator.eventLoopDelayP99Ms} ms, max ${r.generator.eventLoopDelayMaxMs} ms; `
      + `busy ${round(100 * r.generator.eventLoopUtilizationMax, 0)} % of the phase (the busiest process)`);
    const stat = (name) => r.server?.[name];
    const ms = (x) => `p50 ${x.p50} · p99 ${x.p99} · max ${x.max} ms`;
    if (stat("bsg.write_queue.batch.size")) {
      const size = stat("bsg.write_queue.batch.size");
      row("server: write queue batches", `${size.count}, ${size.mean} writes each on average (max ${size.max}); commit ${ms(stat("bsg.write_queue.batch.duration"))}`);
      row("server: wait for a batch", ms(stat("bsg.write_queue.wait")));
    }
    if (stat("bsg.relay.wait")) row("server: relay queue wait / send", `${ms(stat("bsg.relay.wait"))} / ${ms(stat("bsg.relay.send.duration"))}`);
    // Any other histogram of the app's meters (/bench/stats reports them all), e.g. one added to find a tail.
    const shown = new Set(["bsg.write_queue.batch.size", "bsg.write_queue.batch.duration", "bsg.write_queue.wait", "bsg.relay.wait", "bsg.relay.send.duration"]);
    for (const [name, x] of Object.entries(r.server ?? {})) {
      if (shown.has(name) || !x || typeof x !== "object" || !("p99" in x)) continue;
      row(`server: ${name}`, `${x.count} recorded; p50 ${x.p50} · p99 ${x.p99} · max ${x.max}${x.unit ? ` ${x.unit}` : ""}`);
    }
    if (Object.keys(r.errors).length) row("errors", JSON.stringify(r.errors));
  };
  const m = s.machine;
  lines.push("");
  lines.push(`Hub load benchmark — layout ${s.options.layout}: ${s.seed.memberships} memberships in ${s.seed.circles} circles of ${s.options.members}, `
    + `held by ${s.seed.people} people (${s.seed.circlesPerPerson.mean} circles each, ${s.seed.circlesPerPerson.min}–${s.seed.circlesPerPerson.max}), `
    + `${s.seed.connections} connections per hub in ${s.options.workers} client process${s.options.workers === 1 ? "" : "es"}; `
    + `authors ${s.options.pick}${s.seed.prngSeed !== null ? ` (seed ${s.seed.prngSeed})` : ""}`);
  lines.push(`  machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB} GB, ${m.os}; ${m.server.runtime}, ${m.server.isServerGC ? "server" : "workstation"} GC; database ${m.server.databaseProvider}; node ${m.node}`);
  const busiest = Math.max(...[s.durable.atRate, s.bare?.atRate, ...(s.capacity?.rounds ?? []).flatMap((r) => [r.bare, r.durable])].filter(Boolean).map((p) => p.cpu.otherCores));
  lines.push(`  load average at start ${m.loadAverageAtStart.join(" ")}, at end ${m.loadAverageAtEnd.join(" ")}; other processes used up to ${busiest} cores during a phase`
    + (m.loadAverageAtStart[0] > 0.5 || busiest > 0.1 ? "  (machine NOT quiet: treat figures as provisional)" : " (a quiet machine)"));
  lines.push("  CPU figures below are cores in use on average over each phase (1.0 = one core busy).");
  lines.push("");
  load(`Durable hub (the app: grain, commit, relay) at ${s.options.rate}/s for ${s.options.seconds} s`, s.durable.atRate);
  load(`Bare hub (the same clients; SignalR group broadcast, no grains or storage; the app's connections stay open) at ${s.options.rate}/s for ${s.options.baselineSeconds} s`, s.bare?.atRate);
  if (s.capacity) {
    lines.push(`Capacity (each client process keeps its share of ${s.options.capacityInFlight} check-ins under way; a slot sends again once its check-in is acknowledged and received by every peer)`);
    s.capacity.rounds.forEach((r, i) => {
      const one = (x) => `${x.eventsPerSecond}/s (last peer p99 ${x.latencyMs.lastPeer.p99} ms, lost ${x.lostDeliveries}, failed ${x.failed}; cores: server ${x.cpu.serverCores}, generator ${x.cpu.generatorCores}, other processes ${x.cpu.otherCores})`;
      if (r.bare) row(`round ${i + 1}, bare hub`, one(r.bare));
      row(`round ${i + 1}, durable hub`, one(r.durable));
    });
    row("median: durable / bare", `${s.capacity.durableEventsPerSecond}/s / ${s.capacity.bareEventsPerSecond ?? "n/a"}/s = ${s.capacity.durableShareOfBare ?? "n/a"}`);
    row("per core the server used", `${s.capacity.durablePerServerCore}/s / ${s.capacity.barePerServerCore ?? "n/a"}/s = ${s.capacity.durableShareOfBarePerServerCore ?? "n/a"} (the server's own cost per check-in, whatever else ran)`);
  }
  if (s.idleCpu) lines.push(`Idle, ${s.idleCpu.connections} member connections open and nothing sent: server ${s.idleCpu.serverCores} cores (5 s)`);
  lines.push("Memory on the server (after full GC; managed heap / working set)");
  const mem = (label, x) => {
    if (!x?.count) return row(label, x?.skipped ?? "not measured");
    // The working set also moves when the GC hands memory back, so a small or negative change says nothing.
    const ws = x.workingSetKBEach > 0 ? `${x.workingSetKBEach} KB` : "n/a";
    return row(label, `${x.managedHeapKBEach} KB / ${ws} each (${x.count} opened; heap ${x.before.managedHeapMB} → ${x.after.managedHeapMB} MB)`);
  };
  mem(s.seed.circlesPerPerson.max > 1 ? `per idle connection (joined to ${s.seed.circlesPerPerson.mean} circles)` : "per idle member connection (joined)",
    s.memory?.idleMemberConnection);
  mem("  the same, bare hub (for comparison)", s.memory?.idleBareHubConnection);
  mem(`per open facilitator page (${s.options.dashboardPath})`, s.memory?.facilitatorPage);
  lines.push("");
  lines.push(`Targets${s.targets.standardScenario ? "" : s.targets.spreadScenario ? " (the spread layout)" : " (not the standard scenario: compare with care)"}`);
  const t = s.targets;
  const mark = (x) => (x.met ? "met" : "NOT met");
  row(`${t.connectedMembers.goal.toLocaleString("en")} connected ${s.options.layout === "standard" ? "members" : "people"}`, `${t.connectedMembers.value} — ${mark(t.connectedMembers)}`);
  row("1,000 durable check-ins/s sustained", `${t.durableCheckInsPerSecond.value}/s — ${mark(t.durableCheckInsPerSecond)}`);
  row("10,000 deliveries/s", `${t.deliveriesPerSecond.value}/s — ${mark(t.deliveriesPerSecond)}`);
  row("p99 send → last peer < 50 ms", `${t.lastPeerP99Ms.value} ms — ${mark(t.lastPeerP99Ms)}`);
  row("zero lost", `${t.lost.value} — ${mark(t.lost)}`);
  row("durable ≥ half the bare hub's capacity", `${t.durableShareOfBare.value ?? "n/a"} — ${t.durableShareOfBare.value === null ? "not measured" : mark(t.durableShareOfBare)}`);
  if (s.options.out) lines.push(`\nFull results: ${s.options.out}`);
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exit(1);
});
