#!/usr/bin/env bash
# `make lint`: pre-commit (ruff, pylint-odoo with OCA's mandatory checks, prettier, eslint,
# README up to date).
source "$(dirname "$0")/common.sh"

bash "$ADDON_DIR/dev/prepare.sh"
export PATH=$LINT_VENV/bin:$PATH PRE_COMMIT_HOME=$CACHE_DIR/pre-commit
cd "$ADDON_DIR"
if [[ "${1:-}" == --readme ]]; then  # `make readme`: with the lint tools' docutils
    exec python dev/gen_readme.py
fi
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "make lint needs a git checkout."
# Tracked files and the new ones not committed yet (pre-commit's --all-files would
# skip those, and a stamp of tracked files only would not see them change).
files=()
while IFS= read -r -d '' file; do
    if [[ -f "$file" ]]; then files+=("$file"); fi
done < <(git ls-files -z --cached --others --exclude-standard)
# The same files passed before: nothing to lint again.
stamp=$CACHE_DIR/.lint-ok-$( (printf '%s\0' "${files[@]}" | xargs -0 sha1sum; cat "$LINT_VENV/.complete") | sha1sum | cut -c1-16)
if [[ -f "$stamp" ]]; then
    log "Lint: no file changed since the last clean run"
    exit 0
fi
pre-commit run --files "${files[@]}" --show-diff-on-failure --color=never
rm -f "$CACHE_DIR"/.lint-ok-*
touch "$stamp"
