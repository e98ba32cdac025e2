#!/usr/bin/env bash
# The hub load benchmark, the scenarios of docs/performance.md in one command:
#   build/bench.sh                 the standard layout: 5,000 members in 500 circles of 10, each person in one circle,
#                                  two client processes, authors round-robin; 1,000 check-ins/s for 60 s, on SQLite
#   build/bench.sh --spread        the spread layout (= -- --layout spread): the same 500 circles of 10 memberships
#                                  held by 1,667 people in 3 circles each (one connection per person, joined to all
#                                  of them), ONE client process holding every connection, each check-in's circle
#                                  chosen at random (seeded PRNG, --seed N) and a random member of it as the author
#   build/bench.sh --postgres      either of them on PostgreSQL (the throwaway cluster of build/postgres.sh)
#   build/bench.sh --cluster N     N hosts (implies --postgres) on one fresh database, one Orleans cluster
#                                  (Cluster:Clustering=database, a fresh Cluster:ClusterId), all on this machine; every
#                                  circle's members spread over the hosts (member i of circle c on host (i + c) mod N: each check-in
#                                  crosses hosts) and its grain on the host that seeded it (1/N of the circles each);
#                                  the durable hub only (the bare hub broadcasts to its own host), CPU per host.
#                                  Host logs: .bench/runs/<time>/host-<i>.log
#   build/bench.sh -- --circles 50 --seconds 10 ...   any option of bench/hub-load/run.mjs after --
#                                  (--layout, --people, --pick, --workers, --seed vary the layout one factor at a time)
# Both layouts measure the durable hub and the bare hub in the same run, with the same clients and the same sequence
# of circles and authors, so the tail of each can be read against SignalR's own.
# Publishes the app (Release), starts it in Production with benchmark mode on (Benchmarks:Enabled=true: the bare hub,
# the seeding endpoint and the memory probe, on loopback only) and a fresh database, runs the load generator
# (bench/hub-load) and prints the summary. Everything lands in .bench/ (git-ignored); the last summary is
# .bench/latest.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
step() { printf '==> %s\n' "$*" >&2; }

database=sqlite
hosts=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) database=postgres; shift ;;
    --cluster)
      [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || { echo "bench.sh: --cluster takes the number of hosts (1 to 99)" >&2; exit 2; }
      database=postgres; hosts="$2"; shift 2 ;;
    --spread) args=(--layout spread "${args[@]}"); shift ;;
    --) shift; args+=("$@"); break ;;
    *) args+=("$1"); shift ;;
  esac
done

BENCH="$ROOT/.bench"
RUN="$BENCH/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"

step "Publishing the app (Release)"
dotnet publish src/BetweenSessions.Groups.Web -c Release -o "$BENCH/app" -v quiet -nologo >"$RUN/publish.log" 2>&1 \
  || { cat "$RUN/publish.log" >&2; exit 1; }
if [ ! -d bench/hub-load/node_modules/@microsoft/signalr ]; then
  step "Installing the load generator's npm packages"
  (cd bench/hub-load && npm ci --no-audit --no-fund --loglevel=error)
fi

case "$database" in
  sqlite)
    connection="Data Source=$RUN/groups.db"
    ;;
  postgres)
    build/postgres.sh start >/dev/null
    # The pool: PostgreSQL here allows 200 connections (build/postgres.sh), shared by every host.
    pool=$((hosts == 1 ? 100 : 180 / hosts))
    connection="$(build/postgres.sh url | sed 's/Database=postgres/Database=bench_'"$(date +%s)"'/');Maximum Pool Size=$pool"
    # The postmaster, so the generator can report the database's CPU (its backends are its children).
    pg_pid="$(head -n 1 "$(cat .test-postgres/location)/data/postmaster.pid" 2>/dev/null || true)"
    [ -n "$pg_pid" ] && args=(--database-pids "$pg_pid" "${args[@]}")
    ;;
esac

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Sets FREE_PORT to a port nobody listens on, from $1 upwards, and not one already handed out by this run.
TAKEN=" "
free_port() {
  local port="$1"
  while port_in_use "$port" || [[ "$TAKEN" == *" $port "* ]]; do port=$((port + 1)); done
  TAKEN+="$port "
  FREE_PORT="$port"
}

