"""Fail when a tests/test_*.py module is not imported in tests/__init__.py: Odoo's own
runner (Odoo.sh, runbot, OCA's CI) collects only the imported modules, pytest all."""

import pathlib
import re
import sys

tests = pathlib.Path(__file__).resolve().parent.parent / "tests"
init = (tests / "__init__.py").read_text()
imported = set(re.findall(r"^from \. import (\w+)", init, re.MULTILINE))
missing = sorted(p.stem for p in tests.glob("test_*.py") if p.stem not in imported)
for name in missing:
    print(
        f"tests/{name}.py is not imported in tests/__init__.py: Odoo's runner skips it"
    )
sys.exit(1 if missing else 0)
