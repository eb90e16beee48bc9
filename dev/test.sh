#!/usr/bin/env bash
# `make test`: the whole test suite with pytest-odoo on a fresh database (a copy of the cached
# template with sale_reorder installed on top), browser tours included.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/odoo_tests.sh"

DB=${TEST_DB:-sale_reorder_test}

bash "$ADDON_DIR/dev/prepare.sh"
pg_started=$(bash "$ADDON_DIR/dev/pg.sh" start)
pytest_pid=
cleanup() {
    # pytest runs in its own process group: end it with everything it started (Chromium, ...).
    if [[ -n "$pytest_pid" ]]; then kill -KILL -- "-$pytest_pid" 2>/dev/null || true; fi
    if [[ "$pg_started" == started ]]; then bash "$ADDON_DIR/dev/pg.sh" stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

installed=$(ensure_installed_db)
log "A fresh test database ($DB) from $installed"
copy_db "$installed" "$DB"

log "Running the tests"
# Through the link, so that pytest-odoo names the test modules odoo.addons.sale_reorder.tests.
linked=$ADDONS_LINK_DIR/$ADDON_NAME
cd "$linked"
PYTHONPATH=$ADDON_DIR:$PYTHONPATH setsid "$VENV/bin/python" -m pytest -p no:cacheprovider \
    -p dev.pytest_no_skip -W ignore::DeprecationWarning --rootdir="$linked" --odoo-database="$DB" --odoo-config="$ODOO_CONF" \
    --odoo-http "$linked/tests" -k "not WithoutInventoryAndManufacturing" "$@" &
pytest_pid=$!
set +e
wait "$pytest_pid"
status=$?
set -e
pytest_pid=
# pytest's exit 5 (no test collected) is a failure too; -k/-x runs skip Odoo's runner.
if ((status != 0)) || [[ $# -gt 0 ]]; then exit "$status"; fi
cd "$ADDON_DIR"
run_all_odoo_tests
