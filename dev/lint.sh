#!/usr/bin/env bash
# `make lint`: pre-commit (ruff, pylint-odoo with OCA's mandatory checks, README up to date).
source "$(dirname "$0")/common.sh"

bash "$ADDON_DIR/dev/prepare.sh"
export PATH=$LINT_VENV/bin:$PATH PRE_COMMIT_HOME=$CACHE_DIR/pre-commit
cd "$ADDON_DIR"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    pre-commit run --all-files --show-diff-on-failure --color=never
else
    # Not a git checkout (an unpacked archive): the same tools, run directly.
    ruff check . && ruff format --check . && pylint --rcfile=.pylintrc ./*.py ./*/*.py \
        && python dev/gen_readme.py --check
fi
