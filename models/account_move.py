from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sale.reorder.source.mixin"]

    reorder_request_id = fields.Many2one(
        "sale.reorder.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's reorder request this document was created from.",
    )

    def _is_reorder_source(self):
        """A posted customer invoice or sales receipt."""
        self.ensure_one()
        return self.state == "posted" and self.move_type in (
            "out_invoice",
            "out_receipt",
        )

    def _get_reorder_source_lines(self):
        return self.invoice_line_ids, "quantity", "product_uom_id"
