from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    reorder_request_enabled = fields.Boolean(string="Reorder Requests")
    reorder_from_invoices = fields.Boolean(default=True)
    reorder_from_receipts = fields.Boolean(
        string="Reorder From Sales Receipts", default=True
    )
