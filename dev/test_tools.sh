#!/usr/bin/env bash
# `make test-tools`: the make targets that CI does not otherwise run, each at its smallest,
# so that none of them rots. Each fails on what breaks it; none asserts a timing (their
# figures at these sizes mean nothing, only that they are produced):
#   - make readme renders README.rst and the Apps page again: they must not change;
#   - make run serves a throwaway database on ports of its own; it must answer, with its
#     mail catcher; dev/screenshot.py takes step 1 of the demo portal customer from it at
#     375 px; Ctrl-C stops it; its log holds no error and no warning;
#   - make pot: the terms exported from that database as make pot exports them
#     (click-odoo-makepot, msgmerge, into a copy of i18n/) must be those of i18n/;
#   - make bad-input, on its own server;
#   - make load: 4 users (2 customers, 2 staff) for 15 s on 2 workers, then its checks;
#   - make bench at ×0.01 and ×0.02 (200 and 400 invoice lines, the second cloned in SQL,
#     with the EXPLAIN), 1 sample, then the staff side over 20 customers; in the
#     background, beside the others.
# It goes on after a failure and ends with each one's verdict and time. With arguments,
# only those (readme run_and_screenshot pot bad_input load bench), e.g.
# `bash dev/test_tools.sh bench` for the bench alone.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
source "$(dirname "$0")/serve.sh"

RUN_DB=sale_reorder_tools_run
RUN_PORT=${TOOLS_RUN_PORT:-8081}
RUN_MAIL_SMTP_PORT=1225 RUN_MAIL_HTTP_PORT=1280
tmp=$(mktemp -d)
run_pid= bench_pid=

