from odoo import fields, models

# The documents a purchase history and a buying rhythm are made of.
REORDER_SOURCE_MOVE_TYPES = ("out_invoice", "out_receipt")
# What a document's lines count for in a buying rhythm, once posted.
RHYTHM_FIELDS = {"state", "partner_id"}
# A sales receipt is the customer's document once paid: shown in their portal (the
# record rules of security/), counted in their purchase history (res.partner's SQL).
RECEIPT_PAID_STATES = ("paid", "in_payment")


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

    # === COMPUTE METHODS ===#

    def _compute_access_url(self):  # pylint: disable=missing-return
        """A sales receipt opens on Odoo's invoice page, as an invoice does (Odoo gives
        receipts no portal URL: the portal lists the customer's paid ones)."""
        super()._compute_access_url()
        for move in self.filtered(lambda move: move.move_type == "out_receipt"):
            move.access_url = f"/my/invoices/{move.id}"

    def _compute_payment_state(self):
        """A sales receipt paid (or no longer), an invoice fully credited (or no
        longer): the customer's buying rhythms change with them."""
        res = super()._compute_payment_state()
        self.filtered(lambda move: move.state == "posted")._schedule_rhythm_refresh()
        return res

    # === CRUD METHODS ===#

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

    # === BUSINESS METHODS ===#

    def _is_reorder_source(self):
        """A posted customer invoice, a paid sales receipt."""
        self.ensure_one()
        return (
            self.move_type in REORDER_SOURCE_MOVE_TYPES
            and self._is_reorder_customer_document()
        )

    def _is_reorder_customer_document(self):
        """Whether the customer has this document in their portal: posted, and paid
        for a sales receipt."""
        self.ensure_one()
        return self.state == "posted" and (
            self.move_type != "out_receipt" or self.payment_state in RECEIPT_PAID_STATES
        )

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
