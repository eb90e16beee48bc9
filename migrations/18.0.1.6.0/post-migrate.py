"""18.0.1.6.0: the Accepted email tells the customer, item by item, what was
accepted, replaced (by what) and declined (why). Loaded again where no one changed
it (``tools.reset_unedited_templates``)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.sale_reorder.tools import reset_unedited_templates

# The bodies earlier releases shipped (git history of data/mail_templates.xml, as
# Odoo stores them): 18.0.1.0.0 to 18.0.1.5.0.
SHIPPED_BODIES = {
    "mail_template_reorder_accepted": {
        "7f621768173d3fcacbad46a366ba149c4cd57ea9",
        "53a391598f09f7ddf7c1cc1a7ecd5a60b1f0ba16",
        "0004c439745558a3eaf77c61312b4240ad2c93c1",
    },
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    reset_unedited_templates(env, SHIPPED_BODIES)
