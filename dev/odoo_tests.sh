#!/usr/bin/env bash
# `bash dev/odoo_tests.sh LABEL INSTALLED TAGS`: the suite under Odoo's own test runner, as
# Odoo.sh, runbot and OCA's CI run it: --test-enable on a copy of the database INSTALLED
# (the addon installed on top of Odoo's modules), the tests matching TAGS (Odoo's
# --test-tags). Every test of the addon is post_install: on a database where nothing is
# to be installed, Odoo runs them all. Fails on a failed test, an error, or an error or
# warning in the log (checklog-odoo). Started by dev/test.sh, beside pytest-odoo.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

label=${1:?label} installed=${2:?installed database} tags=${3:?test tags}
db=${TEST_DB:-sale_reorder_test}_odoo_$label
logfile=$CACHE_DIR/odoo-tests-$label.log
log "Odoo's own runner ($label database): the tests, with --test-enable; its log is $logfile"
copy_db "$installed" "$db"
: >"$logfile"
set +e
"${ODOO_BIN[@]}" -d "$db" --test-enable --test-tags "$tags" --stop-after-init \
    --http-port="${ODOO_TEST_PORT:-8079}" --logfile="$logfile"
status=$?
set -e
summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$logfile" | tail -n 1)
drop_db "$db"
if [[ -z "$summary" ]]; then
    tail -n 40 "$logfile" >&2
    die "Odoo's runner ran no test (exit $status); its log is $logfile"
fi
read -r failed errors total <<<"$(grep -oE "[0-9]+" <<<"$summary" | xargs)"
log_ok=1
"${CHECKLOG[@]}" "$logfile" | head -n 120 >&2 || log_ok=0
log "Odoo's runner, $label database: $((total - failed - errors)) passed, $((failed + errors)) failed (${SECONDS}s)"
if ((status != 0 || failed + errors > 0 || !log_ok)); then
    grep -E "(ERROR|FAIL):" "$logfile" | cut -c1-240 | head -n 40 >&2
    die "Odoo's runner ($label): $summary, exit $status, errors in the log; the whole log is $logfile"
fi
