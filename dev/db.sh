# Database helpers for dev/run.sh and dev/test.sh. Source it after common.sh.
# shellcheck shell=bash

FILESTORE=$CACHE_DIR/data/filestore

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
# and copied for every test run. Its name changes with the Odoo tree and the module list.
template_db() {
    local key
    key=$(cat "$ODOO_SRC/odoo/release.py" <(echo "$BASE_MODULES") | sha1sum | cut -c1-10)
    echo "sale_reorder_tmpl_$key"
}

ensure_template() {
    local tmpl wip old
    tmpl=$(template_db)
    db_exists "$tmpl" && return 0
    for old in $(psql -qtAc "SELECT datname FROM pg_database WHERE datname LIKE 'sale\_reorder\_tmpl\_%'"); do
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
        -o -name '*.po' -o -name '*.pot' -o -name '*.png' \) -print0 \
        | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
}
