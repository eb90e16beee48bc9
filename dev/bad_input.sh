#!/usr/bin/env bash
# `make bad-input`: dev/bad_input.py's hostile input, as the demo portal customer and the
# demo salesperson; 0 server errors expected. By default against an Odoo of its own: a
# copy of the installed database (demo data) on 127.0.0.1:$BAD_INPUT_PORT (8071), stopped
# after; fails on a case that got a server error or a traceback, or on an error or a
# warning in that Odoo's log (checklog-odoo) other than the clear messages it answered.
# BAD_INPUT_URL=http://127.0.0.1:8069 sends it to a running server instead, `make run`'s
# in another terminal (database DB, sale_reorder_demo), whose log is in that terminal.
#   BAD_INPUT_PORT (8071); BAD_INPUT_DB (sale_reorder_bad_input).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/serve.sh"

if [[ -n "${BAD_INPUT_URL:-}" ]]; then
    exec "$VENV/bin/python" "$ADDON_DIR/dev/bad_input.py" "$BAD_INPUT_URL" \
        "${DB:-sale_reorder_demo}"
fi
DB=${BAD_INPUT_DB:-sale_reorder_bad_input}
PORT=${BAD_INPUT_PORT:-8071}
LOG=$CACHE_DIR/bad-input-odoo.log
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "drop_db $DB; ${pg_trap:-:}" EXIT
serve_db "$DB" "$PORT" "$LOG"
failed=0
"$VENV/bin/python" "$ADDON_DIR/dev/bad_input.py" "http://127.0.0.1:$PORT" "$DB" || failed=1
stop_serving
# The clear messages the callers got: Odoo logs a UserError or an AccessError that ends a
# request at WARNING, its message alone (odoo/http.py). Anything else fails: an ERROR
# (a 500), a traceback, another logger's warning.
check_odoo_log "$LOG" "the hostile input" \
    --ignore '^[-0-9]+ [:,0-9]+ [0-9]+ WARNING [^ ]+ odoo\.http: [^\n]*\n?\Z' || failed=1
((failed)) || log "make bad-input: 0 server errors (${SECONDS}s)"
exit $failed
