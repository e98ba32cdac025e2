#!/usr/bin/env bash
# Starts BetweenSessions.Groups on its embedded default (a SQLite file in src/BetweenSessions.Groups.Web/data/),
# created and migrated at start-up. Set PORT to use another port.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_PACKAGES="${NUGET_PACKAGES:-$ROOT/.nuget-packages}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-5080}"
URL="http://localhost:$PORT"
dotnet build src/BetweenSessions.Groups.Web -v quiet -nologo
echo
echo "BetweenSessions is starting. Open $URL in your browser (Ctrl+C stops it)."
echo
# Development: static web assets (Radzen's CSS and scripts) are served from the package folder only in Development
# or from a published build.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet run --project src/BetweenSessions.Groups.Web --no-build --no-launch-profile --urls "$URL"
