#!/usr/bin/env bash
# Every database provider has its own migrations (src/BetweenSessions.Groups.Data/Migrations/<Provider>), generated
# from the same model. Change the schema only through this script so that none of them falls behind, SQL Server
# included, which no machine here can run.
#   build/migrations.sh add <Name>   add migration <Name> for every provider
#   build/migrations.sh remove       remove the last migration of every provider
#   build/migrations.sh check        fail if any provider's migrations miss a model change
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
PROJECT=src/BetweenSessions.Groups.Data
PROVIDERS=(Sqlite Postgres SqlServer)

ef() {
  local provider=$1; shift
  dotnet ef "$@" --project "$PROJECT" --startup-project "$PROJECT" --context "${provider}GroupsDbContext" --no-build
}

build() {
  dotnet tool restore >/dev/null
  dotnet build "$PROJECT" -nologo -v q -clp:ErrorsOnly
}

case "${1:-}" in
  add)
    name="${2:?usage: $0 add <Name>}"
    build
    for p in "${PROVIDERS[@]}"; do
      ef "$p" migrations add "$name" --output-dir "Migrations/$p"
    done
    ;;
  remove)
    build
    for p in "${PROVIDERS[@]}"; do ef "$p" migrations remove --force; done
    ;;
  check)
    build
    for p in "${PROVIDERS[@]}"; do ef "$p" migrations has-pending-model-changes; done
    ;;
  *)
    echo "usage: $0 add <Name> | remove | check" >&2
    exit 2
    ;;
esac
