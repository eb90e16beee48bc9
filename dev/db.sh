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
    local logfile=$CACHE_DIR/last-odoo-$CACHE_PREFIX.log
    : >"$logfile"
    if ! "${ODOO_BIN[@]}" --no-http --stop-after-init --logfile="$logfile" "$@"; then
        tail -n 60 "$logfile" >&2
        die "Odoo failed ($*); the whole log is in $logfile"
    fi
    # A warning counts too: "demo data failed to install" is one.
    "${CHECKLOG[@]}" "$logfile" | head -n 80 >&2 ||
        die "Odoo logged errors or warnings ($*); the whole log is in $logfile"
}

# Fresh databases with Odoo's modules that the addon builds on (demo data included) come
# from click-odoo-initdb's cache of template databases, keyed by the checksums of those
# modules: installed once (about two minutes), then copied in seconds. CACHE_PREFIX keeps
# the minimal set (the addon's own dependencies) beside the full one.
CACHE_PREFIX=${CACHE_PREFIX:-srfull}
# Modules installed in the template (the addon itself is installed on top): its own
# dependencies plus the optional apps, or what BASE_MODULES says.
base_modules() { echo "${BASE_MODULES:-$(addon_depends),$OPTIONAL_APPS}"; }

# new_base_db NAME: a new database NAME with base_modules installed, from the cache.
new_base_db() {
    local logfile=$CACHE_DIR/last-odoo-$CACHE_PREFIX.log old
    drop_db "$1"
    # The templates of the hand-written cache this replaced (until 18.0.1.1.0).
    for old in $(psql -qtAc "SELECT datname FROM pg_database
            WHERE datname ~ '^sale_reorder_(tmpl|min)_[0-9a-f]{10}$'"); do
        drop_db "$old"
    done
    : >"$logfile"
    "$VENV/bin/click-odoo-initdb" -c "$ODOO_CONF" --logfile="$logfile" --log-level=warn \
        -n "$1" -m "$(base_modules)" --cache-prefix "$CACHE_PREFIX" --cache-max-size 1 \
        --cache-max-age -1 >&2 || {
        tail -n 40 "$logfile" >&2
        die "click-odoo-initdb failed ($1); the whole log is in $logfile"
    }
    "${CHECKLOG[@]}" --no-err-if-empty "$logfile" | head -n 80 >&2 ||
        die "Odoo logged errors or warnings creating $1; the whole log is in $logfile"
}

# odoo_shell DB SCRIPT: SCRIPT run by `odoo-bin shell` on DB (warnings and worse logged).
odoo_shell() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$1" --no-http \
        --log-level=warn <"$2"
}

# wait_for_http PORT: until an Odoo started in the background answers on PORT.
wait_for_http() {
    local _try
    for _try in $(seq 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$1/web/login" && return 0
        sleep 0.5
    done
    die "Odoo does not answer on port $1"
}

# copy_db SRC DST: a fresh copy of a database and its filestore (createdb -T skips the filestore).
copy_db() {
    drop_db "$2"
    psql -qc "CREATE DATABASE \"$2\" TEMPLATE \"$1\"" >/dev/null
    mkdir -p "$FILESTORE"
    if [[ -d "$FILESTORE/$1" ]]; then cp -a "$FILESTORE/$1" "$FILESTORE/$2"; fi
}

# A fingerprint of the addon's source: the installed database below is cached by it (the
# tests and the dev scripts install nothing: changing them installs nothing again).
addon_fingerprint() {
    (cd "$ADDON_DIR" && find . \( -path ./.git -o -path ./tests -o -path ./dev \) -prune -o -type f \
        \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.js' -o -name '*.scss' \
        -o -name '*.po' -o -name '*.pot' -o -name '*.png' -o -name '*.svg' \) -print0 \
        | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
}

# A base database with the addon installed at the current code, cached by its fingerprint:
# a test run without code changes copies it instead of installing the addon again. (Not
# click-odoo-initdb's cache: its key covers the addon too, so every change of the code would
# install Odoo's modules again, two minutes instead of thirty seconds.)
# One per base (CACHE_PREFIX): the full, minimal and website ones live side by side.
ensure_installed_db() {
    local inst old
    inst=sale_reorder_inst_${CACHE_PREFIX}_$(echo "$(base_modules) $(addon_fingerprint)" | sha1sum | cut -c1-10)
    if ! db_exists "$inst"; then
        # The older ones of this base, and those named before there were several bases.
        for old in $(psql -qtAc "SELECT datname FROM pg_database
                WHERE datname LIKE 'sale\_reorder\_inst\_${CACHE_PREFIX}\_%'
                   OR datname ~ '^sale_reorder_inst_[0-9a-f]{10}$'"); do
            drop_db "$old"
        done
        log "Installing $ADDON_NAME on a new base database ($inst)"
        new_base_db "${inst}_wip"
        odoo_batch -d "${inst}_wip" -i "$ADDON_NAME"
        # Build the asset bundles once here, not in every browser test's transaction.
        "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "${inst}_wip" \
            --no-http --logfile="$CACHE_DIR/last-odoo-$CACHE_PREFIX.log" <"$ADDON_DIR/dev/warm_assets.py" >/dev/null
        psql -qc "ALTER DATABASE \"${inst}_wip\" RENAME TO \"$inst\""
        if [[ -d "$FILESTORE/${inst}_wip" ]]; then mv "$FILESTORE/${inst}_wip" "$FILESTORE/$inst"; fi
    fi
    echo "$inst"
}
