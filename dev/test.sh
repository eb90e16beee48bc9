#!/usr/bin/env bash
# `make test`: the whole suite on the databases users have, under both test runners, the
# two runners at once (each database is installed once per version of the code, cached by
# its fingerprint, and copied for each run):
#   - pytest-odoo on the minimal database (the addon's own dependencies only: the branches
#     without stock, mrp and sale_management), then the tests of those apps on the
#     website database;
#   - Odoo's own runner, as Odoo.sh runs it on a company's database, on the website
#     database: eCommerce (its layout, its languages), stock, mrp, sale_management.
# Every test runs under both runners, browser tours included. With arguments (pytest's:
# a test file, -k, -x...), pytest alone on the website database.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=${TEST_DB:-sale_reorder_test}
TAGS_MINIMAL="/$ADDON_NAME,-sale_reorder_optional_apps"
TAGS_OPTIONAL="sale_reorder_optional_apps/$ADDON_NAME"
TAGS_WEBSITE="/$ADDON_NAME,-sale_reorder_minimal"

bash "$ADDON_DIR/dev/prepare.sh"
pg_started=$(bash "$ADDON_DIR/dev/pg.sh" start)
pids=()
cleanup() {
    # Each run is a process group of its own: end it with everything it started (Chromium, ...).
    local pid
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    if [[ "$pg_started" == started ]]; then bash "$ADDON_DIR/dev/pg.sh" stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The minimal and the website databases, built at once when the code changed.
tmp=$(mktemp -d)
BASE_MODULES=$(addon_depends) CACHE_PREFIX=srmin ensure_installed_db >"$tmp/minimal" &
minimal_pid=$!
BASE_MODULES=$(addon_depends),$OPTIONAL_APPS,$WEBSITE_APPS CACHE_PREFIX=srweb \
    ensure_installed_db >"$tmp/website" &
website_pid=$!
wait "$minimal_pid"
wait "$website_pid"
minimal=$(<"$tmp/minimal") website=$(<"$tmp/website")
rm -rf "$tmp"

# run_pytest DB [pytest arguments]: pytest-odoo on a fresh copy of DB's installed database.
run_pytest() {
    local installed=$1 db=$2 status=0
    shift 2
    log "pytest-odoo on $db, a copy of $installed"
    copy_db "$installed" "$db"
    # Through the link, so that pytest-odoo names the test modules odoo.addons.sale_reorder.tests.
    local linked=$ADDONS_LINK_DIR/$ADDON_NAME
    (
        cd "$linked"
        PYTHONPATH=$ADDON_DIR:$PYTHONPATH exec setsid "$VENV/bin/python" -m pytest \
            -p no:cacheprovider -p dev.pytest_no_skip -p dev.pytest_odoo_tags \
            -W ignore::DeprecationWarning --rootdir="$linked" --odoo-database="$db" \
            --odoo-config="$ODOO_CONF" --odoo-http "$@"
    ) &
    pids+=($!)
    wait "${pids[-1]}" || status=$?
    unset 'pids[-1]'
    # pytest's exit 5 (no test collected) is a failure too.
    return "$status"
}

if (($#)); then
    run_pytest "$website" "$DB" "$ADDONS_LINK_DIR/$ADDON_NAME/tests" "$@"
    exit
fi

setsid bash "$ADDON_DIR/dev/odoo_tests.sh" website "$website" "$TAGS_WEBSITE" &
pids+=($!)
odoo_pid=$!
status=0
run_pytest "$minimal" "${DB}_minimal" --odoo-test-tags "$TAGS_MINIMAL" \
    "$ADDONS_LINK_DIR/$ADDON_NAME/tests" || status=$?
run_pytest "$website" "${DB}_website" --odoo-test-tags "$TAGS_OPTIONAL" \
    "$ADDONS_LINK_DIR/$ADDON_NAME/tests" || status=$?
log "pytest-odoo: done (${SECONDS}s); waiting for Odoo's runner"
odoo_status=0
wait "$odoo_pid" || odoo_status=$?
pids=()
((status == 0)) || die "pytest-odoo failed"
((odoo_status == 0)) || die "Odoo's runner failed"
log "make test: green in ${SECONDS}s"
