#!/usr/bin/env bash
# Stops the server started by setup-local.sh (fast shutdown), using the pid/data dir recorded in pg.env.
# Usage: deploy/postgresql/stop-local.sh [state-dir]    (default: <repo>/.pgdata)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${1:-$HERE/../../.pgdata}"
ENV_FILE="$STATE/pg.env"
[ -f "$ENV_FILE" ] || { echo "stop-local: no $ENV_FILE, nothing to stop" >&2; exit 0; }
# shellcheck disable=SC1090
source "$ENV_FILE"

if ! kill -0 "$HARNESS_PG_PID" 2>/dev/null; then
    echo "stop-local: pid $HARNESS_PG_PID not running" >&2
    exit 0
fi

stop_cmd=("$HARNESS_PG_BIN/pg_ctl" -D "$HARNESS_PG_DATA" -m fast -w -t 30 stop)
if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "${stop_cmd[@]}" >/dev/null || true
else
    "${stop_cmd[@]}" >/dev/null || true
fi

# Fallback if pg_ctl could not do it: SIGINT is postgres' fast shutdown, aimed at our pid only.
for _ in $(seq 1 30); do
    kill -0 "$HARNESS_PG_PID" 2>/dev/null || break
    kill -INT "$HARNESS_PG_PID" 2>/dev/null || true
    sleep 1
done
if kill -0 "$HARNESS_PG_PID" 2>/dev/null; then
    echo "stop-local: postgres pid $HARNESS_PG_PID still running" >&2
    exit 1
fi
# The /tmp fallback data dir of setup-local.sh is temporary by definition.
case "$HARNESS_PG_DATA" in /tmp/harness-pgdata.*) rm -rf "$HARNESS_PG_DATA" ;; esac
echo "stop-local: stopped postgres pid $HARNESS_PG_PID" >&2
