#!/usr/bin/env bash
# Starts a private, loopback-only PostgreSQL for local runs and CI, creates role/db orleans/orleans,
# applies orleans-schema.sql and writes "$STATE/pg.env" (HARNESS_PG, port, pid) for callers to source.
# Usage: deploy/postgresql/setup-local.sh [state-dir]    (default: <repo>/.pgdata)
# Re-running with the same state dir reuses the data and the running server.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STATE="${1:-$REPO/.pgdata}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
SCHEMA="$HERE/orleans-schema.sql"
FIRST_PORT="${HARNESS_PG_FIRST_PORT:-55432}"

log() { echo "setup-local: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_pgbin() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && best="$d"   # glob is sorted; keep the last (newest) version
    done
    if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
        best="$(dirname "$(command -v initdb)")"
    fi
    echo "$best"
}

PGBIN="$(find_pgbin)"
if [ -z "$PGBIN" ]; then
    log "no PostgreSQL server found, installing with apt-get"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    PGBIN="$(find_pgbin)"
    [ -n "$PGBIN" ] || die "initdb still not found after installing postgresql"
fi

# initdb/postgres/pg_ctl refuse to run as root, so root runs them as the postgres user.
AS_ROOT=0
[ "$(id -u)" -eq 0 ] && AS_ROOT=1
as_pg() {
    if [ "$AS_ROOT" -eq 1 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

DATA="$STATE/data"
if [ "$AS_ROOT" -eq 1 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    # A checkout below e.g. /root is not reachable for the postgres user: keep the data in /tmp then.
    if ! runuser -u postgres -- test -w "$DATA"; then
        if [ -f "$STATE/datadir" ] && [ -d "$(cat "$STATE/datadir")" ]; then
            DATA="$(cat "$STATE/datadir")"
        else
            DATA="$(mktemp -d /tmp/harness-pgdata.XXXXXX)"
            chown postgres:postgres "$DATA"
            chmod 700 "$DATA"
            echo "$DATA" >"$STATE/datadir"
        fi
        log "state dir not reachable for user postgres, using $DATA"
    fi
else
    mkdir -p "$DATA"
    chmod 700 "$DATA"
fi
SERVER_LOG="$DATA/server.log"

if [ ! -s "$DATA/PG_VERSION" ]; then
    # trust is acceptable only because the server listens on 127.0.0.1 and holds throwaway data.
    as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >"$STATE/initdb.log" 2>&1 \
        || { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
fi

port_is_free() {
    if command -v perl >/dev/null 2>&1; then
        perl -MSocket -e 'socket(S, PF_INET, SOCK_STREAM, 0) or exit 2;
            setsockopt(S, SOL_SOCKET, SO_REUSEADDR, 1);
            bind(S, sockaddr_in($ARGV[0], inet_aton("127.0.0.1"))) or exit 1; exit 0' "$1"
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

running_port() {
    # postmaster.pid line 4 is the port; empty when the server is not running.
    if as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        sed -n 4p "$DATA/postmaster.pid"
    fi
}

PORT="$(running_port)"
if [ -n "$PORT" ]; then
    log "reusing running server on port $PORT"
else
    attempts=0
    candidate="$FIRST_PORT"
    while [ -z "$PORT" ]; do
        attempts=$((attempts + 1))
        [ "$attempts" -le 100 ] || die "no free port in $FIRST_PORT..$candidate"
        if port_is_free "$candidate"; then
            # Settings live in the (throwaway) data dir; fsync off trades crash safety for test speed.
            cat >"$DATA/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $candidate
unix_socket_directories = ''
timezone = 'UTC'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
            rm -f "$SERVER_LOG"
            if as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$SERVER_LOG" -w -t 60 start >/dev/null 2>&1; then
                PORT="$candidate"
            elif ! grep -qi "address already in use\|could not bind" "$SERVER_LOG" 2>/dev/null; then
                tail -n 30 "$SERVER_LOG" >&2 || true
                die "postgres failed to start"
            fi
        fi
        candidate=$((candidate + 1))
    done
    log "started postgres on 127.0.0.1:$PORT (data $DATA)"
fi

ready=0
for _ in $(seq 1 60); do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; then
        ready=1
        break
    fi
    sleep 1
done
[ "$ready" -eq 1 ] || { tail -n 30 "$SERVER_LOG" >&2 || true; die "postgres not ready after 60 s"; }

# client_min_messages: re-applying the schema would print a NOTICE per existing table.
PSQL=(env PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -U postgres -d postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orleans') THEN
        CREATE ROLE orleans LOGIN PASSWORD 'orleans';
    END IF;
END
$$;
SQL
if [ -z "$("${PSQL[@]}" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'orleans'")" ]; then
    "${PSQL[@]}" -U postgres -d postgres -c "CREATE DATABASE orleans OWNER orleans"
fi
PGPASSWORD=orleans "${PSQL[@]}" -U orleans -d orleans -f "$SCHEMA"

PID="$(head -n 1 "$DATA/postmaster.pid")"
cat >"$STATE/pg.env" <<ENV
export HARNESS_PG='Host=127.0.0.1;Port=$PORT;Database=orleans;Username=orleans;Password=orleans'
export HARNESS_PG_PORT=$PORT
export HARNESS_PG_PID=$PID
export HARNESS_PG_DATA='$DATA'
export HARNESS_PG_BIN='$PGBIN'
ENV
log "ready: source $STATE/pg.env"
