"""18.0.1.4.0: the emails this release changed, and a token for every request.

- The shipped emails whose text changed (New Request: "1 item" / "2 items" instead of
  "2 item(s)"; Accepted: the items a manufacturing order leaves out) are loaded again,
  but only where an administrator did not edit them: their English body is still one of
  the bodies an earlier release shipped (compared without whitespace). An edited email
  is left as it is.
- Requests made before this release get the access token new ones get when created, so
  that the read-only portal pages that link them never write one.
"""

import copy
import hashlib
import logging
import re
from io import BytesIO

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import convert, file_open

_logger = logging.getLogger(__name__)

# The fingerprints of the bodies earlier releases shipped (git history of
# data/mail_templates.xml, each as Odoo stores it).
SHIPPED_BODIES = {
    "mail_template_reorder_notification": {
        "af41eb5bbefe100cfc5700651fd5299d245774f8",
        "1fd7453fe5786a94e96ccc7bc3bfe4c41f5f99fc",
    },
    "mail_template_reorder_accepted": {
        "7f621768173d3fcacbad46a366ba149c4cd57ea9",
        "53a391598f09f7ddf7c1cc1a7ecd5a60b1f0ba16",
    },
}


def fingerprint(html):
    return hashlib.sha1(re.sub(r"\s+", "", str(html or "")).encode()).hexdigest()


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    unchanged = []
    for xmlid, shipped in SHIPPED_BODIES.items():
        template = env.ref(f"sale_reorder.{xmlid}", raise_if_not_found=False)
        if template and fingerprint(template.body_html) in shipped:
            unchanged.append(xmlid)
        elif template:
            _logger.info("sale_reorder: %s was edited, left as it is", xmlid)
    if unchanged:
        with file_open("sale_reorder/data/mail_templates.xml", "rb") as data:
            records = etree.parse(data).getroot()
        reload = etree.Element("odoo")
        for record in records.iter("record"):
            if record.get("id") in unchanged:
                reload.append(copy.deepcopy(record))
        # Loaded as updatable data (a noupdate record is never loaded again), then
        # marked noupdate again: later upgrades leave it to the administrator.
        convert.convert_xml_import(
            env,
            "sale_reorder",
            BytesIO(etree.tostring(reload)),
            mode="update",
            noupdate=False,
        )
        env["ir.model.data"].search(
            [("module", "=", "sale_reorder"), ("name", "in", unchanged)]
        ).noupdate = True
        _logger.info("sale_reorder: emails loaded again: %s", ", ".join(unchanged))
    requests = env["sale.reorder.request"].search([("access_token", "=", False)])
    for request in requests:
        request._portal_ensure_token()
    _logger.info("sale_reorder: %s request(s) given their access token", len(requests))
