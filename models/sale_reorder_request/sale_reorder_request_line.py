from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...tools import FORBIDDEN_CHARACTERS_RE, format_quantity
from .sale_reorder_request import AUDIT_TRAIL_KEY

# Why staff leave an item out: the customer reads it on the request's page and in the
# Accepted email, with the note that follows.
DECLINE_REASONS = [
    ("out_of_stock", "Out of stock"),
    ("discontinued", "Discontinued"),
    ("not_sold", "No longer sold to you"),
    ("other", "Other"),
]


class SaleReorderRequestLine(models.Model):
    _name = "sale.reorder.request.line"
    _description = "Reorder Request Line"
    _order = "request_id, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        "sale.reorder.request",
        string="Reorder Request",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    product_uom_qty = fields.Float(
        string="Quantity", required=True, default=1.0, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    last_ordered_date = fields.Date(readonly=True)
    last_ordered_qty = fields.Float(
        string="Last Quantity", readonly=True, digits="Product Unit of Measure"
    )
    last_price_unit = fields.Monetary(
        string="Last Price", readonly=True, currency_field="last_currency_id"
    )
    last_currency_id = fields.Many2one("res.currency", readonly=True)
    price_unit_estimated = fields.Monetary(
        string="Estimated Unit Price",
        compute="_compute_price_estimated",
        store=True,
        currency_field="currency_id",
    )
    price_subtotal_estimated = fields.Monetary(
        string="Estimated Subtotal",
        compute="_compute_price_estimated",
        store=True,
        currency_field="currency_id",
    )
    decision = fields.Selection(
        [("accept", "Accept"), ("decline", "Decline"), ("replace", "Replace")],
        groups="sales_team.group_sale_salesman",
        required=True,
        default="accept",
        copy=False,
        help="What Accept & Create does with the item: makes it, leaves it out "
        "with a reason the customer reads, or makes a replacement instead.",
    )
    decline_reason = fields.Selection(
        DECLINE_REASONS,
        groups="sales_team.group_sale_salesman",
        compute="_compute_decline_reason",
        store=True,
        readonly=False,
        copy=False,
    )
    decision_note = fields.Char(
        string="Note",
        groups="sales_team.group_sale_salesman",
        compute="_compute_decision_note",
        store=True,
        readonly=False,
        copy=False,
        help="Why, for a declined or replaced item: shown to the customer after the "
        "reason or the replacement.",
    )
    replacement_product_id = fields.Many2one(
        "product.product",
        groups="sales_team.group_sale_salesman",
        string="Replacement",
        compute="_compute_replacement_product_id",
        store=True,
        readonly=False,
        copy=False,
        check_company=True,
        domain="[('sale_ok', '=', True), ('id', '!=', product_id)]",
    )
    replacement_uom_category_id = fields.Many2one(
        related="replacement_product_id.uom_id.category_id",
        string="Replacement Unit Category",
    )
    replacement_qty = fields.Float(
        groups="sales_team.group_sale_salesman",
        string="Replacement Quantity",
        compute="_compute_replacement_qty",
        store=True,
        readonly=False,
        copy=False,
        digits="Product Unit of Measure",
    )
    replacement_uom_id = fields.Many2one(
        "uom.uom",
        groups="sales_team.group_sale_salesman",
        string="Replacement Unit",
        compute="_compute_replacement_uom_id",
        store=True,
        readonly=False,
        copy=False,
        domain="[('category_id', '=', replacement_uom_category_id)]",
    )
    # The request's status, for the items' analysis (decided requests only).
    request_state = fields.Selection(
        related="request_id.state", string="Request Status", store=True
    )
    item_acceptance_rate = fields.Float(
        string="Item Acceptance Rate (%)",
        groups="sales_team.group_sale_salesman",
        compute="_compute_item_acceptance_rate",
        store=True,
        aggregator="avg",
        help="100 for an item accepted or replaced, 0 for one declined: averaged "
        "over the items of accepted and declined requests, the share of items made.",
    )
    left_out = fields.Boolean(
        readonly=True,
        copy=False,
        help="Not in the documents made when the request was accepted: a "
        "manufacturing order makes only the items that have a bill of materials.",
    )
    show_stock = fields.Boolean(compute="_compute_stock")
    qty_available = fields.Float(
        string="On Hand", compute="_compute_stock", digits="Product Unit of Measure"
    )
    virtual_available = fields.Float(
        string="Forecast", compute="_compute_stock", digits="Product Unit of Measure"
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(product_uom_qty > 0)",
            "The quantity of a requested item must be more than zero.",
        ),
        (
            "replacement_quantity_not_negative",
            "CHECK(replacement_qty >= 0)",
            "The quantity of a replacement cannot be negative.",
        ),
    ]

    # === COMPUTE METHODS ===#

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or (
                line.product_uom_id.category_id != line.product_id.uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id

    @api.depends(
        "product_id", "product_uom_qty", "product_uom_id", "request_id.pricelist_id"
    )
    def _compute_price_estimated(self):
        without_product = self.filtered(lambda line: not line.product_id)
        without_product.price_unit_estimated = 0.0
        without_product.price_subtotal_estimated = 0.0
        for request in (self - without_product).request_id:
            lines = (self - without_product).filtered(
                lambda line, request=request: line.request_id == request
            )
            prices = self._get_estimated_unit_prices(
                [
                    (line.product_id, line.product_uom_qty, line.product_uom_id)
                    for line in lines
                ],
                request.pricelist_id,
                request.currency_id,
                request.company_id,
            )
            for line, price in zip(lines, prices, strict=True):
                line.price_unit_estimated = price
                line.price_subtotal_estimated = price * line.product_uom_qty

    @api.model
    def _get_estimated_unit_prices(self, items, pricelist, currency, company):
        """Today's prices of ``items``, [(product, quantity, uom)], per their uom for
        the customer's pricelist (or the sales price without one), in ``currency``:
        what the portal shows before submitting and the request keeps. The
        pricelist's rules are read once for all the items, then each item takes the
        first rule that applies to its quantity, as Odoo's own _compute_price_rule
        does for one quantity."""
        # Read together and on their own: the prices of these products only, not of
        # every product the callers' records were fetched with.
        products = (
            self.env["product.product"]
            .with_company(company)
            .browse([product.id for product, _quantity, _uom in items])
        )
        if not pricelist:
            today = fields.Date.context_today(self)
            return [
                company.currency_id._convert(
                    product.uom_id._compute_price(product.lst_price, uom),
                    currency or company.currency_id,
                    company,
                    today,
                )
                for product, (_product, _quantity, uom) in zip(
                    products, items, strict=True
                )
            ]
        date = fields.Datetime.now()
        rules = pricelist._get_applicable_rules(products, date)
        no_rule = self.env["product.pricelist.item"]
        prices = []
        for product, (_product, quantity, uom) in zip(products, items, strict=True):
            quantity = quantity or 1.0
            in_product_uom = uom._compute_quantity(
                quantity, product.uom_id, raise_if_failure=False
            )
            rule = next(
                (
                    rule
                    for rule in rules
                    if rule._is_applicable_for(product, in_product_uom)
                ),
                no_rule,
            )
            prices.append(
                rule._compute_price(
                    product, quantity, uom, date=date, currency=currency
                )
            )
        return prices

    @api.depends("decision")
    def _compute_decline_reason(self):
        for line in self.filtered(lambda line: line.decision != "decline"):
            line.decline_reason = False

    @api.depends("decision")
    def _compute_decision_note(self):
        for line in self.filtered(lambda line: line.decision == "accept"):
            line.decision_note = False

    @api.depends("decision")
    def _compute_replacement_product_id(self):
        for line in self.filtered(lambda line: line.decision != "replace"):
            line.replacement_product_id = False

    @api.depends("replacement_product_id")
    def _compute_replacement_qty(self):
        for line in self:
            if not line.replacement_product_id:
                line.replacement_qty = 0.0
            elif not line.replacement_qty:
                line.replacement_qty = line.product_uom_qty

    @api.depends("replacement_product_id")
    def _compute_replacement_uom_id(self):
        for line in self:
            category = line.replacement_product_id.uom_id.category_id
            if line.replacement_uom_id.category_id != category:
                line.replacement_uom_id = line.replacement_product_id.uom_id

    @api.depends("decision")
    def _compute_item_acceptance_rate(self):
        for line in self:
            line.item_acceptance_rate = 0.0 if line.decision == "decline" else 100.0

    @api.depends("product_id")
    def _compute_stock(self):
        """On-hand and forecast quantities of stored products, when Inventory is
        installed (the addon does not depend on it)."""
        has_stock = "is_storable" in self.env["product.product"]._fields
        for line in self:
            product = line.product_id
            line.show_stock = has_stock and product.is_storable
            line.qty_available = product.qty_available if line.show_stock else 0.0
            line.virtual_available = (
                product.virtual_available if line.show_stock else 0.0
            )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The item acceptance rate averages the items of decided requests only:
        a pending or withdrawn request's items were never decided by staff."""
        if aggregate_spec == "item_acceptance_rate:avg":
            state = self._field_to_sql(self._table, "request_state", query)
            decision = self._field_to_sql(self._table, "decision", query)
            return SQL(
                "AVG(CASE WHEN %(state)s NOT IN ('accepted', 'declined') THEN NULL "
                "WHEN %(decision)s = 'decline' THEN 0.0 ELSE 100.0 END)",
                state=state,
                decision=decision,
            )
        return super()._read_group_select(aggregate_spec, query)

    # === BUSINESS METHODS ===#

    def _get_item_to_make(self):
        """(product, quantity, unit) that Accept & Create makes for this item: the
        item itself, its replacement, or None when it is declined."""
        self.ensure_one()
        if self.decision == "decline":
            return None
        if self.decision == "replace":
            return (
                self.replacement_product_id,
                self.replacement_qty,
                self.replacement_uom_id,
            )
        return (self.product_id, self.product_uom_qty, self.product_uom_id)

    def _get_names_to_make(self):
        """The names of what Accept & Create makes of these items (a replaced
        item's replacement): the items a manufacturing order leaves out."""
        return [
            item[0].display_name for line in self if (item := line._get_item_to_make())
        ]

    def _check_decisions(self):
        """Every item's decision complete before Accept & Create: a declined item
        says why, a replaced one what replaces it (staff may save the form half
        way; the decision is checked when it is made)."""
        problems = []
        for line in self:
            name = line.product_id.display_name
            if line.decision == "decline" and not line.decline_reason:
                problems.append(self.env._("%s: choose a decline reason.", name))
            elif (
                line.decision == "decline"
                and line.decline_reason == "other"
                and not (line.decision_note or "").strip()
            ):
                problems.append(
                    self.env._("%s: say why in the note (reason Other).", name)
                )
            elif line.decision == "replace":
                replacement = line.replacement_product_id
                if not replacement:
                    problems.append(self.env._("%s: choose the replacement.", name))
                elif replacement == line.product_id:
                    problems.append(
                        self.env._(
                            "%s: a replacement is another product; to change the "
                            "quantity, edit the item's quantity.",
                            name,
                        )
                    )
                elif not replacement.sale_ok:
                    problems.append(
                        self.env._(
                            "%(item)s: %(replacement)s cannot be sold.",
                            item=name,
                            replacement=replacement.display_name,
                        )
                    )
                elif line.replacement_qty <= 0:
                    problems.append(
                        self.env._(
                            "%s: the replacement's quantity must be more than zero.",
                            name,
                        )
                    )
                elif (
                    line.replacement_uom_id.category_id
                    != replacement.uom_id.category_id
                ):
                    problems.append(
                        self.env._(
                            "%s: the replacement's unit is not one of its own.", name
                        )
                    )
            if FORBIDDEN_CHARACTERS_RE.search(line.decision_note or ""):
                problems.append(
                    self.env._(
                        "%s: the note contains invisible control characters.", name
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    def _get_customer_outcome(self):
        """What the customer reads of the item once staff decided: {"kind": accept,
        replace or decline, "label": "Accepted as requested", "Replaced by LED Strip
        2, 3 Units" or "Declined: Discontinued"} in the reader's language; None while
        the request is pending or withdrawn, and for the items of a declined request
        that have no reason of their own (the request's reason says it). Whole
        phrases: "Accepted" alone is the request's status, whose translation may
        agree with another noun."""
        self.ensure_one()
        state = self.request_id.state
        if state not in ("accepted", "declined"):
            return None
        if self.decision == "replace" and state == "accepted":
            digits = self.env["decimal.precision"].precision_get(
                "Product Unit of Measure"
            )
            label = self.env._(
                "Replaced by %(product)s, %(quantity)s %(unit)s",
                product=self.replacement_product_id.display_name,
                quantity=format_quantity(self.env, self.replacement_qty, digits),
                unit=self.replacement_uom_id.name,
            )
            if note := (self.decision_note or "").strip():
                label = f"{label}: {note}"
            return {"kind": "replace", "label": label}
        if self.decision == "decline" or state == "declined":
            if not self.decline_reason:
                return None
            return {
                "kind": "decline",
                "label": self.env._("Declined: %s", self._get_decline_text()),
            }
        return {"kind": "accept", "label": self.env._("Accepted as requested")}

    def _get_decline_text(self):
        """Why the item is declined, as the customer reads it: "Discontinued",
        "Other: sold out for the season" (its reason, then its note)."""
        self.ensure_one()
        reason = dict(
            self._fields["decline_reason"]._description_selection(self.env)
        ).get(self.decline_reason, "")
        note = (self.decision_note or "").strip()
        return ": ".join(part for part in (reason, note) if part)

    def _format_quantity(self):
        """The quantity in the salesperson's email and the opportunity: "2.5"."""
        self.ensure_one()
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        return format_quantity(self.env, self.product_uom_qty, digits, lang=False)

    def _check_request_pending(self):
        if any(request.state != "pending" for request in self.request_id):
            raise UserError(
                self.env._("Only the items of a pending request can be changed.")
            )

    def _check_outcome_values(self, vals):
        """Whether an item is left out is the decision's: set by Accept only."""
        if "left_out" in vals and (
            self.env.context.get("sale_reorder_audit_trail") is not AUDIT_TRAIL_KEY
        ):
            raise UserError(
                self.env._(
                    "Which items are left out of the documents is set by Accept & "
                    "Create only."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_outcome_values(vals)
        lines = super().create(vals_list)
        lines._check_request_pending()
        return lines

    def write(self, vals):
        self._check_outcome_values(vals)
        self._check_request_pending()
        return super().write(vals)

    def _mark_left_out(self):
        """These items are not in the documents made from their request."""
        self.with_context(sale_reorder_audit_trail=AUDIT_TRAIL_KEY).write(
            {"left_out": True}
        )

    def unlink(self):
        self._check_request_pending()
        return super().unlink()
