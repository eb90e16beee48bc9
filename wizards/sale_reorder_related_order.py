from odoo import Command, api, fields, models

from ..models.sale_reorder_request.decision import ReorderDecisionConflict


class SaleRelatedOrderCreate(models.TransientModel):
    """Create Related Order, opened by Accept & Create for a request the customer
    asked from one of their orders: the same dialog, PIN and lock-out, its notes
    prefilled (the customer's reason and comment); the related order is made of
    the request's items to make, and the request is accepted with it."""

    _inherit = "sale.related.order.create"

    reorder_request_id = fields.Many2one("sale.reorder.request", ondelete="cascade")
    reorder_items_note = fields.Html(compute="_compute_reorder_items_note")
    reorder_send_email = fields.Boolean(string="Email the customer", default=True)
    reorder_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "sale.reorder.request")],
    )

    @api.model_create_multi
    def create(self, vals_list):
        # As the Accept dialog: only for requests the user may decide.
        self.env["sale.reorder.request"]._check_decision_access(
            [
                {"request_id": vals["reorder_request_id"]}
                for vals in vals_list
                if vals.get("reorder_request_id")
            ]
        )
        return super().create(vals_list)

    @api.depends("reorder_request_id")
    def _compute_line_ids(self):
        """The request's items are made, not the parent's lines copied."""
        from_request = self.filtered("reorder_request_id")
        from_request.line_ids = [Command.clear()]
        return super(SaleRelatedOrderCreate, self - from_request)._compute_line_ids()

    @api.depends("reorder_request_id")
    def _compute_reorder_items_note(self):
        for wizard in self:
            request = wizard.reorder_request_id
            wizard.reorder_items_note = (
                request._get_item_decisions_html() if request else False
            )

    def _create_related(self, pin):
        request = self.reorder_request_id
        if not request:
            return super()._create_related(pin)
        return request._accept(
            "related_order", pin=pin, note=self.customer_service_note or ""
        )

    def action_create(self):
        request = self.reorder_request_id
        if not request:
            return super().action_create()
        try:
            action = super().action_create()
        except ReorderDecisionConflict as conflict:
            return request._get_decision_conflict_action(conflict)
        # A refused PIN gives the dialog back: the request is still pending.
        if request.state == "accepted" and (
            self.reorder_send_email and self.reorder_template_id
        ):
            request._send_decision_email(self.reorder_template_id)
        return action
