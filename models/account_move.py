from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    reorder_request_id = fields.Many2one(
        "sale.reorder.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's reorder request this document was created from.",
    )
