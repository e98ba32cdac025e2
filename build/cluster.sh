#!/usr/bin/env bash
# A cluster of BetweenSessions.Groups hosts on this machine, behind nginx, for trying out and testing what several
# hosts do (sticky sessions, a host stopped or killed, a rolling restart). Not a production deployment: see
# infra/README.md, "Several hosts".
#
#   build/cluster.sh start [N]   N hosts (default 3) on one fresh PostgreSQL database, nginx in front; prints the URLs
#   build/cluster.sh status      each host's /health (and nginx's)
#   build/cluster.sh restart I   a rolling-restart step: SIGTERM host I, wait until it exits, start it again on the same
#                                ports, wait until its /health is healthy (infra/README.md, "Rolling restart")
#   build/cluster.sh stop        stops nginx and the hosts; PostgreSQL too if this script started it
#
# What start does: installs nginx and PostgreSQL from Debian if missing; starts PostgreSQL with build/postgres.sh
# (or reuses the one running, and then leaves it running at stop); creates a fresh database "bsg_cluster" (dropping
# the last one); builds the web app once (`dotnet build -c Release`) and copies the build output to .cluster/app, so
# that later builds do not change the binaries under running hosts; starts host 1 (which migrates the database and
# forms the cluster), waits for its /health, then the others; waits until every host is healthy; then starts nginx.
#
# How a host runs: `dotnet .cluster/app/BetweenSessions.Groups.Web.dll --urls http://127.0.0.1:<port>` with
# ASPNETCORE_ENVIRONMENT=Development, so that static web assets (Radzen's) resolve from the package folder. It is a
# build, not a publish: a production host runs a published folder in Production (infra/README.md, "Build").
# Each host gets its own free HTTP port and silo port, Database__Provider=postgres, Cluster__Clustering=database,
# the Orleans Dashboard (Cluster__Dashboard=true, operator: $BSG_CLUSTER_OPERATOR, default operator@example.org)
# and quick failure detection (Cluster__Membership__ProbeTimeout=00:00:02, NumMissedProbesLimit=2). Those last
# ones, and any other setting (Subscriptions__Renewal, OpenTelemetry__Endpoint, Email__Smtp__Host, ...), can be given
# in the environment of `start`: every host gets it, also when `restart` starts it again (kept in .cluster/env).
# The database, Cluster__Clustering, the ports and the environment are the script's own.
#
# Everything lives in .cluster/ (git-ignored): host-<i>.log, host-<i>.pid, hosts (index, HTTP port, silo port),
# nginx/ (its config, pid, logs and temp dirs; access.log shows which host served each request).
#
# Other knobs: BSG_CLUSTER_PORT (first port tried for nginx, default 5100; hosts from the next one, silo ports
# from 11111), BSG_CLUSTER_TIMEOUT (seconds to wait for each host's health, default 180), BSG_CLUSTER_NO_BUILD=1
# (reuse .cluster/app as it is).
#
# Note: build/test.sh stops PostgreSQL when it ends, also one it did not start; running it while the cluster runs
# takes the cluster's database away.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.cluster"
APP="$STATE/app"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DATABASE="bsg_cluster"
BASE_PORT="${BSG_CLUSTER_PORT:-5100}"
SILO_BASE_PORT=11111
TIMEOUT="${BSG_CLUSTER_TIMEOUT:-180}"
OPERATOR="${BSG_CLUSTER_OPERATOR:-operator@example.org}"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '==> %s\n' "$*"; }
fail() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets FREE_PORT to a port nobody listens on, from $1 upwards, and not one already handed out by this run.
TAKEN=" "
free_port() {
  local port="$1"
  while port_in_use "$port" || [[ "$TAKEN" == *" $port "* ]]; do
    port=$((port + 1))
    [ "$port" -lt $(($1 + 200)) ] || fail "no free port from $1"
  done
  TAKEN+="$port "
  FREE_PORT="$port"
}

# A pid that is alive and still the process we started (pids are reused), by its command line.
alive() {
  local pid="$1" what="$2" cmd
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$what"* ]]
}

host_pid() { cat "$STATE/host-$1.pid" 2>/dev/null || true; }
nginx_pid() { cat "$STATE/nginx/nginx.pid" 2>/dev/null || true; }
nginx_port() { cat "$STATE/nginx/port" 2>/dev/null || true; }

