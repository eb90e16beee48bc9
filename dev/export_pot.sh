#!/usr/bin/env bash
# `make pot`: export i18n/sale_reorder.pot from a fresh database with the addon installed.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_pot
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
ensure_template
copy_db "$(template_db)" "$DB"
odoo_batch -d "$DB" -i "$ADDON_NAME"
odoo_batch -d "$DB" --i18n-export="$ADDON_DIR/i18n/$ADDON_NAME.pot" --modules="$ADDON_NAME"
drop_db "$DB"
log "Wrote i18n/$ADDON_NAME.pot"