bash "$ADDON_DIR/dev/prepare.sh" --load
pg_started=$(bash "$ADDON_DIR/dev/pg.sh" start)
cleanup() {
    if [[ -n "$run_pid" ]]; then kill -INT -- "-$run_pid" 2>/dev/null || true; fi
    if [[ -n "$bench_pid" ]]; then kill -TERM -- "-$bench_pid" 2>/dev/null || true; fi
    drop_db "$RUN_DB"
    rm -rf "$tmp"
    if [[ "$pg_started" == started ]]; then bash "$ADDON_DIR/dev/pg.sh" stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Built once here (when the code changed), not by each tool.
ensure_installed_db >/dev/null

readme() {
    local files=(README.rst static/description/index.html) before
    before=$(cd "$ADDON_DIR" && sha1sum "${files[@]}")
    bash "$ADDON_DIR/dev/lint.sh" --readme || return 1
    [[ $(cd "$ADDON_DIR" && sha1sum "${files[@]}") == "$before" ]] || {
        log "make readme changed README.rst or the Apps page: readme/ had changed without them"
        return 1
    }
}

# make run in the background, as a terminal runs it (a process group of its own, which
# Ctrl-C ends); until it answers (or fails).
start_run() {
    drop_db "$RUN_DB"
    DB=$RUN_DB HTTP_PORT=$RUN_PORT MAIL_SMTP_PORT=$RUN_MAIL_SMTP_PORT \
        MAIL_HTTP_PORT=$RUN_MAIL_HTTP_PORT setsid bash "$ADDON_DIR/dev/run.sh" \
        >"$CACHE_DIR/tools-run.log" 2>&1 &
    run_pid=$!
    local _try
    for _try in $(seq 600); do
        curl -fs -o /dev/null "http://127.0.0.1:$RUN_PORT/web/login" && return 0
        kill -0 "$run_pid" 2>/dev/null || break
        sleep 0.5
    done
    cat "$CACHE_DIR/tools-run.log" >&2
    log "make run did not serve http://127.0.0.1:$RUN_PORT"
    return 1
}

stop_run() {
    kill -INT -- "-$run_pid"
    local _try
    for _try in $(seq 60); do
        kill -0 "$run_pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$run_pid" 2>/dev/null; then
        log "make run did not stop on Ctrl-C"
        kill -KILL -- "-$run_pid" 2>/dev/null || true
        return 1
    fi
    run_pid=
    if curl -fs -o /dev/null "http://127.0.0.1:$RUN_MAIL_HTTP_PORT/messages/"; then
        log "make run left its mail catcher running"
        return 1
    fi
}

run_and_screenshot() {
    local status=0 shot=$tmp/step_1_phone.png
    start_run || return 1
    curl -fs -o /dev/null "http://127.0.0.1:$RUN_MAIL_HTTP_PORT/messages/" ||
        { log "make run's mail catcher does not answer"; status=1; }
    "$VENV/bin/python" "$ADDON_DIR/dev/screenshot.py" --base "http://127.0.0.1:$RUN_PORT" \
        --db "$RUN_DB" --login portal --password portal --path /my/reorders/new \
        --wait .o_sale_reorder_item --phone --out "$shot" || status=1
    # A PNG 375 px wide (its IHDR chunk).
    "$PYTHON" - "$shot" <<'PY' || status=1
import struct, sys
with open(sys.argv[1], "rb") as png:
    head = png.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", head[16:24])
assert width == 375, f"{width} px wide"
print(f"dev/screenshot.py: step 1 at {width}x{height} px")
PY
    stop_run || status=1
    check_odoo_log "$CACHE_DIR/tools-run.log" "make run" || status=1
    return $status
}

# What make pot would write (dev/export_pot.sh's click-odoo-makepot) from make run's
# database (the addon installed at the current code), into a copy of i18n/.
pot() {
    local addons=$tmp/addons
    db_exists "$RUN_DB" || copy_db "$(ensure_installed_db)" "$RUN_DB"
    mkdir -p "$addons/$ADDON_NAME"
    cp -r "$ADDON_DIR/__manifest__.py" "$ADDON_DIR/i18n" "$addons/$ADDON_NAME/" || return 1
    "$VENV/bin/click-odoo-makepot" -c "$ODOO_CONF" -d "$RUN_DB" --log-level=error \
        --addons-dir "$addons" --modules "$ADDON_NAME" --msgmerge --no-fuzzy-matching \
        >"$tmp/makepot.log" 2>&1 || {
        cat "$tmp/makepot.log" >&2
        return 1
    }
    diff -ru -x '*~' "$ADDON_DIR/i18n" "$addons/$ADDON_NAME/i18n" | head -n 60 || {
        log "i18n/ is not what make pot exports (the diff above): run make pot and translate"
        return 1
    }
}

bad_input() {
    BAD_INPUT_DB=sale_reorder_tools_bad_input BAD_INPUT_PORT=8271 \
        bash "$ADDON_DIR/dev/bad_input.sh"
}

bench_env=(BENCH_SIZES="×0.01:200 ×0.02:400" BENCH_SAMPLES=1 BENCH_RUNS=1 BENCH_CUSTOMERS=20
    BENCH_REPORT_SAMPLES=1 BENCH_DB=sale_reorder_tools_bench BENCH_PORT=8277)

load() {
    LOAD_USERS=4 LOAD_TIME=15s WORKERS=2 LOAD_DB=sale_reorder_tools_load LOAD_PORT=8275 \
        bash "$ADDON_DIR/dev/load.sh"
}

verdicts=()
verdict() {  # verdict TOOL STATUS SECONDS
    verdicts+=("$(printf '%-20s %-6s %4ss' "$1" "$( (($2)) && echo FAILED || echo ok)" "$3")")
}

all_tools=(readme run_and_screenshot pot bad_input load bench)
tools=("${@:-${all_tools[@]}}")
for tool in "${tools[@]}"; do
    [[ " ${all_tools[*]} " == *" $tool "* ]] || die "No such tool: $tool (${all_tools[*]})"
done
# The bench in the background (a process group of its own, its output shown at the end)
# while the others run here: its Odoo processes and theirs share the two cores.
if [[ " ${tools[*]} " == *" bench "* ]]; then
    log "make test-tools: bench, in the background"
    # shellcheck disable=SC2016 # expanded by the background shell
    env "${bench_env[@]}" setsid bash -c \
        'bash "$1"; status=$?; echo "$SECONDS" >"$2"; exit $status' \
        _ "$ADDON_DIR/dev/bench.sh" "$tmp/bench.seconds" >"$tmp/bench.log" 2>&1 &
    bench_pid=$!
fi
for tool in "${tools[@]}"; do
    [[ $tool != bench ]] || continue
    log "make test-tools: $tool"
    tool_start=$SECONDS
    status=0
    # Each tool returns its verdict (errexit does not apply inside a condition).
    "$tool" || status=1
    verdict "$tool" "$status" $((SECONDS - tool_start))
done
if [[ -n "$bench_pid" ]]; then
    status=0
    wait "$bench_pid" || status=1
    bench_pid=
    log "make test-tools: bench (it ran in the background)"
    cat "$tmp/bench.log"
    verdict bench "$status" "$(cat "$tmp/bench.seconds" 2>/dev/null || echo "?")"
fi
printf '  %s\n' "${verdicts[@]}" >&2
[[ "${verdicts[*]}" != *FAILED* ]] || die "make test-tools: a tool is broken (above)"
log "make test-tools: every tool ran (${SECONDS}s)"
