#!/usr/bin/env bash
# Run pytest-odoo on an existing database that has the addon at the current code
# (for quick iterations; `make test` is the full, fresh run):
#   dev/pytest.sh DB [pytest arguments, test paths relative to the addon]
source "$(dirname "$0")/common.sh"

DB=${1:?usage: dev/pytest.sh DB [pytest arguments]}
shift
# Through the link, so that pytest-odoo names the test modules odoo.addons.sale_reorder.tests.
linked=$ADDONS_LINK_DIR/$ADDON_NAME
cd "$linked"
args=()
paths=0
for arg in "$@"; do
    if [[ "$arg" != -* && -e "$ADDON_DIR/${arg%%::*}" ]]; then
        arg=$linked/$arg
        paths=1
    fi
    args+=("$arg")
done
((paths)) || args+=("$linked/tests")
PYTHONPATH=$ADDON_DIR:$PYTHONPATH exec "$VENV/bin/python" -m pytest -p no:cacheprovider \
    -p dev.pytest_no_skip -W ignore::DeprecationWarning --rootdir="$linked" \
    --odoo-database="$DB" --odoo-config="$ODOO_CONF" --odoo-http "${args[@]}"
