#!/usr/bin/env bash
# `make load`: portal customers reorder while staff accept, against Odoo in prefork mode
# on the loopback address; then the database is checked (dev/load/check.py). Fails on a
# request that failed (locust's errors), a failed check, or an error or a warning in
# Odoo's log; it asserts no timing (`make test-tools` runs it at its smallest).
#   LOAD_USERS (20) locust users, 2 of them staff; LOAD_TIME (60s); WORKERS (4);
#   LOAD_PORT (8075, and the bus on LOAD_PORT + 3); LOAD_DB (sale_reorder_load).
#   REPLICA=1: Odoo also gets a hot standby (db_replica_*), which serves the portal's
#   read-only routes; the reads of each server are shown.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/replica.sh"
source "$(dirname "$0")/serve.sh"

DB=${LOAD_DB:-sale_reorder_load}
PORT=${LOAD_PORT:-8075}
USERS=${LOAD_USERS:-20}
RUN_TIME=${LOAD_TIME:-60s}
WORKERS=${WORKERS:-4}
LOG=$CACHE_DIR/load-odoo.log
COUNTS=$CACHE_DIR/load-counts.json

bash "$ADDON_DIR/dev/prepare.sh" --load
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"

log "Creating $USERS load customers and the staff user"
LOAD_CUSTOMERS=$USERS odoo_shell "$DB" "$ADDON_DIR/dev/load/setup.py"

replica_options=()
if [[ -n "${REPLICA:-}" ]]; then
    start_replica
    replica_options=(--db_replica_host="$PG_DIR" --db_replica_port="$REPLICA_PORT")
fi

pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "stop_replica; drop_db $DB; ${pg_trap:-:}" EXIT
log "Odoo with $WORKERS workers on http://127.0.0.1:$PORT (log: $LOG)"
serve_db "$DB" "$PORT" "$LOG" --gevent-port=$((PORT + 3)) --workers="$WORKERS" \
    "${replica_options[@]}"
# Each worker loads the registry on its first request: before the load, not in its figures.
seq "$WORKERS" | xargs -P "$WORKERS" -I{} curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login"

if [[ -n "${REPLICA:-}" ]]; then
    read -r primary_xacts primary_rows <<<"$(server_reads "$PGPORT" "$DB")"
    read -r replica_xacts replica_rows <<<"$(server_reads "$REPLICA_PORT" "$DB")"
fi
log "locust: $USERS users ($((USERS - 2)) customers, 2 staff) for $RUN_TIME"
failed=0
rm -f "$COUNTS"
LOAD_COUNTS=$COUNTS "$LOAD_VENV/bin/locust" -f "$ADDON_DIR/dev/load/locustfile.py" --headless \
    --users "$USERS" --spawn-rate 5 --run-time "$RUN_TIME" \
    --host "http://127.0.0.1:$PORT" --odoo-db "$DB" --only-summary \
    --stop-timeout 30 --exit-code-on-error 1 2>&1 | sed -n '/Type .*Name/,$p' || {
    log "Some requests of the load failed (locust's errors, above)"
    failed=1
}
stop_serving
if [[ -n "${REPLICA:-}" ]]; then
    read -r xacts rows <<<"$(server_reads "$PGPORT" "$DB")"
    echo "  primary: $((xacts - primary_xacts)) transactions, $((rows - primary_rows)) rows read"
    read -r xacts rows <<<"$(server_reads "$REPLICA_PORT" "$DB")"
    echo "  replica: $((xacts - replica_xacts)) transactions, $((rows - replica_rows)) rows read"
    ((xacts > replica_xacts)) || { log "The replica served nothing"; failed_replica=1; }
fi

log "The database after the load"
[[ -z "${failed_replica:-}" ]] || failed=1
LOAD_COUNTS=$COUNTS odoo_shell "$DB" "$ADDON_DIR/dev/load/check.py" || failed=1
# Expected contention (two staff on one request, a form posted twice, two opportunities
# won at once on CRM's lead scoring rows) is retried by Odoo at INFO: no error, no warning.
retries=$(grep -c "tries left, try again" "$LOG" || true)
log "Odoo retried $retries transactions after a serialization failure"
check_odoo_log "$LOG" "the load" || failed=1
((failed)) || log "make load: done in ${SECONDS}s"
exit $failed
