#!/usr/bin/env bash
# The embedded PostgreSQL 15 cluster: dev/pg.sh start|stop|status.
# `start` prints "started" when it started the server, so that the caller stops it again.
# With PGHOST / PGPORT / PGUSER set, an existing server is used and nothing is started.
source "$(dirname "$0")/common.sh"

running() { as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

case "${1:-}" in
start)
    if [[ $PG_EMBEDDED == 0 ]]; then
        "$PG_BIN/pg_isready" -q || die "No PostgreSQL answers at $PGHOST:$PGPORT (PGHOST/PGPORT/PGUSER)."
        exit 0
    fi
    [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 server binaries not found in $PG_BIN (Debian: postgresql-15)."
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        log "Creating a private PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DIR"
        [[ $(id -u) -eq 0 ]] && chown "$PG_OS_USER" "$PG_DIR"
        as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale >/dev/null
    fi
    if running; then exit 0; fi
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 start -o \
        "-k $PG_DIR -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null || die "PostgreSQL did not start; see $PG_DIR/server.log"
    psql -U postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1 \
        || psql -U postgres -qc "CREATE ROLE odoo LOGIN CREATEDB SUPERUSER"
    echo started
    ;;
stop)
    [[ $PG_EMBEDDED == 1 ]] && running && as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    exit 0
    ;;
status)
    [[ $PG_EMBEDDED == 0 ]] && { "$PG_BIN/pg_isready"; exit $?; }
    running && echo "running ($PG_DATA, socket in $PG_DIR, port $PGPORT)" || { echo stopped; exit 3; }
    ;;
*)
    die "usage: dev/pg.sh start|stop|status"
    ;;
esac
