# Sourced by build/backup.sh and build/restore.sh: runs src/BetweenSessions.Groups.Backup with its arguments,
# building it first. Release, as build/test.sh builds the solution, so that there the build is a no-op. No build
# servers: they would outlive the script (and hold the output of whoever started it open). The build's own output
# only when it fails.
run_backup_tool() {
  local tool="$ROOT/src/BetweenSessions.Groups.Backup" build_log
  if ! build_log="$(dotnet build "$tool" -c Release -nologo -v quiet --disable-build-servers 2>&1)"; then
    echo "$build_log" >&2
    exit 1
  fi
  exec dotnet "$tool/bin/Release/net10.0/BetweenSessions.Groups.Backup.dll" "$@"
}
