from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    available_for_reorder = fields.Boolean(
        string="Available for Reorder",
        help="Portal customers who bought this product before may ask to reorder it. "
        "Archived or not sellable products are never offered.",
    )
