from odoo import api, fields, models
from odoo.tools import SQL

# What a purchase is: the one rule of the purchase history and the buying rhythms,
# and so of everything read from them (step 1, the due items and counts, the Due for
# Reorder report, the reminders) and of quick reorder. In SQL
# AccountMove._get_reorder_purchase_sql, in Python AccountMove._is_reorder_purchase,
# both from these constants.
# The kinds of customer document a purchase is made of, each with the company setting
# that lets it count.
REORDER_PURCHASE_SETTINGS = {
    "out_invoice": "reorder_from_invoices",
    "out_receipt": "reorder_from_receipts",
}
REORDER_SOURCE_MOVE_TYPES = tuple(REORDER_PURCHASE_SETTINGS)
# An invoice credited in full: Odoo's payment state once credit notes (and nothing else)
# settle all of it. It no longer counts; a credit note for part of it changes nothing.
INVOICE_CREDITED_STATE = "reversed"
# A sales receipt is the customer's document once paid: shown in their portal (the
# record rules of security/), counted as a purchase.
RECEIPT_PAID_STATES = ("paid", "in_payment")
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

    @api.model
    def _get_reorder_purchase_sql(self, line="l", move="m", company="c"):
        """The rule of a purchase, as an SQL condition on ``account_move_line`` (as
        ``line``) joined to its ``account_move`` (as ``move``). A line is a purchase
        of its product by its customer (the commercial entity: ``partner_id`` of an
        invoice line) on its date when it is a product line with a positive quantity
        of a posted document that is

        - a customer invoice, when the company's *Eligible Purchases* count invoices,
          unless the invoice was credited in full (payment state "reversed"); a
          credit note for part of it changes nothing;
        - a sales receipt, when they count receipts, once paid (or in payment).

        Credit notes, drafts, cancelled documents, vendor bills and unpaid receipts
        are no purchase. The purchase history (res.partner), the buying rhythms
        (sale.reorder.rhythm) and so the due items, the ``/my`` count, the Due for
        Reorder report and the reminders all read the purchases through it; its
        Python twin is ``_is_reorder_purchase`` (one document), from the same
        constants. The line conditions are those of the partial index of
        account.move.line's ``init()``, which the history reads.

        :param company: the alias of the lines' ``res_company`` joined to them (the
            rhythms, over every company), or one company (the history of one
            customer in one company): its settings are then given as values, and
            the query has no join of res_company, which would cost the portal's
            queries several milliseconds of planning each
        """
        if isinstance(company, str):
            counts = {
                move_type: SQL.identifier(company, setting)
                for move_type, setting in REORDER_PURCHASE_SETTINGS.items()
            }
        else:
            counts = {
                move_type: SQL("%s", bool(company[setting]))
                for move_type, setting in REORDER_PURCHASE_SETTINGS.items()
            }
        return SQL(
            """
            %(l)s.display_type = 'product'
            AND %(l)s.parent_state = 'posted'
            AND %(l)s.quantity > 0
            AND ((%(m)s.move_type = 'out_invoice' AND %(invoices_count)s
                  AND %(m)s.payment_state IS DISTINCT FROM %(credited)s)
              OR (%(m)s.move_type = 'out_receipt' AND %(receipts_count)s
                  AND %(m)s.payment_state IN %(paid)s))
            """,
            l=SQL.identifier(line),
            m=SQL.identifier(move),
            invoices_count=counts["out_invoice"],
            receipts_count=counts["out_receipt"],
            credited=INVOICE_CREDITED_STATE,
            paid=RECEIPT_PAID_STATES,
        )

    @api.model
    def _get_reorder_purchase_move_types(self, company):
        """The kinds of document whose lines may be purchases in ``company``, as its
        settings say (none: nothing is ever a purchase there)."""
        return [
            move_type
            for move_type, setting in REORDER_PURCHASE_SETTINGS.items()
            if company[setting]
        ]

    def _is_reorder_purchase(self):
        """Whether this document's product lines (of positive quantity) are purchases:
        the Python twin of ``_get_reorder_purchase_sql``, from the same constants
        (tests/test_one_rule.py holds them to each other)."""
        self.ensure_one()
        counted = self._get_reorder_purchase_move_types(self.company_id)
        if self.state != "posted" or self.move_type not in counted:
            return False
        if self.move_type == "out_receipt":
            return self.payment_state in RECEIPT_PAID_STATES
        return self.payment_state != INVOICE_CREDITED_STATE

    def _is_reorder_source(self):
        """A purchase (``_is_reorder_purchase``): a posted customer invoice not
        credited in full, a paid sales receipt, as the company's settings count
        them."""
        self.ensure_one()
        return self._is_reorder_purchase()

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
