#!/usr/bin/env bash
# A consistent copy of the app's SQLite database, taken while the app runs (SQLite's online backup: the copy is
# the database as of one commit, including commits still in its -wal file, which a plain cp would miss).
#   build/backup.sh [db-file] [out-file]
#   db-file    default: src/BetweenSessions.Groups.Web/data/betweensessions.db (the embedded default of build/run.sh)
#   out-file   default: backups/betweensessions-<UTC time>.db (git-ignored); an existing file is never overwritten
# The copy is checked with SQLite's integrity check before it is kept; the script prints where it is and its size.
# It needs only the .NET SDK: it builds src/BetweenSessions.Groups.Backup, which brings its own SQLite.
# PostgreSQL: see "Backups" in infra/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }
case "${1:-}" in -h|--help) usage 0 ;; esac
[ $# -le 2 ] || usage

DB="${1:-$ROOT/src/BetweenSessions.Groups.Web/data/betweensessions.db}"
OUT="${2:-$ROOT/backups/betweensessions-$(date -u +%Y%m%d-%H%M%SZ).db}"
# Checked here too, so that a mistyped path fails before the build does anything.
[ -f "$DB" ] || { echo "No database at $DB. The app creates it when it first starts (build/run.sh)." >&2; exit 1; }

# shellcheck source=build/backup-tool.sh
source "$ROOT/build/backup-tool.sh"
run_backup_tool backup "$DB" "$OUT"
