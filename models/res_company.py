from odoo import api, fields, models

DOCUMENT_TYPES = [
    ("quotation", "Quotation"),
    ("sale_order", "Sales Order"),
    ("invoice", "Invoice"),
    ("receipt", "Sales Receipt"),
    ("work_order", "Work Order"),
]
TEMPLATES = {
    "notification": "sale_reorder.mail_template_reorder_notification",
    "accepted": "sale_reorder.mail_template_reorder_accepted",
    "declined": "sale_reorder.mail_template_reorder_declined",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    reorder_request_enabled = fields.Boolean(string="Reorder Requests")
    reorder_from_invoices = fields.Boolean(default=True)
    reorder_from_receipts = fields.Boolean(
        string="Reorder From Sales Receipts", default=True
    )
    reorder_notification_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("notification"),
    )
    reorder_accepted_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("accepted"),
    )
    reorder_declined_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("declined"),
    )
    reorder_backup_user_id = fields.Many2one(
        "res.users",
        string="Reorder Back-up Assignee",
        domain=[("share", "=", False)],
        help="Receives the reorder requests of customers without a salesperson.",
    )
    reorder_default_document = fields.Selection(
        DOCUMENT_TYPES, string="Default Reorder Document", default="quotation"
    )

    @api.model
    def _default_reorder_template(self, kind):
        return self.env.ref(TEMPLATES[kind], raise_if_not_found=False)

    def _get_reorder_template(self, kind):
        """The company's template of this kind (notification, accepted, declined)."""
        self.ensure_one()
        return self[f"reorder_{kind}_template_id"]

    @api.model
    def _set_reorder_default_templates(self):
        """Give every company the shipped templates (on install: the fields' defaults
        could not see the templates, loaded after the columns were made)."""
        for kind in TEMPLATES:
            field = f"reorder_{kind}_template_id"
            self.search([(field, "=", False)]).write(
                {field: self._default_reorder_template(kind).id}
            )
