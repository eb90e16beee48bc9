# The local mail catcher (maildump): an SMTP server on 127.0.0.1:$MAIL_SMTP_PORT whose web
# inbox and REST API (/messages/) are on 127.0.0.1:$MAIL_HTTP_PORT. Source it after
# common.sh; start_mail_catcher stops it again when the calling script exits.
# shellcheck shell=bash

start_mail_catcher() {
    local pidfile=$CACHE_DIR/maildump-$MAIL_SMTP_PORT.pid
    "$MAIL_VENV/bin/maildump" --smtp-port "$MAIL_SMTP_PORT" --http-port "$MAIL_HTTP_PORT" \
        --pidfile "$pidfile" >"$CACHE_DIR/maildump.log" 2>&1 ||
        die "The mail catcher did not start (ports $MAIL_SMTP_PORT, $MAIL_HTTP_PORT busy?): see $CACHE_DIR/maildump.log"
    MAIL_CATCHER_PIDFILE=$pidfile
    local _try
    for _try in $(seq 50); do
        curl -fs "http://127.0.0.1:$MAIL_HTTP_PORT/messages/" >/dev/null && return 0
        sleep 0.1
    done
    die "The mail catcher does not answer on port $MAIL_HTTP_PORT: see $CACHE_DIR/maildump.log"
}

stop_mail_catcher() {
    if [[ -n "${MAIL_CATCHER_PIDFILE:-}" && -f "$MAIL_CATCHER_PIDFILE" ]]; then
        kill "$(cat "$MAIL_CATCHER_PIDFILE")" 2>/dev/null || true
        rm -f "$MAIL_CATCHER_PIDFILE"
    fi
}

# Odoo's options to send through the catcher, with the scheduler sending the mail queue.
ODOO_MAIL_OPTIONS=(--smtp=127.0.0.1 "--smtp-port=$MAIL_SMTP_PORT" --max-cron-threads=1)
