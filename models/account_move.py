from odoo import fields, models

# The documents a purchase history and a buying rhythm are made of.
REORDER_SOURCE_MOVE_TYPES = ("out_invoice", "out_receipt")
# What a document's lines count for in a buying rhythm, once posted.
RHYTHM_FIELDS = {"state", "partner_id"}


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

    def _compute_payment_state(self):
        """A sales receipt paid (or no longer), an invoice fully credited (or no
        longer): the customer's buying rhythms change with them."""
        res = super()._compute_payment_state()
        self.filtered(lambda move: move.state == "posted")._schedule_rhythm_refresh()
        return res

    def write(self, vals):
        """Posted, reset to draft or cancelled, or another customer: the buying
        rhythms of the products on the document change (the lines as they were and as
        they are)."""
        if not RHYTHM_FIELDS.intersection(vals):
            return super().write(vals)
        self._schedule_rhythm_refresh()
        res = super().write(vals)
        self._schedule_rhythm_refresh()
        return res

    def _is_reorder_source(self):
        """A posted customer invoice or sales receipt."""
        self.ensure_one()
        return self.state == "posted" and self.move_type in REORDER_SOURCE_MOVE_TYPES

    def _get_reorder_source_lines(self):
        return self.invoice_line_ids, "quantity", "product_uom_id"

    def _schedule_rhythm_refresh(self):
        """Have the rhythms of these posted customer documents' (customer, product)
        pairs refreshed before the commit (called before and after a write: a
        document reset to draft counts as it was, one posted as it is)."""
        # Only posted documents count: a draft's customer or lines change nothing.
        lines = self.filtered(
            lambda move: (
                move.move_type in REORDER_SOURCE_MOVE_TYPES and move.state == "posted"
            )
        ).invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product" and line.product_id and line.partner_id
            )
        )
        self.env["sale.reorder.rhythm"]._schedule_refresh(
            {
                (line.company_id.id, line.partner_id.id, line.product_id.id)
                for line in lines
            }
        )
