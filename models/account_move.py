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

    def _is_reorder_source(self):
        """Whether the portal's quick reorder may start from this document: a posted
        customer invoice or sales receipt."""
        self.ensure_one()
        return self.state == "posted" and self.move_type in (
            "out_invoice",
            "out_receipt",
        )

    def _can_reorder_from_portal(self):
        """Whether the portal offers "Reorder these items" on this document."""
        self.ensure_one()
        return self._is_reorder_source() and self.env[
            "sale.reorder.request"
        ]._can_reorder_from_document(self, self.invoice_line_ids)

    def _get_reorder_quantities(self):
        """{product.product: (quantity, unit)} of this document, for the portal's
        quick reorder (the portal keeps the reorderable ones)."""
        self.ensure_one()
        if not self._is_reorder_source():
            return {}
        return self.env["sale.reorder.request"]._sum_quantities_by_product(
            self.invoice_line_ids, "quantity", "product_uom_id"
        )
