#!/usr/bin/env bash
# `make pot`: export i18n/sale_reorder.pot from a fresh database with the addon installed
# (click-odoo-makepot), and merge the new terms into i18n/*.po (msgmerge; a test fails until
# they are translated).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_pot
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
new_base_db "$DB"
odoo_batch -d "$DB" -i "$ADDON_NAME"
"$VENV/bin/click-odoo-makepot" -c "$ODOO_CONF" -d "$DB" --log-level=warn \
    --addons-dir "$ADDONS_LINK_DIR" --modules "$ADDON_NAME" --msgmerge --no-fuzzy-matching
drop_db "$DB"
log "Wrote i18n/$ADDON_NAME.pot and merged it into i18n/*.po"
rm -f "$ADDON_DIR"/i18n/*.po~  # msgmerge's backups
