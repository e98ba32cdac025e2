#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the data tests.
#   build/postgres.sh start   start it (or, if it already runs, do nothing) and print its connection string
#   build/postgres.sh url     print the Npgsql connection string of the running cluster
#   build/postgres.sh stop    stop it and delete it
# Trust authentication on 127.0.0.1 only: it holds test data and nothing else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.test-postgres"          # git-ignored
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DEFAULT_PORT="${BSG_POSTGRES_PORT:-55432}"

# initdb and postgres refuse to run as root, so as root they run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster lives in .test-postgres/ unless the postgres user cannot reach the checkout
# (e.g. a clone under /root) or the socket path would be too long; then in /tmp.
cluster_dir() {
  if [ -f "$STATE/location" ]; then cat "$STATE/location"; return; fi
  local dir="$STATE/cluster"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  if [ ${#dir} -gt 80 ] || ! as_pg test -w "$dir"; then
    rmdir "$dir"
    dir="$(mktemp -d /tmp/bsg-test-postgres.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  fi
  echo "$dir" > "$STATE/location"
  echo "$dir"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() {
  [ -f "$STATE/location" ] && [ -f "$STATE/port" ] || return 1
  as_pg "$PG_BIN/pg_ctl" -D "$(cat "$STATE/location")/data" status >/dev/null 2>&1
}

url() { echo "Host=127.0.0.1;Port=$(cat "$STATE/port");Username=postgres;Database=postgres"; }

ensure_installed() {
  [ -x "$PG_BIN/initdb" ] && return
  if [ "$(id -u)" != 0 ]; then echo "PostgreSQL 15 is not installed: apt-get install -y postgresql" >&2; exit 1; fi
  # Installing starts nothing here; the package only brings the binaries and the postgres user.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
}

start() {
  if running; then url; return; fi
  ensure_installed
  mkdir -p "$STATE"
  local dir; dir="$(cluster_dir)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  local port="$DEFAULT_PORT"
  while :; do
    while port_in_use "$port"; do
      port=$((port + 1))
      [ "$port" -lt $((DEFAULT_PORT + 100)) ] || { echo "no free port from $DEFAULT_PORT" >&2; exit 1; }
    done
    rm -f "$dir/server.log"   # only this attempt's messages; pg_ctl creates it as the server's user
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=200" start >/dev/null; then
      break
    fi
    # A port can be taken with nobody listening on it (a client socket's ephemeral port, which the check above
    # cannot see): then the next one is tried.
    if grep -q "Address already in use" "$dir/server.log" && [ "$port" -lt $((DEFAULT_PORT + 100)) ]; then
      port=$((port + 1))
      continue
    fi
    cat "$dir/server.log" >&2
    exit 1
  done
  echo "$port" > "$STATE/port"
  url
}

stop() {
  if [ -f "$STATE/location" ]; then
    local dir; dir="$(cat "$STATE/location")"
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) if running; then url; else echo "no test cluster is running: build/postgres.sh start" >&2; exit 1; fi ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
