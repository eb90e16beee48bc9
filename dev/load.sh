#!/usr/bin/env bash
# `make load`: portal customers reorder while staff accept, against Odoo in prefork mode
# on the loopback address; then the database is checked (dev/load/check.py).
#   LOAD_USERS (20) locust users, 2 of them staff; LOAD_TIME (60s); WORKERS (4).
#   REPLICA=1: Odoo also gets a hot standby (db_replica_*), which serves the portal's
#   read-only routes; the reads of each server are shown.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/replica.sh"

DB=sale_reorder_load
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

log "Odoo with $WORKERS workers on http://127.0.0.1:$PORT (log: $LOG)"
rm -f "$LOG"
"${ODOO_BIN[@]}" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 \
    --http-port="$PORT" --gevent-port=$((PORT + 3)) --workers="$WORKERS" \
    --max-cron-threads=0 --log-level=info --logfile="$LOG" "${replica_options[@]}" &
odoo_pid=$!
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "kill $odoo_pid 2>/dev/null || true; wait $odoo_pid 2>/dev/null || true; stop_replica; ${pg_trap:-:}" EXIT
wait_for_http "$PORT"

if [[ -n "${REPLICA:-}" ]]; then
    read -r primary_xacts primary_rows <<<"$(server_reads "$PGPORT" "$DB")"
    read -r replica_xacts replica_rows <<<"$(server_reads "$REPLICA_PORT" "$DB")"
fi
log "locust: $USERS users ($((USERS - 2)) customers, 2 staff) for $RUN_TIME"
LOAD_COUNTS=$COUNTS "$LOAD_VENV/bin/locust" -f "$ADDON_DIR/dev/load/locustfile.py" --headless \
    --users "$USERS" --spawn-rate 5 --run-time "$RUN_TIME" \
    --host "http://127.0.0.1:$PORT" --odoo-db "$DB" --only-summary \
    --stop-timeout 30 --exit-code-on-error 0 2>&1 | sed -n '/Type .*Name/,$p'
kill "$odoo_pid"
wait "$odoo_pid" 2>/dev/null || true
if [[ -n "${REPLICA:-}" ]]; then
    read -r xacts rows <<<"$(server_reads "$PGPORT" "$DB")"
    echo "  primary: $((xacts - primary_xacts)) transactions, $((rows - primary_rows)) rows read"
    read -r xacts rows <<<"$(server_reads "$REPLICA_PORT" "$DB")"
    echo "  replica: $((xacts - replica_xacts)) transactions, $((rows - replica_rows)) rows read"
    ((xacts > replica_xacts)) || { log "The replica served nothing"; failed_replica=1; }
fi

log "The database after the load"
failed=${failed_replica:-0}
LOAD_COUNTS=$COUNTS odoo_shell "$DB" "$ADDON_DIR/dev/load/check.py" || failed=1
# Expected contention (two staff on one request, a form posted twice, two opportunities
# won at once on CRM's lead scoring rows) is retried by Odoo at INFO: no error, no warning.
log_ok=1
retries=$(grep -c "tries left, try again" "$LOG" || true)
log "Odoo retried $retries transactions after a serialization failure"
report=$("${CHECKLOG[@]}" --no-err-if-empty "$LOG") || log_ok=0
grep -v "^ " <<<"$report" | cut -c1-200 || true
if ((!log_ok)); then
    log "Odoo logged errors or warnings during the load (above; whole log: $LOG)"
    failed=1
fi
drop_db "$DB"
exit $failed
