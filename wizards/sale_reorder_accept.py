from markupsafe import Markup

from odoo import api, fields, models

from ..models.sale_reorder_request.decision import ReorderDecisionConflict
from ..tools import retried_on_contention


class SaleReorderAccept(models.TransientModel):
    _name = "sale.reorder.accept"
    _description = "Accept a Reorder Request"

    request_id = fields.Many2one(
        "sale.reorder.request", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id")
    document_type = fields.Selection(
        selection="_selection_document_type",
        string="Create",
        required=True,
        compute="_compute_document_type",
        store=True,
        readonly=False,
    )
    # What this request can be made into by this user: the only kinds the form offers
    # (Odoo's filterable_selection widget), and the only ones _accept makes.
    available_document_types = fields.Json(compute="_compute_available_document_types")
    production_note = fields.Html(compute="_compute_production_note")
    # The items staff declined or replaced: what is made differs from the request.
    items_note = fields.Html(compute="_compute_items_note")
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
        help="Send the Accepted template of the settings to the customer, with a "
        "link to each document made.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain=[("model", "=", "sale.reorder.request")],
    )
    open_quotation_email = fields.Boolean(
        string="Then send the quotation by email",
        help="Open Odoo's own quotation email (with the PDF) once it is created.",
    )

    @api.model
    def _selection_document_type(self):
        """Every kind this database can make: the form offers those of
        ``available_document_types`` only."""
        return self.env["sale.reorder.request"]._selection_document_type()

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.reorder.request"]._check_decision_access(vals_list)
        # Its request just decided by a colleague: the wizard's reference to it is
        # retried (a serialization failure), not logged as an error.
        with retried_on_contention(self.env):
            return super().create(vals_list)

    @api.depends("request_id")
    def _compute_available_document_types(self):
        for wizard in self:
            wizard.available_document_types = [
                kind
                for kind, _label in wizard.request_id._get_available_document_types()
            ]

    @api.depends("request_id")
    def _compute_document_type(self):
        for wizard in self:
            available = wizard.available_document_types or ["quotation"]
            default = wizard.request_id.company_id.reorder_default_document
            if "related_order" in available:
                # Asked from one of the customer's orders: related to it first.
                default = "related_order"
            wizard.document_type = default if default in available else available[0]

    @api.depends("document_type", "request_id")
    def _compute_production_note(self):
        for wizard in self:
            wizard.production_note = False
            if wizard.document_type != "manufacturing_order":
                continue
            request = wizard.request_id
            left_out = request._get_lines_left_out(request._get_lines_with_bom())
            if left_out:
                wizard.production_note = Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._(
                        "These items have no bill of materials and are left out of "
                        "the manufacturing orders:"
                    ),
                    Markup().join(
                        Markup("<li>%s</li>") % name
                        for name in left_out._get_names_to_make()
                    ),
                )

    @api.depends("request_id")
    def _compute_items_note(self):
        for wizard in self:
            wizard.items_note = wizard.request_id._get_item_decisions_html()

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
        if self.document_type == "related_order":
            return self._action_open_related_order()
        try:
            documents = request._accept(self.document_type, journal=self.journal_id)
        except ReorderDecisionConflict as conflict:
            # Nothing written yet: the request is locked first.
            return request._get_decision_conflict_action(conflict)
        if self.send_email and self.template_id:
            request._send_decision_email(self.template_id)
        if (
            self.open_quotation_email
            and self.document_type == "quotation"
            and len(documents) == 1
        ):
            return documents.action_quotation_send()
        action = request._action_view_records(documents, request.name)
        if documents._name == "account.move":
            action["context"] = {"default_move_type": documents[:1].move_type}
        return action

    def _action_open_related_order(self):
        """A related order is made through Create Related Order's own dialog (its
        PIN and lock-out): opened on the customer's order, its notes prefilled,
        after the same checks as Accept & Create."""
        request = self.request_id
        request._check_can_accept("related_order")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Related Order"),
            "res_model": "sale.related.order.create",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_order_id": request.related_order_id.id,
                "default_reorder_request_id": request.id,
                "default_customer_service_note": request._get_related_order_note(),
                "default_reorder_send_email": self.send_email,
                "default_reorder_template_id": self.template_id.id,
            },
        }
