#!/usr/bin/env bash
# `make test-race`: customers and staff racing each other over real parallel
# connections, against Odoo in prefork mode (several workers, as in production): the
# rate limit, a form posted twice, two staff accepting the same requests. Then the
# database is checked, and Odoo's log must hold no error and no warning.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_race
PORT=${RACE_PORT:-8077}
WORKERS=${WORKERS:-6}
LOG=$CACHE_DIR/race-odoo.log

bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"
odoo_shell "$DB" "$ADDON_DIR/dev/race/setup.py"

log "Odoo with $WORKERS workers on http://127.0.0.1:$PORT (log: $LOG)"
rm -f "$LOG"
"${ODOO_BIN[@]}" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 \
    --http-port="$PORT" --gevent-port=$((PORT + 3)) --workers="$WORKERS" \
    --max-cron-threads=0 --log-level=info --logfile="$LOG" &
odoo_pid=$!
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "kill $odoo_pid 2>/dev/null || true; wait $odoo_pid 2>/dev/null || true; drop_db $DB; ${pg_trap:-:}" EXIT
wait_for_http "$PORT"

failed=0
"$VENV/bin/python" "$ADDON_DIR/dev/race/parallel.py" "http://127.0.0.1:$PORT" "$DB" || failed=1
kill "$odoo_pid"
wait "$odoo_pid" 2>/dev/null || true
odoo_shell "$DB" "$ADDON_DIR/dev/race/check.py" || failed=1
# Expected contention is retried by Odoo at INFO level: no error, no warning.
retries=$(grep -c "tries left, try again" "$LOG" || true)
log "Odoo retried $retries transactions after a serialization failure"
"${CHECKLOG[@]}" --no-err-if-empty "$LOG" | cut -c1-200 | head -n 40 || {
    log "Odoo logged errors or warnings during the races (above; whole log: $LOG)"
    failed=1
}
exit $failed
