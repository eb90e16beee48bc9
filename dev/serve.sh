# Odoo serving one database on the loopback address, in the background, for the dev tools
# that talk to a server (make bench, make load, make bad-input, make test-tools). Source it
# after common.sh and db.sh.
# shellcheck shell=bash

# serve_db DB PORT LOGFILE [odoo-bin options...]: Odoo on http://127.0.0.1:PORT with DB
# alone, no scheduler, its log in LOGFILE, once it answers. It is stopped when the script
# exits, before what the script's earlier EXIT trap does (drop the database, stop PostgreSQL).
serve_db() {
    local db=$1 port=$2 logfile=$3 previous
    shift 3
    : >"$logfile"
    "${ODOO_BIN[@]}" -d "$db" --db-filter="^$db\$" --http-interface=127.0.0.1 \
        --http-port="$port" --max-cron-threads=0 --log-level=info --logfile="$logfile" "$@" &
    SERVED_ODOO_PID=$!
    previous=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
    # shellcheck disable=SC2064 # the earlier trap, as it is now
    trap "stop_serving; ${previous:-:}" EXIT
    wait_for_http "$port"
}

stop_serving() {
    if [[ -n "${SERVED_ODOO_PID:-}" ]]; then
        kill "$SERVED_ODOO_PID" 2>/dev/null || true
        wait "$SERVED_ODOO_PID" 2>/dev/null || true
        SERVED_ODOO_PID=
    fi
}

# check_odoo_log LOGFILE WHAT [--ignore REGEX...]: fails, showing them, when Odoo logged an
# error (a page that answered 500 is one) or a warning during WHAT (checklog-odoo, as
# `make test` does), but for the records the REGEXes find.
check_odoo_log() {
    local logfile=$1 what=$2 report
    shift 2
    report=$("${CHECKLOG[@]}" --no-err-if-empty "$@" "$logfile" 2>&1) && return 0
    cut -c1-200 <<<"$report" | head -n 40 >&2
    log "Odoo logged errors or warnings during $what (above; the whole log: $logfile)"
    return 1
}
