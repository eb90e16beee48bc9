"""Render README.rst from readme/ fragments, as OCA's oca-gen-addon-readme does.

python dev/gen_readme.py          write README.rst
python dev/gen_readme.py --check  fail when README.rst is not up to date
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]


def render():
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    title = manifest["name"]
    badges = (
        f".. |badge1| image:: https://img.shields.io/badge/maturity-Beta-yellow.png\n"
        f"    :alt: Beta\n"
        f".. |badge2| image:: https://img.shields.io/badge/license-"
        f"{manifest['license'].replace('-', '--')}-blue.png\n"
        f"    :alt: License: {manifest['license']}\n\n"
        f"|badge1| |badge2|\n"
    )
    out = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        "..",
        "   This file is generated from the readme/ fragments by dev/gen_readme.py:",
        "   edit those, never this file.",
        "",
        badges,
    ]
    fragments = {
        name: (ROOT / "readme" / f"{name}.rst").read_text().strip()
        for name, _ in SECTIONS + [("CONTRIBUTORS", None)]
        if (ROOT / "readme" / f"{name}.rst").exists()
    }
    if "DESCRIPTION" in fragments:
        out += [fragments["DESCRIPTION"], ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name, heading in SECTIONS[1:]:
        if name in fragments:
            out += [heading, "=" * len(heading), "", fragments[name], ""]
    out += ["Credits", "=======", "", "Authors", "-------", ""]
    out += [f"* {author.strip()}" for author in manifest["author"].split(",")]
    out.append("")
    if "CONTRIBUTORS" in fragments:
        out += ["Contributors", "------------", "", fragments["CONTRIBUTORS"], ""]
    return "\n".join(out)


def main():
    readme = ROOT / "README.rst"
    text = render()
    if "--check" in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit("README.rst is out of date: run `python dev/gen_readme.py`.")
        return
    readme.write_text(text)


if __name__ == "__main__":
    main()