servers=()
logs=()
urls=()
cluster_id="bench-$(date +%Y%m%d-%H%M%S)-$$"
stop_servers() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT

# Starts host $1 (1-based) on a free HTTP port (and, in a cluster, a free silo port).
start_host() {
  local i="$1" url log
  free_port 5190; url="http://127.0.0.1:$FREE_PORT"
  if [ "$hosts" = 1 ]; then log="$RUN/server.log"; else log="$RUN/host-$i.log"; fi
  local cluster=()
  if [ "$hosts" -gt 1 ]; then
    free_port 11111
    cluster=(Cluster__Clustering=database Cluster__ClusterId="$cluster_id" Cluster__SiloPort="$FREE_PORT" Cluster__AdvertisedAddress=127.0.0.1)
    step "Starting host $i in benchmark mode on $url (silo port $FREE_PORT, cluster $cluster_id, $database)"
  else
    step "Starting the app in benchmark mode on $url ($database)"
  fi
  # Production, as deployed, except: benchmark mode, and a per-connection rate limit high enough for the capacity
  # phases (the token bucket still runs on every call).
  env ASPNETCORE_ENVIRONMENT=Production \
    Benchmarks__Enabled=true \
    Database__Provider="$database" \
    ConnectionStrings__Groups="$connection" \
    Realtime__RateLimit__Burst=1000 \
    Realtime__RateLimit__PerSecond=1000 \
    Realtime__RateLimit__PersonBurst=1000 \
    Realtime__RateLimit__PersonPerSecond=1000 \
    "${cluster[@]}" \
    dotnet "$BENCH/app/BetweenSessions.Groups.Web.dll" --urls "$url" --contentRoot "$BENCH/app" >"$log" 2>&1 &
  servers+=($!)
  logs+=("$log")
  urls+=("$url")
}

# Waits until host $1 (1-based) answers /health.
wait_healthy() {
  local i="$1" url="${urls[$1 - 1]}" pid="${servers[$1 - 1]}" log="${logs[$1 - 1]}"
  for _ in $(seq 1 240); do
    curl -fsS "$url/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; echo "Host $i exited; see $log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "$url/health" >/dev/null || { echo "Host $i ($url) did not become healthy; see $log" >&2; exit 1; }
}

# Host 1 alone first: it migrates the fresh database (and, in a cluster, forms it); then the others join together.
start_host 1
wait_healthy 1
for i in $(seq 2 "$hosts"); do start_host "$i"; done
for i in $(seq 2 "$hosts"); do wait_healthy "$i"; done

step "Running the load generator (progress below, summary at the end)"
status=0
if [ "$hosts" = 1 ]; then target=(--url "${urls[0]}"); else target=(--urls "$(IFS=,; echo "${urls[*]}")"); fi
node bench/hub-load/run.mjs "${target[@]}" --out "$RUN/summary.json" "${args[@]}" || status=$?
[ -f "$RUN/summary.json" ] && cp "$RUN/summary.json" "$BENCH/latest.json"
# The circle feed reads the log, on the one reader that delivers every circle's events on the host, whenever a push
# seemed to skip seqs (or a renewal answered before the push it followed): each such read holds up all pushes.
for i in $(seq 1 "$hosts"); do
  log="${logs[$i - 1]}"
  catchups=$(grep -c "that no push brought to this host" "$log" || true)
  warnings=$(grep -c "^warn: BetweenSessions\.Groups\.[A-Za-z]*\.[A-Za-z.]*\[" "$log" || true)  # not the benchmark-mode notice
  # Errors once the host was up (on a fresh database, host 1 logs one while it finds the database missing and creates it).
  errors=$(awk '/Now listening on/ { up = 1 } up && /^(fail|crit):/ { n++ } END { print n + 0 }' "$log")
  if [ "$hosts" = 1 ]; then who="Server log"; else who="Host $i log"; fi
  echo "$who: ${catchups:-0} catch-up reads by the circle feed, ${warnings:-0} warnings from the app, ${errors:-0} errors ($log)" >&2
done
if [ "$database" = postgres ]; then
  echo "(PostgreSQL keeps running for further runs; build/postgres.sh stop removes it.)" >&2
fi
exit $status
