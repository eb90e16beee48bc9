from odoo import models
from odoo.tools.sql import create_index

from .sale_reorder_rhythm import draft_document_line_predicate


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        """The index of the purchase history (res.partner._get_reorderable_products):
        a customer's posted product lines, per product, most recent first. The portal
        reads each reorderable product's last line from it, in constant time whatever
        the length of the history; "anything to reorder?" probes it for the customer
        alone, whatever the size of the database."""
        res = super().init()
        create_index(
            self.env.cr,
            "account_move_line_sale_reorder_history_index",
            self._table,
            ["partner_id", "product_id", "invoice_date DESC NULLS LAST", "id DESC"],
            where="display_type = 'product' AND parent_state = 'posted'",
        )
        # The draft invoices and receipts of a customer: items on order
        # (sale.reorder.rhythm._get_on_order_query), a small part of the table.
        create_index(
            self.env.cr,
            "account_move_line_sale_reorder_draft_index",
            self._table,
            ["partner_id", "product_id"],
            where=draft_document_line_predicate(),
        )
        return res
