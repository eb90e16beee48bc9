from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The customer's purchase history, as the reorder requests read it: which
    products the customer (its commercial entity) bought and may reorder."""

    _inherit = "res.partner"

    def _get_reorder_move_types(self, company):
        """The kinds of customer document that make a product reorderable in
        ``company``, as its settings say."""
        move_types = []
        if company.reorder_from_invoices:
            move_types.append("out_invoice")
        if company.reorder_from_receipts:
            move_types.append("out_receipt")
        return move_types

    def _get_reorderable_lines_query(self, company):
        """The query of the invoice lines that make products reorderable for this
        customer (None when the settings allow no document)."""
        self.ensure_one()
        move_types = self._get_reorder_move_types(company)
        customer = self.commercial_partner_id
        if not move_types or not customer:
            return None
        Line = self.env["account.move.line"].sudo().with_company(company)
        return Line._search(
            [
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("move_type", "in", move_types),
                ("partner_id", "=", customer.id),  # the commercial entity, indexed
                ("display_type", "=", "product"),
                ("quantity", ">", 0),
                ("product_id.available_for_reorder", "=", True),
                ("product_id.sale_ok", "=", True),
                ("product_id.active", "=", True),
                ("product_id.company_id", "in", [False, company.id]),
                # A sales receipt counts once it is paid, an invoice once it is posted.
                "|",
                ("move_type", "!=", "out_receipt"),
                ("move_id.payment_state", "in", ["paid", "in_payment"]),
            ],
        )

    def _has_reorderable_products(self, company=None):
        """Whether this customer has anything to reorder (cheap: the portal asks on
        every visit of /my)."""
        query = self._get_reorderable_lines_query(company or self.env.company)
        if query is None:
            return False
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT EXISTS(%s)", query.subselect()))
        return self.env.cr.fetchone()[0]

    def _get_reorderable_products(self, company=None):
        """The products this customer may reorder, most recent first.

        A product qualifies when it is flagged available for reorder, active, sellable,
        of the company, and on a posted customer invoice (or paid sales receipt) of the
        partner's commercial entity, as the company's settings allow. One query,
        whatever the length of the history.

        :return: a dict {product.product: {"product", "last_date", "last_quantity",
            "last_price", "currency", "uom", "times_ordered"}}, most recent first
        """
        company = company or self.env.company
        query = self._get_reorderable_lines_query(company)
        if query is None:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, last_date, quantity, price_unit, currency_id,
                       product_uom_id, times_ordered
                  FROM (
                    SELECT DISTINCT ON (l.product_id)
                           l.product_id, COALESCE(m.invoice_date, l.date) AS last_date,
                           l.quantity, l.price_unit, l.currency_id, l.product_uom_id,
                           COUNT(*) OVER (PARTITION BY l.product_id) AS times_ordered
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE l.id IN %s
                  ORDER BY l.product_id, COALESCE(m.invoice_date, l.date) DESC,
                           l.id DESC
                  ) last
              ORDER BY last_date DESC, product_id
                """,
                query.subselect(),
            )
        )
        rows = self.env.cr.fetchall()
        products = self.env["product.product"].browse([row[0] for row in rows])
        currencies = self.env["res.currency"].browse({row[4] for row in rows})
        uoms = self.env["uom.uom"].sudo().browse({row[5] for row in rows if row[5]})
        result = {}
        for product, row in zip(products, rows, strict=True):
            result[product] = {
                "product": product,
                "last_date": row[1],
                "last_quantity": row[2],
                "last_price": row[3],
                "currency": currencies.browse(row[4]),
                "uom": uoms.browse(row[5]) if row[5] else product.uom_id,
                "times_ordered": row[6],
            }
        return result
