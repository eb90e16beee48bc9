from odoo import models
from odoo.tools.sql import create_index

from .sale_reorder_rhythm import open_order_line_predicate


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def init(self):
        """The index of the items a customer has on order
        (sale.reorder.rhythm._get_on_order_query): only the lines still open, per
        customer and product, a small part of the table whatever its size."""
        res = super().init()
        create_index(
            self.env.cr,
            "sale_order_line_sale_reorder_open_index",
            self._table,
            ["order_partner_id", "product_id"],
            where=open_order_line_predicate(),
        )
        return res
