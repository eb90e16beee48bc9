from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import format_quantity
from .sale_reorder_request import AUDIT_TRAIL_KEY


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
    ]

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
