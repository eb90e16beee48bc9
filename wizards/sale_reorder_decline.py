from odoo import api, fields, models

from ..models.sale_reorder_request.decision import ReorderDecisionConflict
from ..tools import retried_on_contention


class SaleReorderDecline(models.TransientModel):
    """Decline a request, with a prompt to send the Declined email (as sale.order.cancel
    does for a cancelled order)."""

    _name = "sale.reorder.decline"
    _inherit = "mail.composer.mixin"
    _description = "Decline a Reorder Request"

    request_id = fields.Many2one(
        "sale.reorder.request", required=True, ondelete="cascade"
    )
    reason = fields.Text()
    recipient_ids = fields.Many2many(
        "res.partner",
        string="Recipients",
        compute="_compute_recipient_ids",
        readonly=False,
    )
    template_id = fields.Many2one(
        compute="_compute_template_id", store=True, readonly=False, precompute=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Before anything is rendered: the email shows the customer and the link.
        self.env["sale.reorder.request"]._check_decision_access(vals_list)
        # Its request just decided by a colleague: the wizard's reference to it is
        # retried (a serialization failure), not logged as an error.
        with retried_on_contention(self.env):
            return super().create(vals_list)

    @api.depends("request_id")
    def _compute_template_id(self):
        for wizard in self:
            wizard.template_id = wizard.request_id.company_id._get_reorder_template(
                "declined"
            )

    @api.depends("request_id")
    def _compute_recipient_ids(self):
        for wizard in self:
            wizard.recipient_ids = wizard.request_id.partner_id

    def _render_for_request(self, field):
        self.ensure_one()
        request = self.request_id
        return self.template_id.with_context(
            reorder_decline_reason=self.reason
        )._render_field(
            field, request.ids, compute_lang=True, options={"post_process": True}
        )[request.id]

    @api.depends("request_id", "template_id")
    def _compute_subject(self):
        for wizard in self.filtered("template_id"):
            wizard.subject = wizard._render_for_request("subject")

    @api.depends("request_id", "template_id", "reason")
    def _compute_body(self):
        for wizard in self.filtered("template_id"):
            wizard.body = wizard._render_for_request("body_html")

    def action_send_and_decline(self):
        self.ensure_one()
        try:
            self.request_id._decline(self.reason)
        except ReorderDecisionConflict as conflict:
            return self.request_id._get_decision_conflict_action(conflict)
        self.request_id._send_decision_email(
            author_id=self.env.user.partner_id.id,
            body=self.body,
            subject=self.subject,
            partner_ids=self.recipient_ids.ids,
        )
        return {"type": "ir.actions.act_window_close"}

    def action_decline(self):
        self.ensure_one()
        try:
            self.request_id._decline(self.reason)
        except ReorderDecisionConflict as conflict:
            return self.request_id._get_decision_conflict_action(conflict)
        return {"type": "ir.actions.act_window_close"}
