# A hot standby of the embedded PostgreSQL cluster, for `REPLICA=1 make load`: a base
# backup of the primary (pg_basebackup -R: streaming replication) started on the next
# port, on the same unix socket directory. Source it after common.sh.
# shellcheck shell=bash

REPLICA_DATA=$PG_DIR/replica
REPLICA_PORT=$((PGPORT + 1))

start_replica() {
    [[ $PG_EMBEDDED == 1 ]] || die "REPLICA=1 needs the embedded PostgreSQL cluster."
    stop_replica
    as_pg_user rm -rf "$REPLICA_DATA"
    log "A hot standby: pg_basebackup -R of the primary into $REPLICA_DATA"
    as_pg_user "$PG_BIN/pg_basebackup" -h "$PG_DIR" -p "$PGPORT" -U postgres \
        -D "$REPLICA_DATA" -R -X stream -c fast
    as_pg_user "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$PG_DIR/replica.log" -w -t 60 start -o \
        "-k $PG_DIR -p $REPLICA_PORT -c listen_addresses='' -c hot_standby=on -c max_connections=200" \
        >/dev/null || die "The standby did not start; see $PG_DIR/replica.log"
    [[ $(psql -p "$REPLICA_PORT" -qtAc "SELECT pg_is_in_recovery()") == t ]] ||
        die "The standby is not in recovery"
    log "Standby streaming on port $REPLICA_PORT"
}

stop_replica() {
    if [[ -f "$REPLICA_DATA/postmaster.pid" ]]; then
        as_pg_user "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null || true
    fi
}

# replica_reads DB: the transactions and rows read on each server for DB, one line each.
server_reads() {
    psql -p "$1" -qtAc "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched
        FROM pg_stat_database WHERE datname = '$2'" | tr '|' ' '
}
