#!/usr/bin/env bash
# `make bench`: the purchase history at ×0.1, ×1 and ×10 (2,000 / 20,000 / 200,000 invoice
# lines of one B2B customer), model side (dev/bench/history.py) and portal pages side by
# side with Odoo's own /my/orders and /my/invoices (dev/bench/pages.py), step 1 with and
# without buying rhythms; then the staff side over 10,000 customers and 1,000,000 invoice
# lines: the rhythms' rebuild, the Due for Reorder report and the reminder job
# (dev/bench/due_*.py). One run on a throwaway copy of the installed database. It
# measures and asserts no timing; it fails when a step fails, a figure cannot be measured
# or Odoo logs an error or a warning (`make test-tools` runs it at its smallest).
#   BENCH_SIZES ("×0.1:2000 ×1:20000 ×10:200000": label:invoice lines, the first one made
#   through the ORM, the others cloned from it in SQL, with the EXPLAIN of the history);
#   BENCH_SAMPLES (40) page samples per size; BENCH_RUNS (40) model runs;
#   BENCH_CUSTOMERS (10000); BENCH_REPORT_SAMPLES (10);
#   BENCH_PORT (8077); BENCH_DB (sale_reorder_bench); BENCH_KEEP=1 keeps the database to
#   look closer.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/serve.sh"

DB=${BENCH_DB:-sale_reorder_bench}
PORT=${BENCH_PORT:-8077}
SAMPLES=${BENCH_SAMPLES:-40}
LOG=$CACHE_DIR/bench-odoo.log
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"
if [[ -z "${BENCH_KEEP:-}" ]]; then
    pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
    trap "drop_db $DB; ${pg_trap:-:}" EXIT
fi

# bench_shell SCRIPT...: dev/bench/SCRIPTs in turn, in one odoo-bin shell (one registry
# load: a few seconds each on this machine).
bench_shell() {
    local script
    odoo_shell "$DB" <(for script; do cat "$ADDON_DIR/dev/bench/$script"; done)
}
read -ra sizes <<<"${BENCH_SIZES:-×0.1:2000 ×1:20000 ×10:200000}"
serve_db "$DB" "$PORT" "$LOG"

for size in "${sizes[@]}"; do
    label=${size%%:*}
    lines=${size##*:}
    steps=(scale.py history.py)
    explain=1
    if [[ $size == "${sizes[0]}" ]]; then
        log "Building the $label history through the ORM (${SECONDS}s)"
        steps=(setup.py "${steps[@]}")
        explain=
    fi
    log "$label: $lines invoice lines (${SECONDS}s)"
    BENCH_LINES=$lines BENCH_LABEL=$label BENCH_EXPLAIN=$explain bench_shell "${steps[@]}"
    "$VENV/bin/python" "$ADDON_DIR/dev/bench/pages.py" "http://127.0.0.1:$PORT" "$LOG" \
        "$label" "$SAMPLES" "$DB"
done

# The staff side: BENCH_CUSTOMERS (10,000) customers, 1,000,000 invoice lines.
log "Building ${BENCH_CUSTOMERS:-10000} customers with 100 invoice lines each (${SECONDS}s)"
bench_shell due_setup.py
"$VENV/bin/python" "$ADDON_DIR/dev/bench/due_report.py" "http://127.0.0.1:$PORT" "$DB" \
    "${BENCH_REPORT_SAMPLES:-10}"
log "The daily jobs (${SECONDS}s)"
bench_shell due_reminders.py
log "Accept & Create of a 50-item request, every item accepted or 15 decided otherwise (${SECONDS}s)"
bench_shell accept.py

stop_serving
check_odoo_log "$LOG" "the bench" || exit 1
log "make bench: done in ${SECONDS}s"
