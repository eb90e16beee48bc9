from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    reorder_request_enabled = fields.Boolean(
        related="company_id.reorder_request_enabled", readonly=False
    )
    reorder_from_invoices = fields.Boolean(
        related="company_id.reorder_from_invoices", readonly=False
    )
    reorder_from_receipts = fields.Boolean(
        related="company_id.reorder_from_receipts", readonly=False
    )
