# Database helpers for dev/run.sh and dev/test.sh. Source it after common.sh.
# shellcheck shell=bash

FILESTORE=$CACHE_DIR/data/filestore

# Start the embedded PostgreSQL if needed, and stop it when the script exits (only if
# this script started it: a running `make run` keeps its server).
start_pg_until_exit() {
    if [[ $(bash "$ADDON_DIR/dev/pg.sh" start) == started ]]; then
        trap 'bash "$ADDON_DIR/dev/pg.sh" stop' EXIT
    fi
}

db_exists() { psql -qtAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

drop_db() {
    psql -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
    rm -rf "${FILESTORE:?}/$1"
}

# Odoo with the project's configuration; the log goes to a file, shown when Odoo fails.
odoo_batch() {
    local logfile=$CACHE_DIR/last-odoo.log
    if ! "${ODOO_BIN[@]}" --no-http --stop-after-init --logfile="$logfile" "$@"; then
        tail -n 60 "$logfile" >&2
        die "Odoo failed ($*); the whole log is in $logfile"
    fi
    if grep -qE " (ERROR|CRITICAL) " "$logfile"; then
        grep -E -A 15 " (ERROR|CRITICAL) " "$logfile" | head -n 80 >&2
        die "Odoo logged errors ($*); the whole log is in $logfile"
    fi
}

# The template database: Odoo's modules that the addon builds on, with demo data, installed once
# and copied for every test run. Its name changes with the Odoo tree and the module list;
# TEMPLATE_PREFIX keeps the minimal one (the hard dependencies only) beside the full one.
TEMPLATE_PREFIX=${TEMPLATE_PREFIX:-sale_reorder_tmpl_}
template_db() {
    local key
    key=$(cat "$ODOO_SRC/odoo/release.py" <(echo "$BASE_MODULES") | sha1sum | cut -c1-10)
    echo "$TEMPLATE_PREFIX$key"
}

ensure_template() {
    local tmpl wip old
    tmpl=$(template_db)
    db_exists "$tmpl" && return 0
    for old in $(psql -qtAc "SELECT datname FROM pg_database WHERE datname LIKE '${TEMPLATE_PREFIX//_/\\_}%'"); do
        drop_db "$old"
    done
    wip=${tmpl}_wip
    log "Building the template database $tmpl ($BASE_MODULES, with demo data; about two minutes, once)"
    drop_db "$wip"
    odoo_batch -d "$wip" -i "$BASE_MODULES"
    psql -qc "ALTER DATABASE \"$wip\" RENAME TO \"$tmpl\""
    if [[ -d "$FILESTORE/$wip" ]]; then mv "$FILESTORE/$wip" "$FILESTORE/$tmpl"; fi
}

# copy_db SRC DST: a fresh copy of a database and its filestore (createdb -T skips the filestore).
copy_db() {
    drop_db "$2"
    psql -qc "CREATE DATABASE \"$2\" TEMPLATE \"$1\"" >/dev/null
    mkdir -p "$FILESTORE"
    if [[ -d "$FILESTORE/$1" ]]; then cp -a "$FILESTORE/$1" "$FILESTORE/$2"; fi
}

# A fingerprint of the addon's source, to upgrade a database when the code changed.
addon_fingerprint() {
    (cd "$ADDON_DIR" && find . -path ./.git -prune -o -type f \
        \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.js' -o -name '*.scss' \
        -o -name '*.po' -o -name '*.pot' -o -name '*.png' -o -name '*.svg' \) -print0 \
        | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
}

# The template with the addon installed at the current code, cached by its fingerprint:
# a test run without code changes copies it instead of installing the addon again.
ensure_installed_db() {
    local inst old
    inst=sale_reorder_inst_$(echo "$(template_db) $(addon_fingerprint)" | sha1sum | cut -c1-10)
    if ! db_exists "$inst"; then
        for old in $(psql -qtAc "SELECT datname FROM pg_database WHERE datname LIKE 'sale\_reorder\_inst\_%'"); do
            drop_db "$old"
        done
        log "Installing $ADDON_NAME in a copy of the template ($inst)"
        copy_db "$(template_db)" "${inst}_wip"
        odoo_batch -d "${inst}_wip" -i "$ADDON_NAME"
        # Build the asset bundles once here, not in every browser test's transaction.
        "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "${inst}_wip" \
            --no-http --logfile="$CACHE_DIR/last-odoo.log" <"$ADDON_DIR/dev/warm_assets.py" >/dev/null
        psql -qc "ALTER DATABASE \"${inst}_wip\" RENAME TO \"$inst\""
        if [[ -d "$FILESTORE/${inst}_wip" ]]; then mv "$FILESTORE/${inst}_wip" "$FILESTORE/$inst"; fi
    fi
    echo "$inst"
}
