#!/usr/bin/env bash
# The suite under Odoo's own test runner, as Odoo.sh, runbot and OCA's CI run it: the addon
# installed into a new base database with --test-enable. Sourced by dev/test.sh (after
# common.sh and db.sh, with PostgreSQL running).

# The minimal database has the addon's own dependencies only (manifestoo reads them from
# the manifest: no stock, no mrp, no sale_management), where the "not installed" branches
# run.

# run_odoo_tests LABEL TAGS: install the addon into a new base database, run the tests
# matching TAGS, fail on a failed test, an error, or an error or warning in the log
# (checklog-odoo).
run_odoo_tests() {
    local label=$1 tags=$2
    local db=${TEST_DB:-sale_reorder_test}_odoo logfile=$CACHE_DIR/odoo-tests-$1.log summary
    log "Odoo's own runner ($label database): installing $ADDON_NAME with --test-enable"
    new_base_db "$db"
    : >"$logfile"
    set +e
    "${ODOO_BIN[@]}" -d "$db" -i "$ADDON_NAME" --test-enable --test-tags "$tags" \
        --stop-after-init --http-port="${ODOO_TEST_PORT:-8079}" --logfile="$logfile"
    local status=$?
    set -e
    summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$logfile" | tail -n 1)
    drop_db "$db"
    if [[ -z "$summary" ]]; then
        tail -n 40 "$logfile" >&2
        die "Odoo's runner ran no test (exit $status); its log is $logfile"
    fi
    read -r failed errors total <<<"$(grep -oE "[0-9]+" <<<"$summary" | xargs)"
    local log_ok=1
    "${CHECKLOG[@]}" "$logfile" | head -n 120 >&2 || log_ok=0
    echo "odoo $label: $((total - failed - errors)) passed, $((failed + errors)) failed"
    if ((status != 0 || failed + errors > 0 || !log_ok)); then
        die "Odoo's runner: $summary, exit $status, errors in the log; the whole log is $logfile"
    fi
}

# The full base database (see new_base_db in dev/db.sh), then the minimal one.
run_all_odoo_tests() {
    run_odoo_tests full "/$ADDON_NAME,-sale_reorder_minimal"
    BASE_MODULES=$(addon_depends) CACHE_PREFIX=srmin \
        run_odoo_tests minimal "/$ADDON_NAME,-sale_reorder_optional_apps"
}
