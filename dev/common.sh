# Shared settings for the dev/ scripts. Source it; it defines variables and helpers only.
# shellcheck shell=bash

set -euo pipefail

ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON_NAME=sale_reorder
CACHE_DIR=${SALE_REORDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sale_reorder}
ODOO_SRC=${ODOO_SRC:-${XDG_DATA_HOME:-$HOME/.local/share}/odoo-18.0}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
PYTHON=${PYTHON:-python3}
# The apps the addon uses when they are installed (never required): the full template has
# them, the minimal one has only the addon's own dependencies.
OPTIONAL_APPS=sale_management,stock,mrp
# eCommerce: most shops with a customer portal run it (its layout, its languages per website).
WEBSITE_APPS=website_sale
# The addons directory where the checkout is linked as "sale_reorder", whatever its own
# name, and Odoo's configuration that names it: one of each per checkout, so that a clone
# (CI's) and the working copy never run each other's code.
CHECKOUT_KEY=$(printf '%s' "$ADDON_DIR" | sha1sum | cut -c1-8)
ADDONS_LINK_DIR=$CACHE_DIR/addons/$CHECKOUT_KEY
ODOO_CONF=$CACHE_DIR/odoo-$CHECKOUT_KEY.conf

log() { printf '\033[1m[sale_reorder]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[sale_reorder] error:\033[0m %s\n' "$*" >&2; exit 1; }

# The embedded PostgreSQL cluster, unless PGHOST / PGPORT / PGUSER point at an existing server.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Decided once by the first script and inherited by the scripts it calls (which see the
# PGHOST of the embedded cluster exported below).
if [[ -z "${SALE_REORDER_PG_EMBEDDED:-}" ]]; then
    if [[ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]]; then
        export SALE_REORDER_PG_EMBEDDED=0
    else
        export SALE_REORDER_PG_EMBEDDED=1
    fi
fi
PG_EMBEDDED=$SALE_REORDER_PG_EMBEDDED
if [[ $PG_EMBEDDED == 0 ]]; then
    export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$USER}
else
    PG_EMBEDDED=1
    if [[ $(id -u) -eq 0 ]]; then
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres system user,
        # in a directory it can reach (root's home usually is not).
        PG_DIR=${SALE_REORDER_PGDIR:-/var/tmp/sale_reorder-pg-root}
        PG_OS_USER=postgres
    else
        PG_DIR=${SALE_REORDER_PGDIR:-$CACHE_DIR/pg}
        PG_OS_USER=$(id -un)
    fi
    PG_DATA=$PG_DIR/data
    export PGHOST=$PG_DIR PGPORT=${SALE_REORDER_PGPORT:-5439} PGUSER=odoo
fi
export PGDATABASE=postgres PGOPTIONS='-c client_min_messages=warning'

as_pg_user() {
    if [[ $(id -u) -eq 0 && "$PG_OS_USER" != root ]]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

# venv_key FILE...: a short hash of requirement files and the Python version.
venv_key() { cat "$@" <("$PYTHON" -V 2>&1) 2>/dev/null | sha1sum | cut -c1-12; }
VENV=${VENV:-$CACHE_DIR/venv-$(venv_key "$ODOO_SRC/requirements.txt" "$ADDON_DIR/dev/requirements.txt")}
LINT_VENV=$CACHE_DIR/lint-venv-$(venv_key "$ADDON_DIR/dev/requirements-lint.txt")
MAIL_VENV=$CACHE_DIR/mail-venv-$(venv_key "$ADDON_DIR/dev/requirements-mail.txt")
# checklog-odoo with the project's list of tolerated records (checklog-odoo.cfg).
CHECKLOG=("$LINT_VENV/bin/checklog-odoo" --config "$ADDON_DIR/checklog-odoo.cfg" --no-echo)
# The addon's dependencies, as its manifest says (manifestoo), e.g. "account,portal,sale_crm".
addon_depends() {
    "$LINT_VENV/bin/manifestoo" --select-addons-dir "$ADDONS_LINK_DIR" \
        list-depends --separator=, 2>/dev/null
}
LOAD_VENV=$CACHE_DIR/load-venv-$(venv_key "$ADDON_DIR/dev/requirements-load.txt")
# The mail catcher's ports (SMTP, web inbox).
MAIL_SMTP_PORT=${MAIL_SMTP_PORT:-1025}
MAIL_HTTP_PORT=${MAIL_HTTP_PORT:-1080}
ODOO_BIN=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
export PYTHONPATH=$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}
