#!/usr/bin/env bash
# The hub load benchmark, the scenarios of docs/performance.md in one command:
#   build/bench.sh                 the standard layout: 5,000 members in 500 circles of 10, each person in one circle,
#                                  two client processes, authors round-robin; 1,000 check-ins/s for 60 s, on SQLite
#   build/bench.sh --spread        the spread layout (= -- --layout spread): the same 500 circles of 10 memberships
#                                  held by 1,667 people in 3 circles each (one connection per person, joined to all
#                                  of them), ONE client process holding every connection, each check-in's circle
#                                  chosen at random (seeded PRNG, --seed N) and a random member of it as the author
#   build/bench.sh --postgres      either of them on PostgreSQL (the throwaway cluster of build/postgres.sh)
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
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) database=postgres; shift ;;
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
    connection="$(build/postgres.sh url | sed 's/Database=postgres/Database=bench_'"$(date +%s)"'/');Maximum Pool Size=100"
    ;;
esac

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=5190
while port_in_use "$port"; do port=$((port + 1)); done
url="http://127.0.0.1:$port"

step "Starting the app in benchmark mode on $url ($database)"
# Production, as deployed, except: benchmark mode, and a per-connection rate limit high enough for the capacity
# phases (the token bucket still runs on every call).
ASPNETCORE_ENVIRONMENT=Production \
Benchmarks__Enabled=true \
Database__Provider="$database" \
ConnectionStrings__Groups="$connection" \
Realtime__RateLimit__Burst=1000 \
Realtime__RateLimit__PerSecond=1000 \
  dotnet "$BENCH/app/BetweenSessions.Groups.Web.dll" --urls "$url" --contentRoot "$BENCH/app" >"$RUN/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$RUN/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$url/health" >/dev/null || { echo "The app did not become healthy; see $RUN/server.log" >&2; exit 1; }

step "Running the load generator (progress below, summary at the end)"
status=0
node bench/hub-load/run.mjs --url "$url" --out "$RUN/summary.json" "${args[@]}" || status=$?
[ -f "$RUN/summary.json" ] && cp "$RUN/summary.json" "$BENCH/latest.json"
# The circle feed reads the log, on the one reader that delivers every circle's events on the host, whenever a push
# seemed to skip seqs (or a renewal answered before the push it followed): each such read holds up all pushes.
catchups=$(grep -c "that no push brought to this host" "$RUN/server.log" || true)
warnings=$(grep -c "^warn: BetweenSessions\.Groups\.[A-Za-z]*\.[A-Za-z.]*\[" "$RUN/server.log" || true)  # not the benchmark-mode notice
echo "Server log: ${catchups:-0} catch-up reads by the circle feed, ${warnings:-0} warnings from the app ($RUN/server.log)" >&2
if [ "$database" = postgres ]; then
  echo "(PostgreSQL keeps running for further runs; build/postgres.sh stop removes it.)" >&2
fi
exit $status
