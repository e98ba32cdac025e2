// The hub load benchmark (docs/performance.md). Run by build/bench.sh against an app started in benchmark mode:
//   node run.mjs --url http://127.0.0.1:PORT [options]
//   node run.mjs --urls http://127.0.0.1:P1,http://127.0.0.1:P2,... [options]     several hosts of one cluster
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
//   --warmup-seconds N             before each hub's timed phase (5 s; 15 s in cluster mode)
//   --grace-seconds N              a phase ends once nothing arrived for this long
//   --capacity-seconds N --capacity-rounds N --capacity-in-flight N    the closed-loop rounds
//   --facilitators-share X         this share of the durable hub's check-ins is for the facilitators only
//   --dashboards N --dashboard-path P --chromium PATH                    facilitator pages for the memory figure
//   --skip-baseline --skip-capacity --quiet --out FILE
//   --urls A,B,C                   the hosts of one Orleans cluster on one database (build/bench.sh --cluster N): see below
//   --database-pids P,Q            the database server's process(es) (PostgreSQL's postmaster): its CPU, with its
//                                  backends', is reported apart from "other processes"
//
// Cluster mode (--urls with two or more hosts): the members of every circle are spread over the hosts, member i of circle c
// connecting to host (i + c) mod N (in the spread layout, the i-th distinct person to host i mod N), so every check-in crosses
// hosts: its author on one, its peers on the others. Seeding is shared out too: circle slice h is seeded through
// host h, whose seeder activates those circles' grains (PreferLocalPlacement) there, so each host holds about 1/N
// of the grains and does their commits, as sticky sessions would share them out in production. The bare hub
// broadcasts to its own host's connections only, so the bare baseline, the bare half of the capacity rounds and the
// facilitator dashboards are skipped; CPU is reported per host (each host's process, by its pid from /bench/server),
// with the database's, the generator's and the machine's.
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
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
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
  skipBaseline: false, skipCapacity: false, quiet: false, urls: "", databasePids: "",
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
  parsed.hosts = (parsed.urls ? parsed.urls.split(",") : [parsed.url]).map((u) => u.trim().replace(/\/$/, "")).filter(Boolean);
  if (!parsed.hosts.length) throw new Error("--url or --urls is required (the app, started with Benchmarks:Enabled=true)");
  parsed.url = parsed.hosts[0];
  parsed.cluster = parsed.hosts.length > 1;
  // The bare hub's group broadcast reaches its own host's connections only: no baseline across hosts.
  if (parsed.cluster) parsed.skipBaseline = true;
  // Several fresh hosts compile and tier up the same code at once, on the same cores: a longer warm-up unless one is given.
  if (parsed.cluster && !argv.includes("--warmup-seconds")) parsed.warmupSeconds = 15;
  parsed.databasePids = String(parsed.databasePids).split(",").map(Number).filter((pid) => pid > 0);
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

