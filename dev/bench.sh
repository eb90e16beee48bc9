#!/usr/bin/env bash
# `make bench`: dev/bench_history.py on a throwaway copy of the installed database.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_bench
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" --no-http \
    --log-level=warn <"$ADDON_DIR/dev/bench_history.py"
drop_db "$DB"
