// The hub load benchmark (docs/performance.md). Run by build/bench.sh against an app started in benchmark mode:
//   node run.mjs --url http://127.0.0.1:PORT [--circles 500 --members 10 --rate 1000 --seconds 60 ...]
// Seeds people and circles, then with the same client processes and connections: the bare hub (baseline), the
// durable hub (the app), memory per idle connection and per open facilitator page. Prints a summary on stdout,
// progress on stderr, and writes everything as JSON (--out).
import { fork, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openPages } from "./dashboards.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULTS = {
  url: "", circles: 500, members: 10, workers: 2,
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
  return parsed;
}

// ---- the server ---------------------------------------------------------------------------------------------------

async function call(method, route, body) {
  const response = await fetch(`${options.url}${route}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
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
    duplicates: sum("duplicates"), leaks: sum("leaks"), connectionCloses: sum("connectionCloses"),
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
  const outcome = { connected, failed: results.reduce((n, r) => n + r.failed, 0), seconds: round((Date.now() - started) / 1000, 1), errors };
  log(`${hubName}: ${connected} connected and joined in ${outcome.seconds} s${outcome.failed ? `, ${outcome.failed} failed: ${JSON.stringify(errors)}` : ""}`);
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

  log(`seeding ${options.circles} circles of ${options.members}`);
  const seed = await call("POST", "/bench/seed", { circles: options.circles, membersPerCircle: options.members });
  log(`seeded ${options.circles * options.members} people: ${Object.entries(seed.seconds).map(([step, s]) => `${step} ${s} s`).join(", ")}`);

  const workers = startWorkers(Math.max(1, Math.min(options.workers, seed.circles.length)));
  const runTag = Math.random().toString(36).slice(2, 8);
  const members = options.circles * options.members;
  const slices = workers.map(() => []);
  seed.circles.forEach((c, i) => slices[i % workers.length].push(c));
  workers.forEach((w, i) => { w.share = slices[i].reduce((n, c) => n + c.members.length, 0) / members; });
  await all(workers, "init", (i) => ({ baseUrl: options.url, runTag, workerIndex: i, circles: slices[i] }));

  const summary = { startedAt: startedAt.toISOString(), options: { ...options }, machine, seed: { people: members, circles: options.circles, seconds: seed.seconds } };
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

    // The same members, processes and client code hold a second connection each, to the bare hub.
    const bareConnect = baseline ? await connectAll(workers, "bare") : null;
    if (baseline) {
      await waitForOpen((o) => o.bareHub >= bareConnect.connected, "the server to count every bare-hub connection");
      const afterBare = await memory();
      summary.memory.idleBareHubConnection = memoryDelta(afterConnections, afterBare, afterBare.bareHubConnections - afterConnections.bareHubConnections);
    }

    // What the open connections cost with nothing sent: SignalR's heartbeat, keep-alive pings, the rate limiters.
    const idleCpu = cpuMeter(serverPid);
    await new Promise((resolve) => { setTimeout(resolve, 5000); });
    summary.idleCpu = { connections: durableConnect.connected + (bareConnect?.connected ?? 0), ...idleCpu(0) };
    log(`idle with ${summary.idleCpu.connections} connections open: server ${summary.idleCpu.serverCores} cores`);

    await loadPhase(workers, serverPid, "durable warm-up", rate("durable", options.warmupSeconds));
    if (baseline) await loadPhase(workers, serverPid, "bare warm-up", rate("bare", options.warmupSeconds));
    summary.durable = { connect: durableConnect, atRate: await loadPhase(workers, serverPid, "durable hub", rate("durable", options.seconds)) };
    if (baseline) summary.bare = { connect: bareConnect, atRate: await loadPhase(workers, serverPid, "bare hub", rate("bare", options.baselineSeconds)) };

    // Capacity: rounds alternate between the two hubs, so a change in the machine's other load falls on both alike.
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
  const people = s.options.circles * s.options.members;
  const standard = s.options.circles >= 500 && s.options.members >= 10 && s.options.rate >= 1000 && s.options.seconds >= 60;
  return {
    standardScenario: standard,
    connectedMembers: { goal: 5000, value: s.durable.connect.connected, met: s.durable.connect.connected >= Math.min(5000, people) && s.durable.connect.failed === 0 },
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
    row("lost (acknowledged, never received)", `${r.lostDeliveries} deliveries in ${r.eventsWithLoss} events; leaks ${r.leaks}, duplicates ${r.duplicates}`);
    row("CPU (cores)", cpu(r.cpu));
    row("generator event-loop delay", `p99 ${r.generator.eventLoopDelayP99Ms} ms, max ${r.generator.eventLoopDelayMaxMs} ms`);
    const stat = (name) => r.server?.[name];
    const ms = (x) => `p50 ${x.p50} · p99 ${x.p99} · max ${x.max} ms`;
    if (stat("bsg.write_queue.batch.size")) {
      const size = stat("bsg.write_queue.batch.size");
      row("server: write queue batches", `${size.count}, ${size.mean} writes each on average (max ${size.max}); commit ${ms(stat("bsg.write_queue.batch.duration"))}`);
      row("server: wait for a batch", ms(stat("bsg.write_queue.wait")));
    }
    if (stat("bsg.relay.wait")) row("server: relay queue wait / send", `${ms(stat("bsg.relay.wait"))} / ${ms(stat("bsg.relay.send.duration"))}`);
    if (Object.keys(r.errors).length) row("errors", JSON.stringify(r.errors));
  };
  const m = s.machine;
  lines.push("");
  lines.push(`Hub load benchmark — ${s.seed.people} members in ${s.seed.circles} circles of ${s.options.members}, ${s.options.workers} client processes`);
  lines.push(`  machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB} GB, ${m.os}; ${m.server.runtime}, ${m.server.isServerGC ? "server" : "workstation"} GC; database ${m.server.databaseProvider}; node ${m.node}`);
  const busiest = Math.max(...[s.durable.atRate, s.bare?.atRate, ...(s.capacity?.rounds ?? []).flatMap((r) => [r.bare, r.durable])].filter(Boolean).map((p) => p.cpu.otherCores));
  lines.push(`  load average at start ${m.loadAverageAtStart.join(" ")}, at end ${m.loadAverageAtEnd.join(" ")}; other processes used up to ${busiest} cores during a phase`
    + (m.loadAverageAtStart[0] > 0.5 || busiest > 0.1 ? "  (machine NOT quiet: treat figures as provisional)" : " (a quiet machine)"));
  lines.push("  CPU figures below are cores in use on average over each phase (1.0 = one core busy).");
  lines.push("");
  load(`Durable hub (the app: grain, commit, relay) at ${s.options.rate}/s for ${s.options.seconds} s`, s.durable.atRate);
  load(`Bare hub (the same clients; SignalR group broadcast, no grains or storage) at ${s.options.rate}/s for ${s.options.baselineSeconds} s`, s.bare?.atRate);
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
  if (s.idleCpu) lines.push(`Idle, ${s.idleCpu.connections} connections open and nothing sent: server ${s.idleCpu.serverCores} cores (5 s)`);
  lines.push("Memory on the server (after full GC; managed heap / working set)");
  const mem = (label, x) => {
    if (!x?.count) return row(label, x?.skipped ?? "not measured");
    // The working set also moves when the GC hands memory back, so a small or negative change says nothing.
    const ws = x.workingSetKBEach > 0 ? `${x.workingSetKBEach} KB` : "n/a";
    return row(label, `${x.managedHeapKBEach} KB / ${ws} each (${x.count} opened; heap ${x.before.managedHeapMB} → ${x.after.managedHeapMB} MB)`);
  };
  mem("per idle member connection (joined)", s.memory?.idleMemberConnection);
  mem("  the same, bare hub (for comparison)", s.memory?.idleBareHubConnection);
  mem(`per open facilitator page (${s.options.dashboardPath})`, s.memory?.facilitatorPage);
  lines.push("");
  lines.push(`Targets${s.targets.standardScenario ? "" : " (not the standard scenario: compare with care)"}`);
  const t = s.targets;
  const mark = (x) => (x.met ? "met" : "NOT met");
  row("5,000 connected members", `${t.connectedMembers.value} — ${mark(t.connectedMembers)}`);
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
