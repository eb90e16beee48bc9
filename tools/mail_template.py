"""The upgrades' one way to load again an email the addon ships (its templates are
``noupdate``: an administrator's wording is theirs to keep)."""

import hashlib
import logging
import re

from odoo import SUPERUSER_ID

_logger = logging.getLogger(__name__)


def fingerprint(html):
    """A template body's fingerprint, whitespace left out (as Odoo stores it)."""
    return hashlib.sha1(re.sub(r"\s+", "", str(html or "")).encode()).hexdigest()


def reset_unedited_templates(env, shipped_bodies):
    """Load again, with Odoo's own Reset Template (body, subject and their
    translations; the record stays ``noupdate``), each email of ``shipped_bodies``
    ({xml id in sale_reorder: {fingerprint of an English body a release shipped}})
    that no person changed: its English body is one a release shipped, and it was
    never written since it was installed, or only by the superuser (the install and
    the upgrades, an earlier reset included; an edit in the web client, in any field
    or language, writes it as its user). An email someone changed is left as it is;
    *Reset Template* loads ours."""
    for xmlid, shipped in shipped_bodies.items():
        template = env.ref(f"sale_reorder.{xmlid}", raise_if_not_found=False)
        if not template:
            continue
        untouched = (
            template.write_date == template.create_date
            or template.write_uid.id == SUPERUSER_ID
        )
        if (
            untouched
            and fingerprint(template.with_context(lang="en_US").body_html) in shipped
        ):
            template.reset_template()
            _logger.info("sale_reorder: %s loaded again", xmlid)
        else:
            _logger.info("sale_reorder: %s edited (or current), left as it is", xmlid)
