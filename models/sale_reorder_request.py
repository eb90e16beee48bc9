import math
import re

from markupsafe import Markup
from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_is_zero, float_round, plaintext2html

# Above this a quantity is a typing error, not an order.
MAX_QUANTITY = 100000
MAX_COMMENT_LENGTH = 4000
# A submission token is the hex uuid4 the form was given.
SUBMISSION_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# Characters PostgreSQL cannot store, or that no customer types in a comment.
FORBIDDEN_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
REVIEW_ACTIVITY = "mail.mail_activity_data_todo"


class SaleReorderRequest(models.Model):
    _name = "sale.reorder.request"
    _description = "Reorder Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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

    def _get_productions(self):
        """Manufacturing orders made from these requests, or None when Manufacturing
        is not installed (the addon does not depend on it). Counted as superuser: a
        salesperson without Manufacturing rights still sees the request."""
        if "mrp.production" not in self.env:
            return None
        return (
            self.env["mrp.production"]
            .sudo()
            .search(
                [
                    ("origin", "in", self.mapped("name")),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/reorders/{request.id}"

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

    # ------------------------------------------------------------------------------
    # Purchase history
    # ------------------------------------------------------------------------------

    @api.model
    def _get_eligible_move_types(self, company):
        move_types = []
        if company.reorder_from_invoices:
            move_types.append("out_invoice")
        if company.reorder_from_receipts:
            move_types.append("out_receipt")
        return move_types

    @api.model
    def _reorderable_lines_query(self, partner, company):
        """The query of the invoice lines that make products reorderable for the
        customer of ``partner`` (None when the settings allow no document)."""
        move_types = self._get_eligible_move_types(company)
        partner = partner.commercial_partner_id
        if not move_types or not partner:
            return None
        Line = self.env["account.move.line"].sudo().with_company(company)
        return Line._search(
            [
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("move_type", "in", move_types),
                ("partner_id", "=", partner.id),  # the commercial entity, indexed
                ("display_type", "=", "product"),
                ("quantity", ">", 0),
                ("product_id.available_for_reorder", "=", True),
                ("product_id.sale_ok", "=", True),
                ("product_id.active", "=", True),
                ("product_id.company_id", "in", [False, company.id]),
                # A sales receipt counts once it is paid, an invoice once it is posted.
                "|",
                ("move_type", "!=", "out_receipt"),
                ("move_id.payment_state", "in", ["paid", "in_payment"]),
            ],
        )

    @api.model
    def _has_reorderable_products(self, partner, company=None):
        """Whether the customer of ``partner`` has anything to reorder (cheap: the
        portal asks on every visit of /my)."""
        query = self._reorderable_lines_query(partner, company or self.env.company)
        if query is None:
            return False
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT EXISTS(%s)", query.subselect()))
        return self.env.cr.fetchone()[0]

    @api.model
    def _get_reorderable_products(self, partner, company=None):
        """The products the customer of ``partner`` may reorder, most recent first.

        A product qualifies when it is flagged available for reorder, active, sellable,
        of the company, and on a posted customer invoice (or paid sales receipt) of the
        partner's commercial entity, as the company's settings allow. One query,
        whatever the length of the history.

        :return: a dict {product.product: {"product", "last_date", "last_quantity",
            "last_price", "currency", "uom", "times_ordered"}}, most recent first
        """
        company = company or self.env.company
        query = self._reorderable_lines_query(partner, company)
        if query is None:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, last_date, quantity, price_unit, currency_id,
                       product_uom_id, times_ordered
                  FROM (
                    SELECT DISTINCT ON (l.product_id)
                           l.product_id, COALESCE(m.invoice_date, l.date) AS last_date,
                           l.quantity, l.price_unit, l.currency_id, l.product_uom_id,
                           COUNT(*) OVER (PARTITION BY l.product_id) AS times_ordered
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE l.id IN %s
                  ORDER BY l.product_id, COALESCE(m.invoice_date, l.date) DESC,
                           l.id DESC
                  ) last
              ORDER BY last_date DESC, product_id
                """,
                query.subselect(),
            )
        )
        rows = self.env.cr.fetchall()
        products = self.env["product.product"].browse([row[0] for row in rows])
        currencies = self.env["res.currency"].browse({row[4] for row in rows})
        uoms = self.env["uom.uom"].sudo().browse({row[5] for row in rows if row[5]})
        result = {}
        for product, row in zip(products, rows, strict=True):
            result[product] = {
                "product": product,
                "last_date": row[1],
                "last_quantity": row[2],
                "last_price": row[3],
                "currency": currencies.browse(row[4]),
                "uom": uoms.browse(row[5]) if row[5] else product.uom_id,
                "times_ordered": row[6],
            }
        return result

    # ------------------------------------------------------------------------------
    # Submission (the one entry point for a new request)
    # ------------------------------------------------------------------------------

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
        reorderable = self._get_reorderable_products(partner, company)
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
    def _estimate_portal_prices(self, partner, company, reorderable, quantities):
        """Step 2's estimate before submitting: {"lines": {product id: (unit price,
        subtotal)}, "total": float, "currency": res.currency}. A quantity that is
        not (yet) a valid number counts as nothing."""
        partner = partner.with_company(company)
        pricelist = partner.property_product_pricelist
        currency = pricelist.currency_id or company.currency_id
        Line = self.env["sale.reorder.request.line"]
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        lines = {}
        for product, history in reorderable.items():
            if product.id not in quantities:
                continue
            error, quantity = self._check_quantity(
                quantities[product.id], history["uom"], unit_category
            )
            unit_price = Line._get_estimated_unit_price(
                product, quantity or 1.0, history["uom"], pricelist, currency, company
            )
            lines[product.id] = (unit_price, 0.0 if error else unit_price * quantity)
        return {
            "lines": lines,
            "total": sum(subtotal for _unit, subtotal in lines.values()),
            "currency": currency,
        }

    @api.model
    def _check_submission_token(self, token):
        """The token of the customer's form, or None. Only the hex uuid the form
        was given is a token: anything else is refused with a message."""
        if token in (None, False, ""):
            return None
        if not isinstance(token, str) or not SUBMISSION_TOKEN_RE.fullmatch(token):
            raise ReorderInputError(
                {
                    "submission_token": self.env._(
                        "This form is out of date: please submit it again."
                    )
                }
            )
        return token

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
    def _check_portal_input(self, reorderable, lines, comment):
        """Check what a customer posted against their own purchase history.

        :return: ({product.product: quantity}, cleaned comment)
        :raise ReorderInputError: with a message per invalid input
        """
        errors = {}
        by_id = {product.id: product for product in reorderable}
        quantities = {}
        if lines is None or lines is False:
            lines = []
        if not isinstance(lines, (list, tuple)) or not all(
            isinstance(line, dict) for line in lines
        ):
            raise ReorderInputError(
                {
                    "lines": self.env._(
                        "Send the items as a list of {product_id, quantity}."
                    )
                }
            )
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        for line in lines:
            product_key = str(line.get("product_id", "")).strip()[:20]
            product = (
                by_id.get(int(product_key))
                if product_key.isascii() and product_key.isdecimal()
                else None
            )
            if not product:
                errors[f"product_{product_key}"] = self.env._(
                    "This item cannot be reordered: it is not among your previous "
                    "purchases available for reorder."
                )
                continue
            message, quantity = self._check_quantity(
                line.get("quantity"), reorderable[product]["uom"], unit_category
            )
            if message:
                errors[f"quantity_{product.id}"] = message
                continue
            quantities[product] = quantities.get(product, 0.0) + quantity
        for product, quantity in quantities.items():
            if quantity > MAX_QUANTITY:
                errors[f"quantity_{product.id}"] = self._max_quantity_message()
        if not quantities and not errors:
            errors["lines"] = self.env._("Choose at least one item to reorder.")
        if comment in (None, False):
            comment = ""
        if not isinstance(comment, str):
            errors["comment"] = self.env._("The comment must be text.")
            comment = ""
        comment = comment.strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            errors["comment"] = self.env._(
                "The comment is too long (%(length)s characters, at most %(max)s).",
                length=len(comment),
                max=MAX_COMMENT_LENGTH,
            )
        elif FORBIDDEN_CHARACTERS_RE.search(comment):
            errors["comment"] = self.env._(
                "The comment contains invisible control characters: remove them "
                "(or type it again) and submit."
            )
        if errors:
            raise ReorderInputError(errors)
        return quantities, comment

    @api.model
    def _normalize_number(self, text):
        """A number as typed in the customer's language, in Python's notation:
        "1,000" is a thousand in English and "1 000,5" a thousand and a half in
        French. A comma that is no thousands separator there is a decimal point."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        thousands, decimal = lang.thousands_sep or "", lang.decimal_point or "."
        if thousands and re.fullmatch(
            rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?",
            text,
        ):
            text = text.replace(thousands, "")
        return text.replace(decimal, ".").replace(",", ".")

    @api.model
    def _max_quantity_message(self):
        return self.env._(
            "The quantity cannot be more than %(max)s; contact us for larger orders.",
            max=MAX_QUANTITY,
        )

    @api.model
    def _check_quantity(self, value, uom, unit_category=None):
        """:return: (error message or None, quantity as a float)"""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return self.env._("Enter the quantity as a number."), 0.0
        text = self._normalize_number(str(value).strip())
        try:
            quantity = float(text) if text.isascii() and len(text) <= 32 else None
        except ValueError:
            quantity = None
        if quantity is None or not math.isfinite(quantity):
            return self.env._("Enter the quantity as a number."), 0.0
        if quantity > MAX_QUANTITY:
            return self._max_quantity_message(), 0.0
        if quantity <= 0 or float_is_zero(quantity, precision_rounding=uom.rounding):
            return self.env._("The quantity must be more than zero."), 0.0
        unit_category = unit_category or self.env.ref("uom.product_uom_categ_unit")
        if uom.category_id == unit_category and quantity != int(quantity):
            return self.env._(
                "%(uom)s are counted in whole numbers.", uom=uom.name
            ), 0.0
        if float_round(quantity, precision_rounding=uom.rounding) != quantity:
            return self.env._(
                "The quantity is more precise than %(uom)s allow.", uom=uom.name
            ), 0.0
        return None, quantity

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

    def _create_opportunity(self):
        tag = self.env.ref("sale_reorder.crm_tag_reorder", raise_if_not_found=False)
        for request in self:
            # Created without mailing its salesperson (they get the request's one
            # notification) and without the customer as its creator.
            opportunity = (
                self.env["crm.lead"]
                .with_user(SUPERUSER_ID)
                .with_company(request.company_id)
                .with_context(
                    mail_create_nosubscribe=True,
                    mail_auto_subscribe_no_notify=True,
                    mail_notify_force_send=False,
                )
                .create(request._prepare_opportunity_values(tag))
            )
            request._write_decision({"opportunity_id": opportunity.id})

    def _prepare_opportunity_values(self, tag):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(reference)s: reorder from %(customer)s",
                reference=self.name,
                customer=self.partner_id.display_name,
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "expected_revenue": self.currency_id._convert(
                self.amount_estimated,
                self.company_id.currency_id,
                self.company_id,
                fields.Date.context_today(self),
            ),
            "tag_ids": [Command.set(tag.ids)],
            "description": self._get_lines_summary(),
        }

    def _get_lines_summary(self):
        """The requested items as HTML (escaped), for the opportunity."""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s × %s %s</li>")
            % (
                line.product_id.display_name,
                line._format_quantity(),
                line.product_uom_id.name,
            )
            for line in self.line_ids
        )
        comment = (
            Markup("<p>%s</p>") % plaintext2html(self.customer_comment)
            if self.customer_comment
            else Markup("")
        )
        return Markup("<p>%s</p><ul>%s</ul>%s") % (
            self.env._("Reorder request %s", self.name),
            items,
            comment,
        )

    def _log_customer_comment(self):
        """The customer's comment in the chatter, in full, under their name: logged,
        not sent (the notification already quotes it)."""
        for request in self.filtered("customer_comment"):
            request._message_log(
                body=plaintext2html(request.customer_comment),
                author_id=request.partner_id.id,
                message_type="comment",
            )

    def _notify_salesperson(self):
        """One email to the salesperson (the settings' template, sent by the company)
        and one "Review reorder request" to-do, assigned without a second email."""
        for request in self:
            salesperson = request.user_id
            template = request.company_id._get_reorder_template("notification")
            if template and salesperson:
                # A note: only the salesperson is notified, not the followers.
                request.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_note",
                    partner_ids=salesperson.partner_id.ids,
                    email_layout_xmlid="mail.mail_notification_light",
                )
            # Without salesperson nor back-up assignee: the administrator, never
            # the (portal) user who submitted.
            assignee = salesperson or self.env.ref(
                "base.user_admin", raise_if_not_found=False
            )
            if assignee:
                request.with_context(mail_activity_quick_update=True).activity_schedule(
                    REVIEW_ACTIVITY,
                    summary=self.env._("Review reorder request"),
                    user_id=assignee.id,
                )

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """With ``reorder_notify_partner_ids`` in the context, only those partners
        are notified: the customer's decision emails do not go to the followers
        (the salesperson) too. It can only narrow the recipients."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        only = self.env.context.get("reorder_notify_partner_ids")
        if only is not None:
            recipients = [r for r in recipients if r["id"] in only]
        return recipients

    def _move_review_activity(self, user_id):
        """The review to-do follows the request to its new salesperson."""
        for request in self.filtered(lambda r: r.state == "pending"):
            if user_id and request.user_id.id != user_id:
                request.sudo().activity_reschedule(
                    [REVIEW_ACTIVITY], new_user_id=user_id
                )

    def _close_review_activity(self, feedback):
        """Mark the review to-do done once the request is decided."""
        self.sudo().with_context(mail_activity_quick_update=True).activity_feedback(
            [REVIEW_ACTIVITY], feedback=feedback
        )

    # ------------------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------------------

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
        if document_type not in dict(self._selection_document_type()) or not hasattr(
            self, f"_create_{document_type}"
        ):
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
        creator = getattr(
            self.with_context(mail_auto_subscribe_no_notify=True),
            f"_create_{document_type}",
        )
        documents = creator(journal) if document_type == "receipt" else creator()
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

    def _send_decision_email(self, template=None, **message_values):
        """The Accepted or Declined email: to the customer only (not to the
        followers), in the light layout, and shown in the portal's chatter.

        :param template: a mail.template of the request, or None with ``body``,
            ``subject`` and ``partner_ids`` in ``message_values`` (Decline's composer)
        """
        self.ensure_one()
        recipients = message_values.get("partner_ids") or self.partner_id.ids
        thread = self.with_context(
            reorder_notify_partner_ids=recipients, mail_notify_force_send=False
        )
        values = {
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "email_layout_xmlid": "mail.mail_notification_light",
            **message_values,
        }
        if template:
            return thread.message_post_with_source(template, **values)
        return thread.message_post(**values)

    def _log_origin_on(self, documents):
        """Each document made from the request links back to it in its chatter."""
        for document in documents:
            document.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": document, "origin": self},
                subtype_xmlid="mail.mt_note",
            )

    def _get_customer_documents(self):
        """The documents made from the request that its own customer can open (in
        the portal and from the Accepted email): [{"label", "name", "url",
        "record"}]. Only documents of the request's customer are listed."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        orders = self.sale_order_ids.filtered(
            lambda o: (
                o.state != "cancel" and o.partner_id.commercial_partner_id == customer
            )
        )
        moves = self.invoice_ids.filtered(
            lambda m: (
                m.state == "posted" and m.partner_id.commercial_partner_id == customer
            )
        )
        return [
            {
                "label": document.type_name,
                "name": document.name,
                "url": document.get_portal_url(),
                "record": document,
            }
            for document in [*orders, *moves]
        ]

    def _set_opportunity_lost(self, reason_xmlid):
        lost_reason = self.env.ref(reason_xmlid, raise_if_not_found=False)
        self.opportunity_id.sudo().action_set_lost(
            lost_reason_id=lost_reason.id if lost_reason else False
        )

    def _can_withdraw(self, user):
        """Whether ``user`` may withdraw the request: the contact who sent it, while
        it is pending. Colleagues of the same customer see it read-only."""
        self.ensure_one()
        return (
            self.state == "pending"
            and not user._is_public()
            and user.partner_id == self.partner_id
        )

    def withdraw_from_portal(self):
        """RPC entry point: the calling customer withdraws their pending request."""
        if len(self) != 1:
            raise UserError(self.env._("Withdraw one request at a time."))
        self.check_access("read")
        self.sudo()._withdraw_by_customer(self.env.user)
        return True

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

    @api.model
    def _selection_document_type(self):
        selection = [
            ("quotation", self.env._("Quotation")),
            ("sale_order", self.env._("Sales Order")),
            ("invoice", self.env._("Invoice")),
            ("receipt", self.env._("Sales Receipt")),
        ]
        if "mrp.production" in self.env:
            selection.append(("manufacturing_order", self.env._("Manufacturing Order")))
        return selection

    def _can_invoice(self):
        return self.env["account.move"].has_access("create")

    def _get_available_document_types(self):
        """[(kind, label)] of the documents this user can make from the request:
        invoices and receipts need invoicing rights, a manufacturing order a bill
        of materials for at least one requested product."""
        self.ensure_one()
        kinds = self._selection_document_type()
        if not self._can_invoice():
            kinds = [kind for kind in kinds if kind[0] not in ("invoice", "receipt")]
        if not self._get_lines_with_bom():
            kinds = [kind for kind in kinds if kind[0] != "manufacturing_order"]
        return kinds

    def _get_lines_with_bom(self):
        """{line: mrp.bom} of the requested items that can be manufactured (empty
        without the Manufacturing app)."""
        self.ensure_one()
        if "mrp.bom" not in self.env:
            return {}
        boms = (
            self.env["mrp.bom"]
            .sudo()
            ._bom_find(
                self.line_ids.product_id,
                company_id=self.company_id.id,
                bom_type="normal",
            )
        )
        return {
            line: boms[line.product_id]
            for line in self.line_ids
            if boms.get(line.product_id)
        }

    def _prepare_sale_order_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "origin": self.name,
            "opportunity_id": self.opportunity_id.id,
            "reorder_request_id": self.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_uom_qty,
                        "product_uom": line.product_uom_id.id,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _create_quotation(self):
        """A quotation, marked sent: the customer finds it among their quotations."""
        order = self.env["sale.order"].create(self._prepare_sale_order_values())
        order.action_quotation_sent()
        return order

    def _create_sale_order(self):
        order = self.env["sale.order"].create(self._prepare_sale_order_values())
        order.message_subscribe(partner_ids=order.partner_id.ids)
        order.action_confirm()
        return order

    def _prepare_move_values(self, move_type):
        self.ensure_one()
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "invoice_origin": self.name,
            "reorder_request_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.product_uom_qty,
                        "product_uom_id": line.product_uom_id.id,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _create_invoice(self):
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_move_values("out_invoice"))
        )
        invoice.message_subscribe(partner_ids=invoice.partner_id.ids)
        # Posted: the customer sees it in the portal (drafts are not shown there).
        invoice.action_post()
        return invoice

    def _create_receipt(self, journal):
        if not journal or journal.type not in ("bank", "cash"):
            raise UserError(
                self.env._("Choose the payment journal of the sales receipt.")
            )
        receipt = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_move_values("out_receipt"))
        )
        receipt.message_subscribe(partner_ids=receipt.partner_id.ids)
        receipt.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=receipt.ids
        ).create({"journal_id": journal.id})._create_payments()
        return receipt

    def _create_manufacturing_order(self):
        if "mrp.production" not in self.env:
            raise UserError(
                self.env._("Manufacturing orders need the Manufacturing app.")
            )
        values = [
            {
                "product_id": line.product_id.id,
                "product_qty": line.product_uom_qty,
                "product_uom_id": line.product_uom_id.id,
                "bom_id": bom.id,
                "origin": self.name,
                "company_id": self.company_id.id,
            }
            for line, bom in self._get_lines_with_bom().items()
        ]
        if not values:
            raise UserError(
                self.env._(
                    "None of the requested products has a bill of materials to make it."
                )
            )
        return self.env["mrp.production"].create(values)

    # ------------------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------------------

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


class ReorderAlreadySentError(UserError):
    """The same form was posted twice at the same moment: the other post made it."""


class ReorderInputError(ValidationError):
    """Invalid input of a customer's request. ``errors`` maps each faulty input
    (``product_<id>``, ``quantity_<id>``, ``lines``, ``comment``) to its message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors.values()))
