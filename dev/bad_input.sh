#!/usr/bin/env bash
# `make bad-input`: dev/bad_input.py against the server of `make run`.
source "$(dirname "$0")/common.sh"
exec "$VENV/bin/python" "$ADDON_DIR/dev/bad_input.py" "http://127.0.0.1:${HTTP_PORT:-8069}" \
    "${DB:-sale_reorder_demo}"
