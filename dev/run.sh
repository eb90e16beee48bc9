#!/usr/bin/env bash
# `make run`: a live Odoo on http://127.0.0.1:8069 with sale_reorder and its demo data
# (`APPS=website_sale make run`: beside eCommerce).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/mail.sh"

# APPS=website_sale (comma-separated Odoo apps): the demo beside them, in a database of its
# own; with eCommerce, the same installed database as the tests on the website's one.
if [[ -n "${APPS:-}" ]]; then
    DB=${DB:-sale_reorder_demo_${APPS//,/_}}
    export BASE_MODULES="$(addon_depends),$OPTIONAL_APPS,$APPS"
    if [[ "$APPS" == "$WEBSITE_APPS" ]]; then export CACHE_PREFIX=srweb; else export CACHE_PREFIX=srapps; fi
fi
DB=${DB:-sale_reorder_demo}
PORT=${HTTP_PORT:-8069}

bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit

# click-odoo-update upgrades the addon when its files changed since the last run (it keeps
# the checksums of the installed addons in the database); a new database, a copy of the
# installed one (the addon at the current code), only gets the checksums.
update_options=(--ignore-core-addons)
if ! db_exists "$DB"; then
    log "Creating the database $DB with $ADDON_NAME and its demo data"
    copy_db "$(ensure_installed_db)" "$DB"
    update_options+=(--only-compute-hashes)
fi
update_log=$CACHE_DIR/last-odoo.log
"$VENV/bin/click-odoo-update" -c "$ODOO_CONF" -d "$DB" "${update_options[@]}" \
    --logfile="$update_log" --log-level=warn ||
    die "Upgrading $ADDON_NAME in $DB failed; see $update_log"

# The links of emails and reminders point at this server: the URL printed below (Odoo sets
# web.base.url only when an administrator logs in through the browser; until then links
# would say localhost:8069 whatever the port). Frozen so that a login elsewhere keeps it.
base_url="http://127.0.0.1:$PORT"
psql -q -d "$DB" -c "
    INSERT INTO ir_config_parameter (key, value, create_date, write_date)
    VALUES ('web.base.url', '$base_url', now(), now()),
           ('web.base.url.freeze', 'True', now(), now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now()"

# Every email Odoo sends lands in the catcher's inbox (the scheduler sends the queue).
start_mail_catcher
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "stop_mail_catcher; ${pg_trap:-:}" EXIT

workers_text="${WORKERS:-0} (WORKERS=4 make run for the prefork mode of production)"
cat >&2 <<MSG

  Odoo with $ADDON_NAME:  http://127.0.0.1:$PORT   (database $DB)
  Staff login:            admin / admin    (salesperson: demo / demo)
  Portal customers:       portal / portal  (Joel Willis), nora / nora (Lumen Interiors)
  Emails sent:            http://127.0.0.1:$MAIL_HTTP_PORT   (the mail catcher's inbox)
  Workers:                $workers_text
  Stop with Ctrl-C.

MSG
# WORKERS=4 make run: Odoo's production mode, several worker processes over one PostgreSQL
# (plus the gevent worker for the bus on HTTP port + 3).
"${ODOO_BIN[@]}" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=warn \
    "${ODOO_MAIL_OPTIONS[@]}" ${WORKERS:+--workers="$WORKERS" --gevent-port=$((PORT + 3))}
