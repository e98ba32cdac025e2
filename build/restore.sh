#!/usr/bin/env bash
# Puts a backup made by build/backup.sh (or any SQLite copy of the app's database) back in place.
#   build/restore.sh <backup-file> [db-file]
#   db-file    default: src/BetweenSessions.Groups.Web/data/betweensessions.db (the embedded default of build/run.sh)
# Stop the app first: the script refuses while any process has db-file (or its -wal or -shm) open. Run it as the
# app's user or as root, so that it can see the app's processes.
# The backup must pass SQLite's integrity check before anything is replaced. The database it replaces is kept as
# <db-file>.before-restore-<UTC time> (with its -wal, which may hold its last commits), and the stale -shm goes.
# Then start the app: it migrates the restored database at start-up if the release is newer than the backup.
# PostgreSQL: see "Backups" in infra/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }
case "${1:-}" in -h|--help) usage 0 ;; '') usage ;; esac
[ $# -le 2 ] || usage

BACKUP="$1"
DB="${2:-$ROOT/src/BetweenSessions.Groups.Web/data/betweensessions.db}"
[ -f "$BACKUP" ] || { echo "No backup at $BACKUP." >&2; exit 1; }

# shellcheck source=build/backup-tool.sh
source "$ROOT/build/backup-tool.sh"
run_backup_tool restore "$BACKUP" "$DB"
