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
