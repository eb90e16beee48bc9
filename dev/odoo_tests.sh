#!/usr/bin/env bash
# The suite under Odoo's own test runner, as Odoo.sh, runbot and OCA's CI run it: the addon
# installed into a copy of the template with --test-enable. Sourced by dev/test.sh (after
# common.sh and db.sh, with PostgreSQL running).

run_odoo_tests() {
    local db=${TEST_DB:-sale_reorder_test}_odoo logfile=$CACHE_DIR/odoo-tests.log summary
    log "Odoo's own runner: installing $ADDON_NAME with --test-enable into $db"
    copy_db "$(template_db)" "$db"
    set +e
    "${ODOO_BIN[@]}" -d "$db" -i "$ADDON_NAME" --test-enable --test-tags "/$ADDON_NAME" \
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
    echo "odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
    if ((status != 0 || failed + errors > 0)) || grep -qE " (ERROR|CRITICAL) " "$logfile"; then
        die "Odoo's runner: $summary, exit $status, errors in the log; the whole log is $logfile"
    fi
}
