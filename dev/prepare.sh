#!/usr/bin/env bash
# Prepares everything `make run` and `make test` need, idempotently: Odoo's source, the Debian
# packages, the virtualenv, the Odoo configuration and the addons link. Quick when nothing changed.
# The PostgreSQL cluster is started by dev/pg.sh, the template database by dev/db.sh.
source "$(dirname "$0")/common.sh"

mkdir -p "$CACHE_DIR"

# --- Odoo 18.0 source ------------------------------------------------------------------------
if [[ ! -f "$ODOO_SRC/odoo/release.py" ]]; then
    log "No Odoo source at $ODOO_SRC: cloning the 18.0 branch (shallow) from $ODOO_GIT_URL"
    if ! GIT_TERMINAL_PROMPT=0 timeout 1200 git clone --quiet --depth 1 --branch 18.0 \
            "$ODOO_GIT_URL" "$ODOO_SRC.partial"; then
        rm -rf "$ODOO_SRC.partial"
        die "Could not fetch Odoo 18.0. Put an Odoo 18.0 source tree (the folder holding odoo-bin,
    requirements.txt and odoo/) at $ODOO_SRC, or point ODOO_SRC at one, then run this again."
    fi
    mv "$ODOO_SRC.partial" "$ODOO_SRC"
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
    || die "$ODOO_SRC is not an Odoo 18.0 tree (see odoo/release.py)."

# --- Debian packages -------------------------------------------------------------------------
missing=()
need_pkgs=(libpq-dev libldap2-dev libsasl2-dev gcc chromium fonts-dejavu-core fonts-noto-core curl gettext)
[[ $PG_EMBEDDED == 1 ]] && need_pkgs+=(postgresql-15)
for pkg in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "Installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "Missing system packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run this again."
    fi
fi

# --- Virtualenvs (outside the repository, keyed by the requirement files) --------------------
# make_venv DIR PREFIX REQUIREMENT_FILE...: build DIR once, drop older PREFIX* siblings.
make_venv() {
    local dir=$1 prefix=$2 old req reqs=()
    shift 2
    for req in "$@"; do reqs+=(-r "$req"); done
    [[ -f "$dir/.complete" ]] && return 0
    log "Creating the virtualenv $dir (a few minutes, once)"
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    # cbor2's sdist needs pkg_resources, which setuptools 81 dropped: constrain the isolated
    # build environments (pip >= 25.3 reads --build-constraint, older ones PIP_CONSTRAINT).
    echo 'setuptools<81' >"$dir/build-constraints.txt"
    PIP_CONSTRAINT=$dir/build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$dir/bin/pip" install -q --upgrade 'pip>=25.3' wheel 'setuptools<81'
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$dir/bin/pip" install -q \
        --build-constraint "$dir/build-constraints.txt" "${reqs[@]}"
    touch "$dir/.complete"
    for old in "$CACHE_DIR/$prefix"*; do
        if [[ "$old" != "$dir" ]]; then rm -rf "$old"; fi
    done
}
make_venv "$VENV" venv- "$ODOO_SRC/requirements.txt" "$ADDON_DIR/dev/requirements.txt"
make_venv "$LINT_VENV" lint-venv- "$ADDON_DIR/dev/requirements-lint.txt"
make_venv "$MAIL_VENV" mail-venv- "$ADDON_DIR/dev/requirements-mail.txt"
# Only for `make load` (prepare.sh --load): locust and gevent are not small.
if [[ "${1:-}" == --load ]]; then
    make_venv "$LOAD_VENV" load-venv- "$ADDON_DIR/dev/requirements-load.txt"
fi

# Odoo starts twice as fast from byte-compiled files (PYTHONDONTWRITEBYTECODE may be set).
stamp=$CACHE_DIR/.compiled-$(cksum <"$ODOO_SRC/odoo/release.py" | cut -d' ' -f1)
if [[ ! -f "$stamp" ]]; then
    log "Byte-compiling Odoo's source once"
    env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/python" -m compileall -q -j 0 \
        "$ODOO_SRC/odoo" >/dev/null || true
    touch "$stamp"
fi

# --- The addon, linked by its module name ------------------------------------------------------
mkdir -p "$ADDONS_LINK_DIR"
ln -sfn "$ADDON_DIR" "$ADDONS_LINK_DIR/$ADDON_NAME"

cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ADDONS_LINK_DIR
data_dir = $CACHE_DIR/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = False
without_demo = False
http_interface = 127.0.0.1
http_port = ${HTTP_PORT:-8069}
max_cron_threads = 0
log_level = info
CONF
