import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The request's audit trail: set by the customer's submission or by the decision
# methods, never written directly (over RPC either). Each field with what a request
# made otherwise (by staff, over RPC, an import) may start with: None, any value (whom
# and what it is for); else that value, or none (False).
AUDIT_FIELDS = {
    "name": None,
    "partner_id": None,
    "company_id": None,
    "pricelist_id": None,
    "currency_id": None,
    "customer_comment": None,
    "submission_date": False,
    "submission_token": False,
    "state": "pending",
    "decision_date": False,
    "decided_by_id": False,
    "decline_reason": False,
    "opportunity_id": False,
    "related_order_id": False,
    "related_reason": False,
}
# Why a customer asks for items related to one of their orders (the four cases of
# Create Related Order), started from the order's page in the portal.
RELATED_REASONS = [
    ("wrong_item", "Wrong item: I keep it and need the right one"),
    ("extra_parts", "Extra parts or components"),
    ("addon", "Add-on or upgrade"),
    ("bundle", "Another component of a bundle"),
]
# Staff may change these while the request is pending only.
PENDING_FIELDS = frozenset({"line_ids"})
# Only _create_submitted and _write_audit_trail (below) write the audit trail: a context
# key no RPC client can forge, being this very object.
AUDIT_TRAIL_KEY = object()


