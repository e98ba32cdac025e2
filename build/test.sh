#!/usr/bin/env bash
# Runs every test the way CI does, on a fresh machine: installs what is missing (Debian's chromium,
# PostgreSQL and python3-aiosmtpd, npm packages), restores into a repo-local package folder, starts a throwaway PostgreSQL on
# loopback, then runs the unit, data (SQLite and PostgreSQL), API, hub (npm SignalR client) and browser tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_PACKAGES="$ROOT/.nuget-packages"   # never ~/.nuget: a package the source cannot serve must fail here
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
step() { printf '\n==> %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)   # the email tests' SMTP server
if [ ${#need_apt[@]} -gt 0 ]; then
  step "Installing ${need_apt[*]} from Debian's packages"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

step "Installing npm packages for the hub tests and the load generator's smoke test"
(cd tests/hub-client && npm ci --no-audit --no-fund --loglevel=error)
(cd bench/hub-load && npm ci --no-audit --no-fund --loglevel=error)

step "Starting PostgreSQL on loopback"
build/postgres.sh start >/dev/null
trap 'build/postgres.sh stop >/dev/null 2>&1 || true' EXIT
export BSG_TEST_POSTGRES="$(build/postgres.sh url)"
export BSG_REQUIRE_POSTGRES=1 BSG_REQUIRE_BROWSER=1 BSG_REQUIRE_NODE=1 BSG_REQUIRE_SMTP=1
export BSG_CHROMIUM="$(command -v chromium)"

step "Restoring and building"
dotnet restore BetweenSessions.Groups.sln
dotnet build BetweenSessions.Groups.sln --no-restore -c Release -v quiet -nologo

status=0
log="$(mktemp)"
for project in tests/*/*.Tests.csproj; do
  step "Testing $(basename "$project" .csproj)"
  # A test that hangs is stopped after 15 minutes and named in the output, instead of holding CI until its limit.
  dotnet test "$project" --no-build -c Release --logger "console;verbosity=normal" \
    --blame-hang --blame-hang-timeout 15m --blame-hang-dump-type none 2>&1 | tee -a "$log" || status=1
done
if [ $status = 0 ]; then
  step "All tests passed"
else
  # CI keeps only the end of the output: repeat each failure there, with its message and the top of its stack.
  step "Some tests failed"
  awk '/^  Failed /{n=25} n>0{print; n--}' "$log"
fi
rm -f "$log"
exit $status
