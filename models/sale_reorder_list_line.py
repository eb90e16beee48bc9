from odoo import fields, models


class SaleReorderListLine(models.Model):
    """An item of a customer's reorder list, at the quantity to ask for, in the unit
    of its purchase when the list was saved (converted to the unit of the last
    purchase when the list is requested)."""

    _name = "sale.reorder.list.line"
    _description = "Reorder List Item"
    _order = "list_id, sequence, id"

    list_id = fields.Many2one(
        "sale.reorder.list",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", ondelete="set null")
    company_id = fields.Many2one(related="list_id.company_id", store=True)
