from markupsafe import Markup
from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sale_reorder_portal_input import (
    FORBIDDEN_CHARACTERS_RE,
    ReorderAlreadySentError,
    ReorderInputError,
)

# pg_advisory_xact_lock(SUBMISSION_LOCK_KEY, customer id): one submission at a time per
# customer, so that two workers cannot both pass the rate limit.
SUBMISSION_LOCK_KEY = 74411
# Set by the customer at submission or by the decision methods, never written directly
# (over RPC either): the request's audit trail.
AUDIT_FIELDS = frozenset(
    {
        "name",
        "partner_id",
        "company_id",
        "customer_comment",
        "submission_date",
        "submission_token",
        "state",
        "decision_date",
        "decided_by_id",
        "decline_reason",
        "opportunity_id",
        "pricelist_id",
        "currency_id",
    }
)
# Staff may change these while the request is pending only.
PENDING_FIELDS = frozenset({"line_ids"})
# Only the methods of this file write the audit trail: a context key no RPC client can
# forge, being this very object.
DECISION_KEY = object()


class SaleReorderRequest(models.Model):
    _name = "sale.reorder.request"
    _description = "Reorder Request"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "sale.reorder.portal.input",
        "sale.reorder.document.mixin",
        "sale.reorder.follow.up.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

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
    opportunity_id = fields.Many2one(
        "crm.lead", readonly=True, copy=False, index="btree_not_null"
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
        internal = self.env.context.get("sale_reorder_decision") is DECISION_KEY
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
        if self.env.context.get("sale_reorder_decision") is not DECISION_KEY:
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

    @api.model
    def create_from_portal(self, lines, comment=None, submission_token=None):
        """RPC entry point: a reorder request for the calling user's own contact, in
        the current company (checked against the user's companies, as Odoo does for
        ``allowed_company_ids``, before switching to superuser)."""
        company = self.env.company
        partner = self.env.user.partner_id
        return (
            self.sudo()
            ._create_from_portal(
                partner,
                lines,
                comment,
                submission_token=submission_token,
                company=company,
            )
            .id
        )

    def withdraw_from_portal(self):
        """RPC entry point: the calling customer withdraws their pending request."""
        if len(self) != 1:
            raise UserError(self.env._("Withdraw one request at a time."))
        self.check_access("read")
        self.sudo()._withdraw_by_customer(self.env.user)
        return True

    def action_open_accept_wizard(self):
        self.ensure_one()
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

    # === BUSINESS METHODS ===#

    @api.model
    def _create_from_portal(
        self, partner, lines, comment=None, submission_token=None, company=None
    ):
        """Create a Pending request for ``partner``, its opportunity and notification.

        Everything but the checks is done as the company (superuser): the customer is
        neither the author of the messages nor the one who assigns the salesperson,
        the opportunity or the to-do, and only the notification template mails the
        salesperson (queued, not sent while the customer waits).

        :param partner: the customer contact (res.partner, or its id) asking
        :param lines: [{"product_id": int|str, "quantity": float|str}, ...] as posted
        :param comment: the customer's comment (plain text)
        :param submission_token: the token of the submitted form: posting the same
            form twice returns the request of the first post instead of a second one
        :param company: the company asked (default: the environment's)
        :raise ReorderInputError: (a ValidationError) naming every invalid input
        :return: the new sale.reorder.request (in the caller's environment)
        """
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner.ensure_one()
        company = company or self.env.company
        if not company.reorder_request_enabled:
            raise UserError(self.env._("Reorder requests are not available."))
        submission_token = self._check_submission_token(submission_token)
        # One submission at a time per customer: the rate limit and the token hold
        # across workers.
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                SUBMISSION_LOCK_KEY,
                partner.commercial_partner_id.id,
            )
        )
        if submission_token:
            previous = self.sudo().search(
                [
                    ("submission_token", "=", submission_token),
                    ("partner_id", "=", partner.id),
                ],
                limit=1,
            )
            if previous:
                return self.browse(previous.id)
        self._check_submission_rate(partner, company)
        reorderable = partner._get_reorderable_products(company)
        quantities, comment = self._check_portal_input(reorderable, lines, comment)

        Request = (
            self.with_user(SUPERUSER_ID)
            .with_company(company)
            .with_context(
                mail_create_nosubscribe=True,
                mail_create_nolog=True,
                mail_auto_subscribe_no_notify=True,
                mail_activity_quick_update=True,
                mail_notify_force_send=False,
            )
        )
        user = self._get_default_salesperson(partner, company)
        try:
            with self.env.cr.savepoint():
                request = Request.with_context(
                    sale_reorder_decision=DECISION_KEY
                ).create(
                    self._prepare_portal_request_values(
                        partner,
                        user,
                        comment,
                        submission_token,
                        quantities,
                        reorderable,
                        company,
                    )
                )
        except UniqueViolation as error:
            # The same form posted twice at the same moment: the other post made it.
            raise ReorderAlreadySentError(
                self.env._("This request was already sent.")
            ) from error
        request = request.with_env(Request.env)
        request.message_subscribe(partner_ids=partner.ids)
        request._log_customer_comment()
        request._create_opportunity()
        request._notify_salesperson()
        return self.browse(request.id)

    @api.model
    def _check_submission_rate(self, partner, company):
        """At most N new requests per customer (company) in M minutes, as the
        company's settings say: a customer or a script cannot flood the sales team."""
        limit = company.reorder_rate_limit_count
        minutes = company.reorder_rate_limit_minutes
        if limit <= 0 or minutes <= 0:
            return
        since = fields.Datetime.subtract(fields.Datetime.now(), minutes=minutes)
        count = self.sudo().search_count(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("submission_date", ">=", since),
            ],
            limit=limit,
        )
        if count >= limit:
            raise ReorderInputError(
                {
                    "rate": self.env._(
                        "%(count)s reorder requests were sent for %(customer)s in "
                        "the last %(minutes)s minutes: please wait a few minutes "
                        "before sending another one, or contact your salesperson.",
                        count=count,
                        customer=partner.commercial_partner_id.name,
                        minutes=minutes,
                    )
                }
            )

    @api.model
    def _prepare_portal_request_values(
        self, partner, user, comment, submission_token, quantities, reorderable, company
    ):
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "user_id": user.id,
            "team_id": self._get_default_team(partner, user, company).id,
            "customer_comment": comment,
            "submission_token": submission_token or False,
            "line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom_id": reorderable[product]["uom"].id,
                        "last_ordered_date": reorderable[product]["last_date"],
                        "last_ordered_qty": reorderable[product]["last_quantity"],
                        "last_price_unit": reorderable[product]["last_price"],
                        "last_currency_id": reorderable[product]["currency"].id,
                    }
                )
                for product, quantity in quantities.items()
            ],
        }

    @api.model
    def _get_default_salesperson(self, partner, company):
        user = partner.user_id or partner.commercial_partner_id.user_id
        if not user or company not in user.company_ids:
            user = company.reorder_backup_user_id
        return user

    @api.model
    def _get_default_team(self, partner, user, company):
        return (
            self.env["crm.team"]
            .sudo()
            .with_company(company)
            ._get_default_team_id(
                user_id=user.id, domain=[("company_id", "in", [False, company.id])]
            )
        )

    @api.model
    def _check_decision_access(self, vals_list):
        """The Accept and Decline wizards only for requests the user may decide
        (record rules included): a wizard made for another salesperson's request
        would show its customer and its access link."""
        self.browse(
            {vals["request_id"] for vals in vals_list if vals.get("request_id")}
        ).check_access("write")

    def _lock_pending(self):
        """Lock the rows and check they are still Pending: two users clicking at the
        same moment cannot both decide."""
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM sale_reorder_request WHERE id IN %s "
                    "FOR UPDATE NOWAIT",
                    tuple(self.ids),
                )
            )
        except LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "Another user is deciding on this request right now. Try again."
                )
            ) from error
        self.invalidate_recordset(["state"])
        for request in self:
            if request.state != "pending":
                raise UserError(
                    self.env._(
                        "Reorder request %(name)s is already %(state)s.",
                        name=request.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[request.state].lower(),
                    )
                )

    def _accept(self, document_type, journal=None):
        """Create the document from the request and mark it Accepted.

        :param document_type: quotation, sale_order, invoice, receipt or
            manufacturing_order
        :param journal: the payment journal of a sales receipt
        :return: the created records
        """
        self.ensure_one()
        self._lock_pending()
        creators = self._get_document_creators()
        if document_type not in creators:
            raise UserError(self.env._("This kind of document cannot be created here."))
        if document_type in ("invoice", "receipt") and not self._can_invoice():
            raise UserError(
                self.env._(
                    "Creating invoices and sales receipts needs invoicing rights: "
                    "create a quotation or a sales order instead, or ask an accountant."
                )
            )
        # The salesperson already follows the request: no "You have been assigned"
        # email for each document made from it.
        create = getattr(
            self.with_context(mail_auto_subscribe_no_notify=True),
            creators[document_type][1],
        )
        documents = create(journal=journal)
        documents = documents.with_env(self.env)
        self._write_decision(
            {
                "state": "accepted",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
            }
        )
        if self.opportunity_id:
            self.opportunity_id.sudo().action_set_won()
        self._log_origin_on(documents)
        self.message_post(
            body=self.env._(
                "Accepted: %s created.",
                Markup(", ").join(document._get_html_link() for document in documents),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._close_review_activity(self.env._("Accepted"))
        return documents

    def _decline(self, reason=None):
        self._lock_pending()
        reason = (reason or "").strip()
        if FORBIDDEN_CHARACTERS_RE.search(reason):
            raise UserError(
                self.env._("The reason contains invisible control characters.")
            )
        self._write_decision(
            {
                "state": "declined",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
                "decline_reason": reason or False,
            }
        )
        self._set_opportunity_lost("sale_reorder.crm_lost_reason_reorder_declined")
        self._close_review_activity(self.env._("Declined"))

    def _can_withdraw(self, user):
        """Whether ``user`` may withdraw the request: the contact who sent it, while
        it is pending. Colleagues of the same customer see it read-only."""
        self.ensure_one()
        return (
            self.state == "pending"
            and not user._is_public()
            and user.partner_id == self.partner_id
        )

    def _withdraw_by_customer(self, user):
        """The customer takes back a pending request (from the portal): Withdrawn,
        decided by the customer's own user, the opportunity lost ("Withdrawn by
        customer"), the to-do closed and the salesperson told by one email.

        :param user: the customer's user (the portal's records are superuser ones)
        """
        self.ensure_one()
        if not self._can_withdraw(user):
            raise AccessError(
                self.env._("Only the contact who sent a request can withdraw it.")
            )
        self._lock_pending()
        self._write_decision(
            {
                "state": "withdrawn",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": user.id,
            }
        )
        company_env = self.with_user(SUPERUSER_ID).with_context(
            mail_notify_force_send=False
        )
        company_env._set_opportunity_lost(
            "sale_reorder.crm_lost_reason_reorder_withdrawn"
        )
        company_env._close_review_activity(self.env._("Withdrawn by the customer"))
        if self.user_id:
            company_env.with_context(
                reorder_notify_partner_ids=self.user_id.partner_id.ids
            ).message_post(
                body=self.env._(
                    "%(customer)s withdrew reorder request %(name)s: nothing needs "
                    "to be done.",
                    customer=self.partner_id.name,
                    name=self.name,
                ),
                author_id=self.partner_id.id,
                partner_ids=self.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
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

    # === TOOLING ===#

    @api.model
    def _check_create_values(self, vals):
        """A request made outside a submission (by staff, over RPC) starts Pending,
        with no decision, no opportunity and no token of a customer's form."""
        forged = {
            name
            for name in (
                "decision_date",
                "decided_by_id",
                "decline_reason",
                "opportunity_id",
                "submission_token",
                "submission_date",
            )
            if vals.get(name)
        }
        if vals.get("state", "pending") != "pending":
            forged.add("state")
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
        audit = AUDIT_FIELDS & vals.keys()
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

    def _write_decision(self, vals):
        """Write the audit trail (the decision methods' only way to)."""
        return self.with_context(sale_reorder_decision=DECISION_KEY).write(vals)

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
