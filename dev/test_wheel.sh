#!/usr/bin/env bash
# `make test-wheel`: the addon as a Python wheel, as OCA publishes addons (whool, from
# pyproject.toml). Builds `odoo_addon_sale_reorder-<version>-py3-none-any.whl` with
# `pip wheel --no-deps .` (whatever this checkout's folder is called: PKG-INFO names the
# distribution, and its version must be the manifest's), installs it into a fresh
# virtualenv beside Odoo (Odoo's own requirements are those of the cached one, read
# through a .pth file; the addon comes from the wheel alone), then installs the addon on
# a new database with an addons path that does not hold this checkout.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_wheel
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
tmp=$(mktemp -d)
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "rm -rf $tmp; drop_db $DB; ${pg_trap:-:}" EXIT

version=$("$VENV/bin/python" -c "import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" "$ADDON_DIR/__manifest__.py")
grep -qx "Version: $version" "$ADDON_DIR/PKG-INFO" ||
    die "PKG-INFO's Version is not the manifest's $version: update PKG-INFO"

log "Building the wheel (pip wheel --no-deps .; whool from PyPI)"
(cd "$ADDON_DIR" && "$VENV/bin/python" -m pip wheel --quiet --no-deps -w "$tmp/dist" .) ||
    die "pip wheel failed"
wheel="$tmp/dist/odoo_addon_sale_reorder-$version-py3-none-any.whl"
[[ -f "$wheel" ]] || die "no $(basename "$wheel") in $(ls "$tmp/dist")"

log "Installing $(basename "$wheel") into a fresh virtualenv"
base_python=$("$VENV/bin/python" -c "import sys, os; print(os.path.join(sys.base_prefix, 'bin', 'python3'))")
"$base_python" -m venv "$tmp/venv"
site=$("$tmp/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
"$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" >"$site/odoo-requirements.pth"
"$tmp/venv/bin/python" -m pip install --quiet --no-deps "$wheel" || die "pip install failed"
[[ -f "$site/odoo/addons/$ADDON_NAME/__manifest__.py" ]] ||
    die "the wheel did not install odoo/addons/$ADDON_NAME"

log "Installing $ADDON_NAME from the wheel on a new database (no checkout in the addons path)"
BASE_MODULES=$(addon_depends) CACHE_PREFIX=srmin new_base_db "$DB"
logfile=$CACHE_DIR/test-wheel.log
"$tmp/venv/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --no-http \
    --addons-path="$ODOO_SRC/odoo/addons" --stop-after-init --without-demo=all \
    -i "$ADDON_NAME" --logfile="$logfile" || {
    tail -n 40 "$logfile" >&2
    die "installing from the wheel failed; the whole log is in $logfile"
}
"${CHECKLOG[@]}" "$logfile" | head -n 40 >&2 ||
    die "Odoo logged errors or warnings installing from the wheel; see $logfile"
where=$(psql -qtAd "$DB" -c "SELECT state FROM ir_module_module WHERE name = '$ADDON_NAME'")
[[ "$where" == installed ]] || die "$ADDON_NAME is '$where' after the install"
"$tmp/venv/bin/python" - "$ODOO_SRC" "$ADDON_NAME" "$site" <<'PY' || die "the addon was not the wheel's"
import sys

sys.path.insert(0, sys.argv[1])
import odoo.addons  # noqa: E402
from odoo.modules.module import get_module_path, initialize_sys_path  # noqa: E402

from odoo.tools import config  # noqa: E402

config["addons_path"] = sys.argv[1] + "/odoo/addons"
initialize_sys_path()
path = get_module_path(sys.argv[2])
print(f"{sys.argv[2]} is found at {path}")
sys.exit(0 if path.startswith(sys.argv[3]) else 1)
PY
log "make test-wheel: $(basename "$wheel") built, installed and the addon installed from it in ${SECONDS}s"
