"""18.0.1.1.0: carry the decisions made before over to the new bookkeeping.

- the opportunities of withdrawn requests are lost with the "Withdrawn by customer"
  reason;
- the "Review reorder request" to-dos of decided requests are marked done;
- the shipped notification and Accepted templates get their new content (the Accepted
  email now links the documents made), as Odoo's Reset Template would.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Request = env["sale.reorder.request"].with_context(active_test=False)
    withdrawn = Request.search([("state", "=", "withdrawn")])
    reason = env.ref("sale_reorder.crm_lost_reason_reorder_withdrawn")
    withdrawn.opportunity_id.with_context(active_test=False).write(
        {"lost_reason_id": reason.id}
    )
    decided = Request.search([("state", "!=", "pending")])
    decided.with_context(mail_activity_quick_update=True).activity_feedback(
        ["mail.mail_activity_data_todo"]
    )
    for xmlid in (
        "sale_reorder.mail_template_reorder_notification",
        "sale_reorder.mail_template_reorder_accepted",
    ):
        template = env.ref(xmlid, raise_if_not_found=False)
        if template:
            template.reset_template()
    _logger.info(
        "sale_reorder: %s withdrawn and %s decided request(s) carried over",
        len(withdrawn),
        len(decided),
    )