class SaleReorderRequest(models.Model):
    """A customer's request to reorder items of their purchase history: Pending
    until staff accept it (making the documents) or decline it, or the customer
    withdraws it. This file holds the model, its fields and its audit trail; what it
    does lives beside it, one file for each part of its life: ``submission.py`` (the
    customer's form, checked), ``decision.py`` (accept, decline, withdraw),
    ``documents.py`` (what Accept makes) and ``follow_up.py`` (the opportunity, the
    emails and the to-do)."""

    _name = "sale.reorder.request"
    _description = "Reorder Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The reference of a reorder request must be unique per company.",
        ),
        (
            # A token means something to the customer who got it from the form only.
            "submission_token_uniq",
            "unique(partner_id, submission_token)",
            "This request was already submitted.",
        ),
    ]

    # === FIELDS ===#

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_pricelist", store=True, readonly=True
    )
    pricelist_id = fields.Many2one(
        "product.pricelist", compute="_compute_pricelist", store=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", tracking=True, check_company=True
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Status",
        required=True,
        default="pending",
        index=True,
        tracking=True,
        copy=False,
        # Kanban columns in this order (Pending first), not alphabetically.
        group_expand=True,
    )
    customer_comment = fields.Text(readonly=True)
    submission_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, copy=False
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decline_reason = fields.Text(readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many(
        "sale.reorder.request.line", "request_id", string="Requested Items", copy=True
    )
    line_count = fields.Integer(string="Items", compute="_compute_amounts", store=True)
    amount_estimated = fields.Monetary(
        string="Estimated Total",
        compute="_compute_amounts",
        store=True,
        currency_field="currency_id",
    )
    accepted_item_count = fields.Integer(
        string="Items Accepted",
        compute="_compute_item_decisions",
        store=True,
        groups="sales_team.group_sale_salesman",
    )
    replaced_item_count = fields.Integer(
        string="Items Replaced",
        compute="_compute_item_decisions",
        store=True,
        groups="sales_team.group_sale_salesman",
    )
    declined_item_count = fields.Integer(
        string="Items Declined",
        compute="_compute_item_decisions",
        store=True,
        groups="sales_team.group_sale_salesman",
    )
    # Read by the customer too (their list and pages), once the request is decided:
    # the counts it is made of are staff's while it is pending.
    decision_summary = fields.Char(
        string="Items Decided",
        compute="_compute_decision_summary",
        compute_sudo=True,
        help="How many items of an accepted request were made as asked, replaced "
        "or declined, when staff decided some of them otherwise.",
    )
    opportunity_id = fields.Many2one(
        "crm.lead", readonly=True, copy=False, index="btree_not_null"
    )
    related_order_id = fields.Many2one(
        "sale.order",
        string="Related to Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The customer's order these items are asked for (from that order's page "
        "in the portal): Accept & Create can make a related order of it.",
    )
    related_reason = fields.Selection(
        RELATED_REASONS, string="Why Related Items", readonly=True, copy=False
    )
    sale_order_ids = fields.One2many(
        "sale.order", "reorder_request_id", string="Sales Orders", readonly=True
    )
    invoice_ids = fields.One2many(
        "account.move", "reorder_request_id", string="Invoices", readonly=True
    )
    sale_order_count = fields.Integer(compute="_compute_document_counts")
    invoice_count = fields.Integer(compute="_compute_document_counts")
    production_count = fields.Integer(
        string="Manufacturing Orders", compute="_compute_document_counts"
    )
    acceptance_rate = fields.Float(
        string="Acceptance Rate (%)",
        compute="_compute_acceptance_rate",
        store=True,
        aggregator="avg",
        help="100 for an accepted request, 0 otherwise: averaged, the share accepted.",
    )
    submission_token = fields.Char(readonly=True, copy=False, index="btree_not_null")
    # Given at creation, whoever makes the request (the portal, staff, an import): the
    # pages that link it with its token (the list, a request's pager) only read.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    # === COMPUTE METHODS ===#

    @api.depends("partner_id", "company_id")
    def _compute_pricelist(self):
        for request in self:
            partner = request.partner_id.with_company(request.company_id)
            pricelist = partner.property_product_pricelist
            request.pricelist_id = pricelist
            request.currency_id = (
                pricelist.currency_id or request.company_id.currency_id
            )

    @api.depends("line_ids.price_subtotal_estimated")
    def _compute_amounts(self):
        for request in self:
            request.line_count = len(request.line_ids)
            request.amount_estimated = sum(
                request.line_ids.mapped("price_subtotal_estimated")
            )

    @api.depends("line_ids.decision")
    def _compute_item_decisions(self):
        for request in self:
            decisions = request.line_ids.mapped("decision")
            request.accepted_item_count = decisions.count("accept")
            request.replaced_item_count = decisions.count("replace")
            request.declined_item_count = decisions.count("decline")

    @api.depends("state", "line_count", "accepted_item_count", "replaced_item_count")
    @api.depends_context("lang")
    def _compute_decision_summary(self):
        for request in self:
            request.decision_summary = request._get_decision_summary()

    @api.depends("state")
    def _compute_acceptance_rate(self):
        for request in self:
            request.acceptance_rate = 100.0 if request.state == "accepted" else 0.0

    @api.depends("sale_order_ids", "invoice_ids")
    def _compute_document_counts(self):
        productions = self._get_productions()
        for request in self:
            request.sale_order_count = len(request.sale_order_ids)
            request.invoice_count = len(request.invoice_ids)
            request.production_count = len(
                productions.filtered(lambda p, r=request: p.origin == r.name)
                if productions is not None
                else []
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/reorders/{request.id}"

    # === CRUD METHODS ===#

    @api.model_create_multi
    def create(self, vals_list):
        internal = self.env.context.get("sale_reorder_audit_trail") is AUDIT_TRAIL_KEY
        for vals in vals_list:
            if not internal:
                self._check_create_values(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sale.reorder.request") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("sale_reorder_audit_trail") is not AUDIT_TRAIL_KEY:
            self.check_access("write")
            self._check_write_values(vals)
        if "user_id" in vals:
            self._move_review_activity(vals["user_id"])
        return super().write(vals)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The acceptance rate averages decided requests only: pending and withdrawn
        requests were never accepted nor declined."""
        if aggregate_spec == "acceptance_rate:avg":
            state = self._field_to_sql(self._table, "state", query)
            return SQL(
                "AVG(CASE WHEN %(state)s = 'accepted' THEN 100.0 "
                "WHEN %(state)s = 'declined' THEN 0.0 END)",
                state=state,
            )
        return super()._read_group_select(aggregate_spec, query)

    # === ACTION METHODS ===#

    def withdraw_from_portal(self):
        """RPC entry point: the calling customer withdraws their pending request."""
        if len(self) != 1:
            raise UserError(self.env._("Withdraw one request at a time."))
        self.check_access("read")
        self.sudo()._withdraw_by_customer(self.env.user)
        return True

    def action_open_accept_wizard(self):
        """Accept & Create; when staff declined every item, nothing is left to make:
        the request is declined, through the Decline dialog and its email, with
        the items' reasons."""
        self.ensure_one()
        if self.line_ids and all(line.decision == "decline" for line in self.line_ids):
            self.line_ids._check_decisions()
            action = self.action_open_decline_wizard()
            action["context"]["default_reason"] = "\n".join(
                f"{line.product_id.display_name}: {line._get_decline_text()}"
                for line in self.line_ids
            )
            return action
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accept & Create"),
            "res_model": "sale.reorder.accept",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_open_decline_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decline Reorder Request"),
            "res_model": "sale.reorder.decline",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_email_contact(self):
        """The mail composer on the request, addressed to the customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_partner_ids": self.partner_id.ids,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "view_mode": "form",
            "res_id": self.opportunity_id.id,
            "context": {"active_test": False},
        }

    def action_view_sale_orders(self):
        return self._action_view_records(
            self.sale_order_ids, self.env._("Sales Orders")
        )

    def action_view_invoices(self):
        action = self._action_view_records(self.invoice_ids, self.env._("Invoices"))
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    def action_view_productions(self):
        productions = self._get_productions()
        if productions is None:
            raise UserError(
                self.env._("Manufacturing orders need the Manufacturing app.")
            )
        return self._action_view_records(
            productions.with_env(self.env), self.env._("Manufacturing Orders")
        )

    # === MAIL ===#

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """With ``reorder_notify_partner_ids`` in the context, only those partners
        are notified: the customer's decision emails do not go to the followers
        (the salesperson) too. It can only narrow the recipients."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        only = self.env.context.get("reorder_notify_partner_ids")
        if only is not None:
            recipients = [r for r in recipients if r["id"] in only]
        return recipients

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """Staff open the request from their emails with an "Open Request" button."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if self:
            user_group = next(group for group in groups if group[0] == "user")
            user_group[2].setdefault("button_access", {})["title"] = self.env._(
                "Open Request"
            )
        return groups

    # === TOOLING ===#

    @api.model
    def _check_create_values(self, vals):
        """A request made outside a submission (by staff, over RPC) starts Pending,
        with no decision, no opportunity and no token of a customer's form."""
        forged = {
            name
            for name, start in AUDIT_FIELDS.items()
            if start is not None and name in vals and (vals[name] or False) != start
        }
        if forged:
            raise UserError(
                self.env._(
                    "A new reorder request starts pending: %s cannot be set.",
                    ", ".join(sorted(self._fields[name].string for name in forged)),
                )
            )

    def _check_write_values(self, vals):
        """The customer's input and the decision are the request's audit trail: only
        the submission and the decision methods set them. The items can be changed
        while the request is pending."""
        audit = vals.keys() & AUDIT_FIELDS
        if audit:
            raise UserError(
                self.env._(
                    "%s cannot be changed: accept, decline or let the customer "
                    "withdraw the request instead.",
                    ", ".join(sorted(self._fields[name].string for name in audit)),
                )
            )
        if PENDING_FIELDS & vals.keys() and any(r.state != "pending" for r in self):
            raise UserError(
                self.env._("Only the items of a pending request can be changed.")
            )

    @api.model
    def _create_submitted(self, vals):
        """Create a request as the customer submitted it (its audit trail set)."""
        return self.with_context(sale_reorder_audit_trail=AUDIT_TRAIL_KEY).create(vals)

    def _write_audit_trail(self, vals):
        """Write the audit trail: the decision, and the opportunity made for the
        submission (the only way to, for the decision and follow-up methods)."""
        return self.with_context(sale_reorder_audit_trail=AUDIT_TRAIL_KEY).write(vals)

    def _get_decision_summary(self):
        """ "3 of 5 items accepted, 1 replaced, 1 declined" for an accepted request
        whose items staff decided otherwise than all accepted; "" else. Read from
        the stored counts: no item is fetched (the lists show it)."""
        self.ensure_one()
        # The counts are read for accepted requests only (a list of pending ones
        # fetches none).
        if self.state != "accepted":
            return ""
        accepted = self.accepted_item_count
        if accepted == self.line_count:
            return ""
        parts = [
            self.env._(
                "%(accepted)s of %(total)s items accepted",
                accepted=accepted,
                total=self.line_count,
            )
        ]
        if self.replaced_item_count:
            parts.append(self.env._("%s replaced", self.replaced_item_count))
        if self.declined_item_count:
            parts.append(self.env._("%s declined", self.declined_item_count))
        return ", ".join(parts)

    def _action_view_records(self, records, name):
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action