/** A request to host `host` (an index into --urls; 0, the first, by default). */
async function call(method, route, body, token, host = 0) {
  const headers = body ? { "content-type": "application/json" } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${options.hosts[host]}${route}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

const hostIndexes = () => options.hosts.map((_, h) => h);
const server = (host = 0) => call("GET", "/bench/server", undefined, undefined, host);
const servers = () => Promise.all(hostIndexes().map(server));
const memoryOf = (host) => call("POST", "/bench/memory", undefined, undefined, host);
/** The memory probe of every host, summed (one host: its own reading), with each host's reading in `hosts`. */
async function memory() {
  const readings = await Promise.all(hostIndexes().map(memoryOf));
  const total = { hosts: readings };
  for (const key of ["managedHeapBytes", "workingSetBytes", "privateBytes", "circleHubConnections", "bareHubConnections", "circuits"]) {
    total[key] = readings.reduce((n, r) => n + (r[key] ?? 0), 0);
  }
  return total;
}
/** Open connections and circuits over every host. */
async function openEverywhere() {
  const all = (await servers()).map((s) => s.open);
  const sum = {};
  for (const o of all) for (const [key, value] of Object.entries(o)) sum[key] = (sum[key] ?? 0) + value;
  return { ...sum, hosts: all };
}

async function waitForOpen(predicate, what, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await openEverywhere();
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
/**
 * POST /bench/seed for `count` circles of `membersPerCircle`, shared out over the hosts (one host: one call): slice h
 * through host h, one after the other, so that its seeder activates those circles' grains there (the circle grain
 * prefers the local silo). Each circle comes back with `host`, the index of the host that holds its grain.
 */
async function seedThroughHosts(count, membersPerCircle) {
  const N = options.hosts.length;
  const parts = [];
  for (let h = 0; h < N; h++) {
    const circles = Math.floor(count / N) + (h < count % N ? 1 : 0);
    if (circles === 0) continue;
    const part = await call("POST", "/bench/seed", { circles, membersPerCircle }, undefined, h);
    for (const c of part.circles) c.host = h;
    parts.push(part);
  }
  const seconds = {};
  for (const part of parts) for (const [step, s] of Object.entries(part.seconds)) seconds[step] = round((seconds[step] ?? 0) + s, 2);
  return { cookieName: parts[0].cookieName, seconds, circles: parts.flatMap((part) => part.circles) };
}

async function seedCircles() {
  const { circles: C, members: M, people: P } = options;
  if (P === C * M) {
    const seed = await seedThroughHosts(C, M);
    return { ...seed, joins: 0 };
  }
  const lo = Math.floor(P / C);
  const withOneMore = P % C;
  const parts = [];
  if (withOneMore > 0) parts.push(await seedThroughHosts(withOneMore, lo + 1));
  if (C - withOneMore > 0) parts.push(await seedThroughHosts(C - withOneMore, lo));
  const seconds = {};
  for (const part of parts) for (const [step, s] of Object.entries(part.seconds)) seconds[step] = round((seconds[step] ?? 0) + s, 2);
  const circles = parts.flatMap((part) => part.circles).map((c) => ({ circleId: c.circleId, host: c.host, members: [...c.members] }));
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

/**
 * A database server's CPU so far: each given process (PostgreSQL's postmaster) and its children (the backends, the
 * writers), with what its exited children used (cutime + cstime, counted once they are reaped). Null when none is given.
 */
function databaseCpuSeconds(pids) {
  if (!pids.length) return null;
  const wanted = new Set(pids.map(String));
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fields;
    try {
      fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ");
    } catch {
      continue; // exited meanwhile
    }
    // fields[1] is the parent pid; 11..14 utime, stime, cutime, cstime.
    if (wanted.has(entry) || wanted.has(fields[1])) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / TICKS;
}

/**
 * Starts measuring CPU over a phase: every host's process (serverPids, in --urls order), the database's (--database-pids),
 * the generator's (this process and its workers, whose own figures come with their results) and the machine's.
 */
function cpuMeter(serverPids) {
  const pids = [serverPids].flat();
  const start = {
    at: process.hrtime.bigint(), servers: pids.map(processCpuSeconds), database: databaseCpuSeconds(options.databasePids),
    machine: machineCpuSeconds(), self: process.cpuUsage(),
  };
  return (workerCpuSeconds) => {
    const wall = Number(process.hrtime.bigint() - start.at) / 1e9;
    const machine = machineCpuSeconds();
    const hostCpu = pids.map((pid, i) => processCpuSeconds(pid) - start.servers[i]);
    const serverCpu = hostCpu.reduce((a, b) => a + b, 0);
    const databaseNow = databaseCpuSeconds(options.databasePids);
    const databaseCpu = databaseNow === null ? 0 : Math.max(0, databaseNow - start.database);
    const self = process.cpuUsage(start.self);
    const generator = workerCpuSeconds + (self.user + self.system) / 1e6;
    const busy = machine.busy - start.machine.busy;
    const softirq = machine.softirq - start.machine.softirq;
    // Cores in use on average over the phase (1.0 = one core fully busy).
    return {
      wallSeconds: round(wall, 1),
      // Every host together; hostCores has each one, in --urls order.
      serverCores: round(serverCpu / wall, 2),
      hostCores: hostCpu.map((c) => round(c / wall, 3)),
      databaseCores: databaseNow === null ? null : round(databaseCpu / wall, 2),
      generatorCores: round(generator / wall, 2),
      networkCores: round(softirq / wall, 2),
      otherCores: round(Math.max(0, busy - serverCpu - databaseCpu - generator - softirq) / wall, 2),
      busyCores: round(busy / wall, 2),
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

const statsEverywhere = () => Promise.all(hostIndexes().map((h) => call("POST", "/bench/stats", undefined, undefined, h)));

async function loadPhase(workers, serverPid, name, args) {
  log(`${name}: ${args.mode === "rate" ? `${args.rate} check-ins/s for ${args.seconds} s` : `${args.inFlight} under way for ${args.seconds} s`}`);
  const cpu = cpuMeter(serverPid);
  await statsEverywhere();
  const share = (i) => ({
    ...args,
    rate: (args.rate ?? 0) * workers[i].share,
    inFlight: Math.max(1, Math.round((args.inFlight ?? 0) * workers[i].share)),
  });
  const result = mergeLoad(await all(workers, "load", share), cpu);
  // The app's meters, each host's own (server: the first host's, as with one host; servers: every host's, in order).
  result.servers = await statsEverywhere();
  result.server = result.servers[0];
  if (!options.cluster) delete result.servers;
  else {
    // What each host spent per check-in of the whole cluster (every host takes part in every check-in: its author,
    // its grain, its peers are on different hosts), and all of them together.
    const perCheckIn = (cores) => (result.eventsPerSecond > 0 ? round((cores * 1000) / result.eventsPerSecond, 3) : null);
    result.cpuMsPerCheckIn = {
      hosts: result.cpu.hostCores.map(perCheckIn),
      allHosts: perCheckIn(result.cpu.serverCores),
      database: result.cpu.databaseCores === null ? null : perCheckIn(result.cpu.databaseCores),
      generator: perCheckIn(result.cpu.generatorCores),
    };
  }
  log(`${name}: ${result.eventsPerSecond} events/s, ${result.deliveriesPerSecond} deliveries/s, last peer p99 ${result.latencyMs.lastPeer.p99} ms, `
    + `lost ${result.lostDeliveries}, failed ${result.failed}, server ${result.cpu.serverCores} cores`
    + (options.cluster ? ` (hosts ${result.cpu.hostCores.join(" · ")})` : "")
    + (result.cpu.databaseCores !== null ? `, database ${result.cpu.databaseCores}` : "")
    + `, generator ${result.cpu.generatorCores}`);
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
  if (options.cluster) return { skipped: "cluster mode (a page's circuit lives on one host)" };
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
  const serverInfos = await servers();
  const serverInfo = serverInfos[0];
  // Every host's process, in --urls order (they run on this machine: build/bench.sh starts them).
  const serverPid = serverInfos.map((s) => s.processId);
  const machine = {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`, node: process.version, server: serverInfo,
    hosts: options.cluster ? serverInfos.map((s, h) => ({ url: options.hosts[h], processId: s.processId })) : undefined,
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
  // Which host each person connects to. Cluster mode: in the standard layout member i of circle c goes to host
  // (i + c) mod N, so a circle's members are on every host and the hosts get as many connections each; in the spread
  // layout (people in several circles, one connection each) the k-th distinct person goes to host k mod N.
  const hostOf = new Map();
  const N = options.hosts.length;
  let ordinal = 0;
  const onePerCircle = perPerson.every((n) => n === 1);
  seed.circles.forEach((c, ci) => c.members.forEach((m, i) => {
    if (!hostOf.has(m.memberId)) hostOf.set(m.memberId, (onePerCircle ? i + ci : ordinal++) % N);
  }));
  const forWorker = (c) => ({ circleId: c.circleId, members: c.members.map((m) => ({ memberId: m.memberId, role: m.role, token: m.token, host: hostOf.get(m.memberId) })) });
  const inits = await all(workers, "init", (i) => ({
    baseUrl: options.url, hosts: options.hosts, runTag, workerIndex: i, circles: slices[i].map(forWorker), pick: options.pick, seed: options.seed,
  }));

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
  if (options.cluster) {
    summary.cluster = {
      hosts: options.hosts.map((url, h) => ({
        url,
        processId: serverPid[h],
        // The circles seeded through this host, whose grains it activated (and so holds, and commits for).
        circleGrains: seed.circles.filter((c) => c.host === h).length,
        people: [...hostOf.values()].filter((x) => x === h).length,
      })),
    };
  }
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
    const opened = await waitForOpen((o) => o.circleHub >= durableConnect.connected, "the server to count every connection");
    if (summary.cluster) summary.cluster.hosts.forEach((h, i) => { h.connections = opened.hosts[i].circleHub; });
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

  if (summary.cluster) summary.cluster.projection = projection(summary);
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

/**
 * Cluster mode: what the durable phase at --rate cost, put as figures to project from. Every host takes part in
 * every check-in (the author's host runs the hub method, the grain's host commits and relays, every host delivers to
 * its own peers), so the cluster's cost of one check-in is the sum over hosts; divided by the cores, it says how many
 * check-ins (and, at this run's rate per circle, how many circles) one core of a host carries. Linear: it holds while
 * the database keeps up (its own CPU-ms per check-in is given) and the hosts are not starved of CPU.
 */
function projection(s) {
  const d = s.durable.atRate;
  const c = d.cpuMsPerCheckIn;
  const perCircle = s.options.rate / s.options.circles;
  const idle = s.idleCpu;
  return {
    from: `durable hub at ${s.options.rate}/s for ${s.options.seconds} s`,
    checkInsPerSecond: d.eventsPerSecond,
    hostCpuMsPerCheckIn: c.hosts,
    appCpuMsPerCheckIn: c.allHosts,
    databaseCpuMsPerCheckIn: c.database,
    checkInsPerSecondPerAppCore: c.allHosts ? round(1000 / c.allHosts, 0) : null,
    checkInsPerSecondPerCircle: round(perCircle, 3),
    circlesPerAppCoreAtThisRate: c.allHosts ? round(1000 / c.allHosts / perCircle, 0) : null,
    databaseCoresPer1000CheckInsPerSecond: c.database !== null ? round(c.database, 2) : null,
    // What open, idle connections cost each host (heartbeats, keep-alives), per thousand of its own connections.
    idleCoresPer1000Connections: idle ? s.cluster.hosts.map((h, i) => (h.connections ? round((idle.hostCores[i] * 1000) / h.connections, 3) : null)) : null,
  };
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
  const hostList = (values) => values.map((v, i) => `${i + 1}: ${v}`).join(", ");
  const cpu = (c) => (s.cluster ? `hosts ${c.serverCores} (${hostList(c.hostCores)})` : `server ${c.serverCores}`)
    + (c.databaseCores !== null && c.databaseCores !== undefined ? ` · database ${c.databaseCores}` : "")
    + ` · generator ${c.generatorCores} · kernel network ${c.networkCores} · other processes ${c.otherCores} · idle ${c.idleCores}`
    + (c.busyCores !== undefined ? ` (machine busy ${c.busyCores})` : "");
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
    if (r.cpuMsPerCheckIn) {
      const c = r.cpuMsPerCheckIn;
      row("CPU-ms per check-in (cluster-wide rate)", `each host ${hostList(c.hosts)}; all hosts ${c.allHosts}`
        + (c.database !== null ? ` · database ${c.database}` : "") + ` · generator ${c.generator}`);
    }
    const ms = (x) => `p50 ${x.p50} · p99 ${x.p99} · max ${x.max} ms`;
    // The app's own meters, each host's in cluster mode.
    (r.servers ?? [r.server]).forEach((stats, h) => {
      const who = r.servers ? `host ${h + 1}` : "server";
      const stat = (name) => stats?.[name];
      if (stat("bsg.write_queue.batch.size")) {
        const size = stat("bsg.write_queue.batch.size");
        row(`${who}: write queue batches`, `${size.count}, ${size.mean} writes each on average (max ${size.max}); commit ${ms(stat("bsg.write_queue.batch.duration"))}`);
        row(`${who}: wait for a batch`, ms(stat("bsg.write_queue.wait")));
      }
      if (stat("bsg.relay.wait")) row(`${who}: relay queue wait / send`, `${ms(stat("bsg.relay.wait"))} / ${ms(stat("bsg.relay.send.duration"))}`);
      // Any other histogram of the app's meters (/bench/stats reports them all), e.g. one added to find a tail.
      const shown = new Set(["bsg.write_queue.batch.size", "bsg.write_queue.batch.duration", "bsg.write_queue.wait", "bsg.relay.wait", "bsg.relay.send.duration"]);
      for (const [name, x] of Object.entries(stats ?? {})) {
        if (shown.has(name) || !x || typeof x !== "object" || !("p99" in x)) continue;
        row(`${who}: ${name}`, `${x.count} recorded; p50 ${x.p50} · p99 ${x.p99} · max ${x.max}${x.unit ? ` ${x.unit}` : ""}`);
      }
    });
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
  if (s.cluster) {
    lines.push(`  cluster: ${s.cluster.hosts.length} hosts on one ${m.server.databaseProvider} database, on this one machine; every circle's members spread over the hosts`);
    s.cluster.hosts.forEach((h, i) => lines.push(`    host ${i + 1}  ${h.url}  pid ${h.processId}: ${h.circleGrains} circle grains, ${h.connections ?? "?"} member connections`));
    lines.push("  (the bare hub, the capacity rounds' bare half and the dashboards are skipped: the bare hub broadcasts to its own host only)");
  }
  lines.push("  CPU figures below are cores in use on average over each phase (1.0 = one core busy).");
  lines.push("");
  load(`Durable hub (the app: grain, commit, relay) at ${s.options.rate}/s for ${s.options.seconds} s`, s.durable.atRate);
  load(`Bare hub (the same clients; SignalR group broadcast, no grains or storage; the app's connections stay open) at ${s.options.rate}/s for ${s.options.baselineSeconds} s`, s.bare?.atRate);
  if (s.capacity) {
    lines.push(`Capacity (each client process keeps its share of ${s.options.capacityInFlight} check-ins under way; a slot sends again once its check-in is acknowledged and received by every peer)`);
    s.capacity.rounds.forEach((r, i) => {
      const one = (x) => `${x.eventsPerSecond}/s (last peer p99 ${x.latencyMs.lastPeer.p99} ms, lost ${x.lostDeliveries}, failed ${x.failed}; cores: server ${x.cpu.serverCores}`
        + (s.cluster ? ` (${hostList(x.cpu.hostCores)})` : "") + (x.cpu.databaseCores != null ? `, database ${x.cpu.databaseCores}` : "")
        + `, generator ${x.cpu.generatorCores}, other processes ${x.cpu.otherCores})`;
      if (r.bare) row(`round ${i + 1}, bare hub`, one(r.bare));
      row(`round ${i + 1}, durable hub`, one(r.durable));
    });
    row("median: durable / bare", `${s.capacity.durableEventsPerSecond}/s / ${s.capacity.bareEventsPerSecond ?? "n/a"}/s = ${s.capacity.durableShareOfBare ?? "n/a"}`);
    row("per core the server used", `${s.capacity.durablePerServerCore}/s / ${s.capacity.barePerServerCore ?? "n/a"}/s = ${s.capacity.durableShareOfBarePerServerCore ?? "n/a"} (the server's own cost per check-in, whatever else ran)`);
  }
  const p = s.cluster?.projection;
  if (p) {
    lines.push(`Per-host cost, for projecting (${p.from}: ${p.checkInsPerSecond} check-ins/s across the cluster)`);
    row("CPU-ms per check-in, each host", hostList(p.hostCpuMsPerCheckIn));
    row("CPU-ms per check-in, all hosts", `${p.appCpuMsPerCheckIn} → ${p.checkInsPerSecondPerAppCore} check-ins/s per core of app host`);
    if (p.databaseCpuMsPerCheckIn !== null) row("CPU-ms per check-in, database", `${p.databaseCpuMsPerCheckIn} (${p.databaseCoresPer1000CheckInsPerSecond} database cores per 1,000 check-ins/s)`);
    row("circles per core at this run's rate", `${p.circlesPerAppCoreAtThisRate} (${p.checkInsPerSecondPerCircle} check-ins/s per circle)`);
    if (p.idleCoresPer1000Connections) row("idle cores per 1,000 connections", hostList(p.idleCoresPer1000Connections));
  }
  if (s.idleCpu) lines.push(`Idle, ${s.idleCpu.connections} member connections open and nothing sent: server ${s.idleCpu.serverCores} cores (5 s)`
    + (s.cluster ? `, hosts ${hostList(s.idleCpu.hostCores)}` : ""));
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