# "code body" of a host's /health, "000 ..." when nothing answers.
health() {
  local out code
  out="$(curl -sS -m 5 -w '\n%{http_code}' "http://127.0.0.1:$1/health" 2>&1)" || true
  code="${out##*$'\n'}"
  echo "$code ${out%$'\n'*}" | tr '\n' ' '
}

install_missing() {
  local need=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  [ ${#need[@]} -eq 0 ] && return
  say "Installing ${need[*]} from Debian's packages"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  # Waits for another apt-get (a test run installing its own packages) instead of failing on its lock.
  local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  # Only the binaries are wanted: Debian's nginx service (port 80) is not used, whether or not the package starts it.
  # The package lists are updated only when the install cannot find what it needs in them.
  "${apt[@]}" install -y -qq "${need[@]}" >/dev/null 2>&1 || {
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq "${need[@]}" >/dev/null
  }
}
NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"

running_hosts() { [ -f "$STATE/hosts" ] && wc -l <"$STATE/hosts" || echo 0; }

all_running() {
  [ -f "$STATE/hosts" ] || return 1
  local i http silo
  while read -r i http silo; do alive "$(host_pid "$i")" BetweenSessions.Groups.Web.dll || return 1; done <"$STATE/hosts"
  alive "$(nginx_pid)" nginx
}

print_urls() {
  local i http silo
  echo
  echo "Open http://127.0.0.1:$(nginx_port)/ (nginx, sticky per browser)."
  while read -r i http silo; do
    printf '  host %s: http://127.0.0.1:%s/  (silo port %s, log .cluster/host-%s.log, pid %s)\n' \
      "$i" "$http" "$silo" "$i" "$(host_pid "$i")"
  done <"$STATE/hosts"
  echo "  Orleans Dashboard: http://127.0.0.1:$(nginx_port)/cluster/dashboard (sign up as $OPERATOR)"
  echo "  build/cluster.sh status | restart <i> | stop"
}

start_host() {
  local i="$1" http="$2" silo="$3"
  # setsid: the host is in its own session, so a Ctrl+C in this terminal does not reach it; `stop` ends it.
  (
    cd "$APP"
    export ASPNETCORE_ENVIRONMENT=Development
    export Database__Provider=postgres ConnectionStrings__Groups="$CONNECTION"
    export Cluster__Clustering=database Cluster__SiloPort="$silo"
    export Cluster__ClusterId="${Cluster__ClusterId:-betweensessions}"
    export Cluster__AdvertisedAddress="${Cluster__AdvertisedAddress:-127.0.0.1}"
    export Cluster__Dashboard="${Cluster__Dashboard:-true}" Cluster__Operators__0="${Cluster__Operators__0:-$OPERATOR}"
    export Cluster__Membership__ProbeTimeout="${Cluster__Membership__ProbeTimeout:-00:00:02}"
    export Cluster__Membership__NumMissedProbesLimit="${Cluster__Membership__NumMissedProbesLimit:-2}"
    exec setsid dotnet BetweenSessions.Groups.Web.dll --urls "http://127.0.0.1:$http" \
      </dev/null >"$STATE/host-$i.log" 2>&1
  ) &
  echo $! >"$STATE/host-$i.pid"
}

# The lines of a host's log that say why it failed (the exception, not its stack), else its last lines.
why() {
  local log="$STATE/host-$1.log"
  grep -E -A1 '^(crit|fail):|Unhandled exception|Exception: ' "$log" 2>/dev/null | grep -v '^ *at ' | head -n 12 >&2     || tail -n 20 "$log" >&2 || true
}

wait_healthy() {
  local i="$1" http="$2" deadline=$((SECONDS + TIMEOUT)) h
  while :; do
    h="$(health "$http")"
    [ "${h%% *}" = 200 ] && return 0
    # kill -0, not alive: just started, the process may not have become dotnet yet.
    if ! kill -0 "$(host_pid "$i")" 2>/dev/null; then
      why "$i"
      fail "host $i exited before it was healthy: see .cluster/host-$i.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      why "$i"
      fail "host $i (http://127.0.0.1:$http) not healthy after ${TIMEOUT}s (last: $h): see .cluster/host-$i.log"
    fi
    sleep 1
  done
}

stop_hosts() {
  local pids=() f pid
  for f in "$STATE"/host-*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    # SIGTERM: the host leaves the cluster and hands its grains over gracefully.
    if alive "$pid" BetweenSessions.Groups.Web.dll; then kill -TERM "$pid" 2>/dev/null && pids+=("$pid"); fi
    rm -f "$f"
  done
  local deadline=$((SECONDS + 60))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "host pid $pid did not stop in 60 s: SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  [ ${#pids[@]} -eq 0 ] || say "Stopped ${#pids[@]} host(s)"
}

stop_nginx() {
  local pid; pid="$(nginx_pid)"
  if alive "$pid" nginx; then
    kill -TERM "$pid" 2>/dev/null || true
    local n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    say "Stopped nginx"
  fi
  rm -f "$STATE/nginx/nginx.pid"
}

stop_all() {
  stop_nginx
  stop_hosts
  rm -f "$STATE/hosts"
  if [ -f "$STATE/postgres-started" ]; then
    build/postgres.sh stop
    rm -f "$STATE/postgres-started"
    say "Stopped PostgreSQL (this script had started it)"
  elif [ -f "$STATE/database" ]; then
    echo "PostgreSQL keeps running (it was running before the cluster started; build/postgres.sh stop stops it)."
  fi
  rm -f "$STATE/database" "$STATE/env"
}

start() {
  local n="${1:-3}"
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || fail "the number of hosts must be 1 to 99, not '$n'"
  if all_running; then
    [ "$(running_hosts)" = "$n" ] || fail "a cluster of $(running_hosts) host(s) is running: build/cluster.sh stop first"
    say "The cluster is already running"
    print_urls
    return
  fi
  if [ -f "$STATE/hosts" ] || [ -n "$(nginx_pid)" ] || compgen -G "$STATE/host-*.pid" >/dev/null; then
    say "Clearing what is left of an earlier cluster"
    stop_all
  fi
  mkdir -p "$STATE/nginx/tmp"

  # From here on, a failure takes down whatever this run started.
  trap 'rc=$?; if [ $rc != 0 ]; then echo "cluster.sh: start failed; stopping what it started" >&2; stop_all >&2 || true; fi' EXIT

  install_missing

  if build/postgres.sh url >/dev/null 2>&1; then
    say "Using the PostgreSQL already running (build/postgres.sh)"
  else
    say "Starting PostgreSQL (build/postgres.sh)"
    build/postgres.sh start >/dev/null
    touch "$STATE/postgres-started"
  fi
  local url pg_port
  url="$(build/postgres.sh url)"
  pg_port="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$url")"
  CONNECTION="${url%%Database=*}Database=$DATABASE"
  echo "$CONNECTION" >"$STATE/database"
  say "Creating a fresh database $DATABASE"
  PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
    -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE" >/dev/null

  if [ "${BSG_CLUSTER_NO_BUILD:-}" = 1 ] && [ -f "$APP/BetweenSessions.Groups.Web.dll" ]; then
    say "Using the build in .cluster/app (BSG_CLUSTER_NO_BUILD=1)"
  else
    say "Building the web app (Release)"
    dotnet build src/BetweenSessions.Groups.Web -c Release -v quiet -nologo >"$STATE/build.log" 2>&1 \
      || { grep -E 'error|Error' "$STATE/build.log" | sort -u | head -20 >&2; fail "the build failed: see .cluster/build.log"; }
    rm -rf "$APP"
    cp -a src/BetweenSessions.Groups.Web/bin/Release/net10.0 "$APP"
  fi

  local nginx_port i http silo
  TAKEN+="$pg_port "
  free_port "$BASE_PORT"; nginx_port="$FREE_PORT"
  : >"$STATE/hosts.tmp"
  for i in $(seq 1 "$n"); do
    free_port "$((BASE_PORT + 1))"; http="$FREE_PORT"
    free_port "$SILO_BASE_PORT"; silo="$FREE_PORT"
    echo "$i $http $silo" >>"$STATE/hosts.tmp"
  done
  mv "$STATE/hosts.tmp" "$STATE/hosts"
  # The settings given to start (NAME__KEY=..., OTEL_*), for restart.
  export -p | grep -E '^declare -x ([A-Za-z0-9_]+__[A-Za-z0-9_]+|OTEL_[A-Z_]+)=' >"$STATE/env" || true

  # Host 1 alone first: it migrates the fresh database and forms the cluster; then the rest join it together.
  while read -r i http silo; do
    say "Starting host $i on http://127.0.0.1:$http (silo port $silo)"
    start_host "$i" "$http" "$silo"
    if [ "$i" = 1 ]; then wait_healthy "$i" "$http"; fi
  done <"$STATE/hosts"
  say "Waiting until every host is healthy (at most ${TIMEOUT}s each)"
  while read -r i http silo; do wait_healthy "$i" "$http"; done <"$STATE/hosts"

  say "Starting nginx on http://127.0.0.1:$nginx_port"
  local servers="" conf
  while read -r i http silo; do
    servers+="        server 127.0.0.1:$http max_fails=1 fail_timeout=10s;  # host $i"$'\n'
  done <"$STATE/hosts"
  conf="$(cat infra/nginx/cluster.conf.template)"
  conf="${conf//@STATE@/$STATE}"
  conf="${conf//@NGINX_PORT@/$nginx_port}"
  conf="${conf//@UPSTREAM_SERVERS@/${servers%$'\n'}}"
  # As root, nginx's workers would otherwise run as nobody, who may not reach .cluster/.
  if [ "$(id -u)" = 0 ]; then conf="${conf//@USER_DIRECTIVE@/user root;}"; else conf="${conf//@USER_DIRECTIVE@/}"; fi
  printf '%s\n' "$conf" >"$STATE/nginx/nginx.conf"
  echo "$nginx_port" >"$STATE/nginx/port"
  "$NGINX" -t -q -p "$STATE/nginx" -e "$STATE/nginx/error.log" -c "$STATE/nginx/nginx.conf" \
    || fail "nginx refused .cluster/nginx/nginx.conf"
  "$NGINX" -p "$STATE/nginx" -e "$STATE/nginx/error.log" -c "$STATE/nginx/nginx.conf" \
    || { tail -n 20 "$STATE/nginx/error.log" >&2 || true; fail "nginx did not start: see .cluster/nginx/error.log"; }
  local n_wait=0
  until [ "$(health "$nginx_port" | cut -d' ' -f1)" = 200 ]; do
    n_wait=$((n_wait + 1))
    [ $n_wait -lt 50 ] || fail "nginx does not answer on port $nginx_port: see .cluster/nginx/error.log"
    sleep 0.2
  done

  trap - EXIT
  say "The cluster is running: $n host(s)"
  print_urls
}

restart() {
  local want="$1" i http silo found=""
  [ -f "$STATE/hosts" ] || fail "no cluster is running (build/cluster.sh start)"
  while read -r i http silo; do [ "$i" = "$want" ] && found="$i $http $silo"; done <"$STATE/hosts"
  [ -n "$found" ] || fail "there is no host $want"
  read -r i http silo <<<"$found"
  CONNECTION="$(cat "$STATE/database")"
  local pid deadline; pid="$(host_pid "$i")"
  if alive "$pid" BetweenSessions.Groups.Web.dll; then
    say "Stopping host $i (SIGTERM, pid $pid)"
    kill -TERM "$pid"
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "host $i did not stop in 60 s: SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  mv -f "$STATE/host-$i.log" "$STATE/host-$i.previous.log" 2>/dev/null || true
  say "Starting host $i on http://127.0.0.1:$http (silo port $silo)"
  # shellcheck disable=SC1091
  [ -f "$STATE/env" ] && . "$STATE/env"
  start_host "$i" "$http" "$silo"
  wait_healthy "$i" "$http"
  say "Host $i is healthy again: $(health "$http")"
}

status() {
  [ -f "$STATE/hosts" ] || { echo "No cluster is running (build/cluster.sh start)."; exit 1; }
  local i http silo pid bad=0 h
  while read -r i http silo; do
    pid="$(host_pid "$i")"
    if alive "$pid" BetweenSessions.Groups.Web.dll; then
      h="$(health "$http")"
      printf 'host %s  http://127.0.0.1:%s  pid %s  silo %s  /health: %s\n' "$i" "$http" "$pid" "$silo" "$h"
      [ "${h%% *}" = 200 ] || bad=1
    else
      printf 'host %s  http://127.0.0.1:%s  not running (see .cluster/host-%s.log)\n' "$i" "$http" "$i"
      bad=1
    fi
  done <"$STATE/hosts"
  if alive "$(nginx_pid)" nginx; then
    printf 'nginx   http://127.0.0.1:%s  pid %s  /health: %s\n' "$(nginx_port)" "$(nginx_pid)" "$(health "$(nginx_port)")"
  else
    echo "nginx   not running (see .cluster/nginx/error.log)"; bad=1
  fi
  return $bad
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop_all ;;
  status) status ;;
  restart) [ -n "${2:-}" ] || fail "usage: $0 restart <host number>"; restart "$2" ;;
  *) echo "usage: $0 start [N] | status | restart I | stop" >&2; exit 2 ;;
esac
