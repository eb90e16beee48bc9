import math

from markupsafe import Markup
from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_is_zero, float_round, plaintext2html

# Above this a quantity is a typing error, not an order.
MAX_QUANTITY = 100000
MAX_COMMENT_LENGTH = 4000


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
        [("pending", "Pending"), ("accepted", "Accepted"), ("declined", "Declined")],
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
        string="Work Orders", compute="_compute_document_counts"
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
            "submission_token_uniq",
            "unique(submission_token)",
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
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sale.reorder.request") or self.env._("New")
        return super().create(vals_list)

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
        """RPC entry point: a reorder request for the calling user's own contact."""
        partner = self.env.user.partner_id
        return (
            self.sudo()
            ._create_from_portal(
                partner, lines, comment, submission_token=submission_token
            )
            .id
        )

    @api.model
    def _create_from_portal(self, partner, lines, comment=None, submission_token=None):
        """Create a Pending request for ``partner``, its opportunity and notification.

        :param partner: the customer contact (res.partner, or its id) asking
        :param lines: [{"product_id": int|str, "quantity": float|str}, ...] as posted
        :param comment: the customer's comment (plain text)
        :param submission_token: a token of the submitted form: posting the same form
            twice returns the request of the first post instead of a second one
        :raise ReorderInputError: (a ValidationError) naming every invalid input
        :return: the new sale.reorder.request (in the caller's environment)
        """
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner.ensure_one()
        company = self.env.company
        if not company.reorder_request_enabled:
            raise UserError(self.env._("Reorder requests are not available."))
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
        reorderable = self._get_reorderable_products(partner, company)
        quantities, comment = self._check_portal_input(reorderable, lines, comment)

        Request = self.sudo().with_company(company)
        user = self._get_default_salesperson(partner, company)
        try:
            with self.env.cr.savepoint():
                request = Request.create(
                    self._prepare_portal_request_values(
                        partner,
                        user,
                        comment,
                        submission_token,
                        quantities,
                        reorderable,
                    )
                )
        except UniqueViolation as error:
            # The same form posted twice at the same moment: the other post made it.
            raise ReorderAlreadySentError(
                self.env._("This request was already sent.")
            ) from error
        request.message_subscribe(partner_ids=partner.ids)
        if comment:
            request.message_post(
                body=plaintext2html(comment),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        request._create_opportunity()
        request._notify_salesperson()
        return self.browse(request.id)

    @api.model
    def _prepare_portal_request_values(
        self, partner, user, comment, submission_token, quantities, reorderable
    ):
        company = self.env.company
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
        for line in lines or []:
            if not isinstance(line, dict):
                raise ReorderInputError(
                    {
                        "lines": self.env._(
                            "Each item must give a product and a quantity."
                        )
                    }
                )
            product_key = str(line.get("product_id", "")).strip()
            product = by_id.get(int(product_key)) if product_key.isdigit() else None
            if not product:
                errors[f"product_{product_key}"] = self.env._(
                    "This item cannot be reordered: it is not among your previous "
                    "purchases available for reorder."
                )
                continue
            message, quantity = self._check_quantity(
                line.get("quantity"), reorderable[product]["uom"]
            )
            if message:
                errors[f"quantity_{product.id}"] = message
                continue
            quantities[product] = quantities.get(product, 0.0) + quantity
        if not quantities and not errors:
            errors["lines"] = self.env._("Choose at least one item to reorder.")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            errors["comment"] = self.env._(
                "The comment is too long (%(length)s characters, at most %(max)s).",
                length=len(comment),
                max=MAX_COMMENT_LENGTH,
            )
        if errors:
            raise ReorderInputError(errors)
        return quantities, comment

    @api.model
    def _check_quantity(self, value, uom):
        """:return: (error message or None, quantity as a float)"""
        try:
            quantity = float(str(value).strip().replace(",", "."))
        except ValueError:
            return self.env._("Enter the quantity as a number."), 0.0
        if not math.isfinite(quantity):
            return self.env._("Enter the quantity as a number."), 0.0
        if quantity <= 0 or float_is_zero(quantity, precision_rounding=uom.rounding):
            return self.env._("The quantity must be more than zero."), 0.0
        if quantity > MAX_QUANTITY:
            return self.env._(
                "The quantity cannot be more than %(max)s; contact us for larger "
                "orders.",
                max=MAX_QUANTITY,
            ), 0.0
        counted = uom.category_id == self.env.ref("uom.product_uom_categ_unit")
        if counted and quantity != int(quantity):
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
            request.opportunity_id = (
                self.env["crm.lead"]
                .sudo()
                .with_company(request.company_id)
                .create(request._prepare_opportunity_values(tag))
            )

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

    def _notify_salesperson(self):
        for request in self:
            salesperson = request.user_id
            template = request.company_id._get_reorder_template("notification")
            if template and salesperson:
                request.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_note",
                    partner_ids=salesperson.partner_id.ids,
                )
            # Without salesperson nor back-up assignee: the administrator, never
            # the (portal) user who submitted.
            assignee = salesperson or self.env.ref(
                "base.user_admin", raise_if_not_found=False
            )
            if assignee:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review reorder request"),
                    user_id=assignee.id,
                )

    # ------------------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------------------

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

        :param document_type: quotation, sale_order, invoice, receipt or work_order
        :param journal: the payment journal of a sales receipt
        :return: the created records
        """
        self.ensure_one()
        self._lock_pending()
        creator = getattr(self, f"_create_{document_type}", None)
        if document_type not in dict(self._selection_document_type()) or not creator:
            raise UserError(self.env._("This kind of document cannot be created here."))
        if document_type in ("invoice", "receipt") and not self.env[
            "account.move"
        ].has_access("create"):
            raise UserError(
                self.env._(
                    "Creating invoices and sales receipts needs invoicing rights: "
                    "create a quotation or a sales order instead, or ask an accountant."
                )
            )
        documents = creator(journal) if document_type == "receipt" else creator()
        self.write(
            {
                "state": "accepted",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
            }
        )
        if self.opportunity_id:
            self.opportunity_id.sudo().action_set_won()
        self.message_post(
            body=self.env._(
                "Accepted: %s created.",
                Markup(", ").join(document._get_html_link() for document in documents),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return documents

    def _decline(self, reason=None):
        self._lock_pending()
        self.write(
            {
                "state": "declined",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
                "decline_reason": reason or False,
            }
        )
        lost_reason = self.env.ref(
            "sale_reorder.crm_lost_reason_reorder_declined", raise_if_not_found=False
        )
        self.opportunity_id.sudo().action_set_lost(
            lost_reason_id=lost_reason.id if lost_reason else False
        )

    def _withdraw_by_customer(self):
        """The customer takes back a pending request (from the portal)."""
        self._decline(self.env._("Withdrawn by customer"))

    @api.model
    def _selection_document_type(self):
        selection = [
            ("quotation", self.env._("Quotation")),
            ("sale_order", self.env._("Sales Order")),
            ("invoice", self.env._("Invoice")),
            ("receipt", self.env._("Sales Receipt")),
        ]
        if "mrp.production" in self.env:
            selection.append(("work_order", self.env._("Work Order")))
        return selection

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

    def _create_work_order(self):
        if "mrp.production" not in self.env:
            raise UserError(self.env._("Work orders need the Manufacturing app."))
        Bom = self.env["mrp.bom"]
        values = []
        for line in self.line_ids:
            bom = Bom._bom_find(
                line.product_id, company_id=self.company_id.id, bom_type="normal"
            ).get(line.product_id)
            if bom:
                values.append(
                    {
                        "product_id": line.product_id.id,
                        "product_qty": line.product_uom_qty,
                        "product_uom_id": line.product_uom_id.id,
                        "bom_id": bom.id,
                        "origin": self.name,
                        "company_id": self.company_id.id,
                    }
                )
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
            raise UserError(self.env._("Work orders need the Manufacturing app."))
        return self._action_view_records(
            productions.with_env(self.env), self.env._("Work Orders")
        )


class ReorderAlreadySentError(UserError):
    """The same form was posted twice at the same moment: the other post made it."""


class ReorderInputError(ValidationError):
    """Invalid input of a customer's request. ``errors`` maps each faulty input
    (``product_<id>``, ``quantity_<id>``, ``lines``, ``comment``) to its message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors.values()))
