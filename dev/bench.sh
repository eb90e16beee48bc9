#!/usr/bin/env bash
# `make bench`: the purchase history at ×0.1, ×1 and ×10 (2,000 / 20,000 / 200,000 invoice
# lines of one B2B customer), model side (dev/bench/history.py) and portal pages side by
# side with Odoo's own /my/orders and /my/invoices (dev/bench/pages.py), step 1 with and
# without buying rhythms; then the staff side over 10,000 customers and 1,000,000 invoice
# lines: the rhythms' rebuild, the Due for Reorder report and the reminder job
# (dev/bench/due_*.py). One run on a throwaway copy of the installed database. It
# measures; it asserts nothing.
#   BENCH_SAMPLES (40) page samples per size; BENCH_RUNS (40) model runs;
#   BENCH_CUSTOMERS (10000); BENCH_REPORT_SAMPLES (10).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_bench
PORT=${BENCH_PORT:-8077}
SAMPLES=${BENCH_SAMPLES:-40}
LOG=$CACHE_DIR/bench-odoo.log
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"

bench_shell() { odoo_shell "$DB" "$ADDON_DIR/dev/bench/$1"; }
log "Building the ×0.1 history through the ORM"
bench_shell setup.py

: >"$LOG"
"${ODOO_BIN[@]}" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 \
    --http-port="$PORT" --max-cron-threads=0 --log-level=info --logfile="$LOG" &
odoo_pid=$!
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
# BENCH_KEEP=1 keeps the database (and the server, until Ctrl-C) to look closer.
trap "kill $odoo_pid 2>/dev/null || true; wait $odoo_pid 2>/dev/null || true; [[ -n \"${BENCH_KEEP:-}\" ]] || drop_db $DB; ${pg_trap:-:}" EXIT
wait_for_http "$PORT"

for size in ${BENCH_SIZES:-"×0.1:2000" "×1:20000" "×10:200000"}; do
    label=${size%%:*}
    lines=${size##*:}
    BENCH_LINES=$lines bench_shell scale.py
    explain=
    [[ $label != "×0.1" ]] && explain=1
    BENCH_LABEL=$label BENCH_EXPLAIN=$explain bench_shell history.py
    "$VENV/bin/python" "$ADDON_DIR/dev/bench/pages.py" "http://127.0.0.1:$PORT" "$LOG" \
        "$label" "$SAMPLES" "$DB"
done

# The staff side: BENCH_CUSTOMERS (10,000) customers, 1,000,000 invoice lines.
log "Building ${BENCH_CUSTOMERS:-10000} customers with 100 invoice lines each"
bench_shell due_setup.py
"$VENV/bin/python" "$ADDON_DIR/dev/bench/due_report.py" "http://127.0.0.1:$PORT" "$DB" \
    "${BENCH_REPORT_SAMPLES:-10}"
bench_shell due_reminders.py
