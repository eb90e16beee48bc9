from odoo import api, fields, models


class SaleReorderAccept(models.TransientModel):
    _name = "sale.reorder.accept"
    _description = "Accept a Reorder Request"

    request_id = fields.Many2one(
        "sale.reorder.request", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id")
    document_type = fields.Selection(
        selection=lambda self: self.env[
            "sale.reorder.request"
        ]._selection_document_type(),
        string="Create",
        required=True,
        compute="_compute_document_type",
        store=True,
        readonly=False,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Payment Journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    send_email = fields.Boolean(
        string="Email the customer",
        default=True,
        help="Send the Accepted template of the settings to the customer.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain=[("model", "=", "sale.reorder.request")],
    )

    @api.depends("request_id")
    def _compute_document_type(self):
        available = dict(self.env["sale.reorder.request"]._selection_document_type())
        for wizard in self:
            default = wizard.request_id.company_id.reorder_default_document
            wizard.document_type = default if default in available else "quotation"

    @api.depends("document_type", "company_id")
    def _compute_journal_id(self):
        for wizard in self:
            if wizard.document_type != "receipt" or wizard.journal_id:
                continue
            wizard.journal_id = self.env["account.journal"].search(
                [
                    ("type", "in", ("bank", "cash")),
                    ("company_id", "=", wizard.company_id.id),
                ],
                limit=1,
            )

    @api.depends("request_id")
    def _compute_template_id(self):
        for wizard in self:
            wizard.template_id = wizard.company_id._get_reorder_template("accepted")

    def action_accept(self):
        self.ensure_one()
        request = self.request_id
        documents = request._accept(self.document_type, journal=self.journal_id)
        if self.send_email and self.template_id:
            request.message_post_with_source(
                self.template_id, subtype_xmlid="mail.mt_comment"
            )
        action = request._action_view_records(documents, request.name)
        if documents._name == "account.move":
            action["context"] = {"default_move_type": documents[:1].move_type}
        return action
