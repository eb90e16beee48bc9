"""18.0.1.4.0: the emails this release changed, and a token for every request.

- The shipped emails whose text changed (New Request: "1 item" / "2 items" instead of
  "2 item(s)"; Accepted: the items a manufacturing order leaves out) are loaded again
  with Odoo's own Reset Template, but only where no one changed them
  (``tools.reset_unedited_templates``).
- Requests made before this release get the access token new ones get when created, so
  that the read-only portal pages that link them never write one.
"""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.sale_reorder.tools import reset_unedited_templates

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


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    reset_unedited_templates(env, SHIPPED_BODIES)
    cr.execute(
        """
        UPDATE sale_reorder_request
           SET access_token = gen_random_uuid()::text
         WHERE access_token IS NULL
        """
    )
    _logger.info("sale_reorder: %s request(s) given their access token", cr.rowcount)
