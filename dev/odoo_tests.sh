#!/usr/bin/env bash
# The suite under Odoo's own test runner, as Odoo.sh, runbot and OCA's CI run it: the addon
# installed into a copy of a template with --test-enable. Sourced by dev/test.sh (after
# common.sh and db.sh, with PostgreSQL running).

# Modules of the minimal database: the addon's hard dependencies only (no stock, no mrp, no
# sale_management), where the "not installed" branches run.
MINIMAL_MODULES=sale_crm

# run_odoo_tests LABEL TEMPLATE TAGS: install the addon into a copy of TEMPLATE, run the tests
# matching TAGS, fail on a failed test, an error or an ERROR in the log.
run_odoo_tests() {
    local label=$1 template=$2 tags=$3
    local db=${TEST_DB:-sale_reorder_test}_odoo logfile=$CACHE_DIR/odoo-tests-$1.log summary
    log "Odoo's own runner ($label database): installing $ADDON_NAME with --test-enable"
    copy_db "$template" "$db"
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
    if grep -qE " (ERROR|CRITICAL) " "$logfile"; then
        grep -E -B 2 -A 20 " (ERROR|CRITICAL) " "$logfile" | head -n 120 >&2
    fi
    echo "odoo $label: $((total - failed - errors)) passed, $((failed + errors)) failed"
    if ((status != 0 || failed + errors > 0)) || grep -qE " (ERROR|CRITICAL) " "$logfile"; then
        die "Odoo's runner: $summary, exit $status, errors in the log; the whole log is $logfile"
    fi
}

# The full database (the template of dev/db.sh), then the minimal one.
run_all_odoo_tests() {
    run_odoo_tests full "$(template_db)" "/$ADDON_NAME,-sale_reorder_minimal"
    local minimal
    minimal=$(
        BASE_MODULES=$MINIMAL_MODULES TEMPLATE_PREFIX=sale_reorder_min_
        ensure_template >&2
        template_db
    )
    run_odoo_tests minimal "$minimal" "/$ADDON_NAME,-sale_reorder_optional_apps"
}
