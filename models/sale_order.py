from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sale.reorder.source.mixin"]

    reorder_request_id = fields.Many2one(
        "sale.reorder.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's reorder request this order was created from.",
    )

    # ------------------------------------------------------------------------------
    # Reorder from the portal
    # ------------------------------------------------------------------------------

    def _is_reorder_source(self):
        """A confirmed order."""
        self.ensure_one()
        return self.state == "sale"

    def _get_reorder_source_lines(self):
        return self.order_line, "product_uom_qty", "product_uom"
