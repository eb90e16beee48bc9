from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    reorder_request_id = fields.Many2one(
        "sale.reorder.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's reorder request this order was created from.",
    )

    def _can_reorder_from_portal(self):
        """Whether the portal offers "Reorder these items" on this document."""
        self.ensure_one()
        return (
            self.company_id.reorder_request_enabled
            and not self.env.user._is_public()
            and self.state == "sale"
            and any(self.order_line.product_id.mapped("available_for_reorder"))
        )

    def _get_reorder_quantities(self):
        """{product.product: quantity} of a confirmed order, for the portal's quick
        reorder (the portal keeps the reorderable ones)."""
        self.ensure_one()
        quantities = {}
        if self.state == "sale":
            for line in self.order_line.filtered("product_id"):
                product = line.product_id
                quantities[product] = (
                    quantities.get(product, 0.0) + line.product_uom_qty
                )
        return quantities
