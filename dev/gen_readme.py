"""Render README.rst and the Apps page from readme/ fragments, as OCA's
oca-gen-addon-readme does.

python dev/gen_readme.py          write README.rst and static/description/index.html
python dev/gen_readme.py --check  fail when either is not up to date

README.rst (for a git host) has every section. The Apps page (Odoo's *Module Info*)
leaves out the Development section and the badges, which are for developers and need
the internet, and names its images by file name: Odoo serves them from
static/description/, where the README's images are.
"""

import ast
import re
import sys
from pathlib import Path

from docutils.core import publish_string

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("SECURITY", "Security"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
# Left out of the Apps page: for whoever works on the addon, not whoever installs it.
DEVELOPER_SECTIONS = {"DEVELOP"}


def render(for_apps=False):
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
        "..",
        "   This file is generated from the readme/ fragments by dev/gen_readme.py:",
        "   edit those, never this file.",
        "",
    ]
    if not for_apps:  # Odoo's module form shows the name above the page already
        out = ["=" * len(title), title, "=" * len(title), "", *out, badges]
    fragments = {
        name: (ROOT / "readme" / f"{name}.rst").read_text().strip()
        for name, _ in SECTIONS + [("CONTRIBUTORS", None)]
        if (ROOT / "readme" / f"{name}.rst").exists()
    }
    if "DESCRIPTION" in fragments:
        out += [fragments["DESCRIPTION"], ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name, heading in SECTIONS[1:]:
        if name in fragments and not (for_apps and name in DEVELOPER_SECTIONS):
            out += [heading, "=" * len(heading), "", fragments[name], ""]
    out += ["Credits", "=======", "", "Authors", "-------", ""]
    out += [f"* {author.strip()}" for author in manifest["author"].split(",")]
    out.append("")
    if "CONTRIBUTORS" in fragments:
        out += ["Contributors", "------------", "", fragments["CONTRIBUTORS"], ""]
    return "\n".join(out)


def render_apps_page():
    """static/description/index.html: the Apps page, rendered by docutils with the
    settings OCA's generator uses (no raw HTML, no file insertion)."""
    html = publish_string(
        render(for_apps=True),
        writer_name="html5",
        settings_overrides={
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "halt_level": 2,
            "report_level": 2,
            "output_encoding": "unicode",
            "xml_declaration": False,
            "embed_stylesheet": False,
            "stylesheet_path": "",
        },
    )
    html = re.sub(r'<meta name="generator"[^>]*>\n', "", html)
    return html.replace('src="static/description/', 'src="')


def check_renders(text):
    """README.rst must render without a docutils error (a git host would show the
    broken markup)."""
    publish_string(
        text,
        writer_name="html5",
        settings_overrides={
            "halt_level": 2,
            "report_level": 2,
            "output_encoding": "unicode",
        },
    )


def main():
    readme = render()
    check_renders(readme)
    outputs = {
        ROOT / "README.rst": readme,
        ROOT / "static" / "description" / "index.html": render_apps_page(),
    }
    for path, text in outputs.items():
        if "--check" in sys.argv:
            if not path.exists() or path.read_text() != text:
                sys.exit(f"{path.relative_to(ROOT)} is out of date: run `make readme`.")
        else:
            path.write_text(text)


if __name__ == "__main__":
    main()
