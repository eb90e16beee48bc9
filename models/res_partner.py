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

    def _get_reorderable_line_conditions(self, company):
        """The conditions (on ``account_move_line l`` joined to ``account_move m``)
        of the lines that make a product reorderable for this customer, or None when
        the settings allow no document. They match the partial index of
        account.move.line's ``init()``: one customer's posted product lines, per
        product, most recent first."""
        self.ensure_one()
        move_types = self._get_reorder_move_types(company)
        customer = self.commercial_partner_id
        if not move_types or not customer:
            return None
        return SQL(
            """
                l.partner_id = %(customer)s  -- the commercial entity
            AND l.display_type = 'product'
            AND l.parent_state = 'posted'
            AND l.company_id = %(company)s
            AND l.quantity > 0
            AND m.move_type IN %(move_types)s
            -- A sales receipt counts once it is paid, an invoice once it is posted.
            AND (m.move_type != 'out_receipt'
                 OR m.payment_state IN ('paid', 'in_payment'))
            """,
            customer=customer.id,
            company=company.id,
            move_types=tuple(move_types),
        )

    def _get_reorder_flagged_products_query(self, company):
        """The products the company offers for reorder: flagged, sellable, active,
        of the company or shared."""
        return SQL(
            """
            SELECT pp.id
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pt.available_for_reorder
               AND pt.sale_ok
               AND pp.active
               AND (pt.company_id IS NULL OR pt.company_id = %s)
            """,
            company.id,
        )

    def _get_has_reorderable_query(self, company):
        """The query of _has_reorderable_products (None: nothing can qualify)."""
        conditions = self._get_reorderable_line_conditions(company)
        if conditions is None:
            return None
        return SQL(
            """
            SELECT EXISTS(
                SELECT 1
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE %s AND l.product_id IN (%s)
            )
            """,
            conditions,
            self._get_reorder_flagged_products_query(company),
        )

    def _has_reorderable_products(self, company=None):
        """Whether this customer has anything to reorder. The portal asks on every
        visit of /my: an index probe on the customer's own posted lines, whatever the
        size of the database."""
        query = self._get_has_reorderable_query(company or self.env.company)
        if query is None:
            return False
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchone()[0]

    def _get_reorderable_products_query(self, company):
        """The query of _get_reorderable_products (None: nothing can qualify): per
        flagged product, the customer's most recent line (a LATERAL top-1 read from
        the partial index of account.move.line's ``init()``)."""
        conditions = self._get_reorderable_line_conditions(company)
        if conditions is None:
            return None
        return SQL(
            """
            SELECT flagged.id, last.invoice_date, last.quantity, last.price_unit,
                   last.currency_id, last.product_uom_id
              FROM (%s) flagged
              CROSS JOIN LATERAL (
                SELECT l.invoice_date, l.quantity, l.price_unit, l.currency_id,
                       l.product_uom_id
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE %s AND l.product_id = flagged.id
              ORDER BY l.invoice_date DESC NULLS LAST, l.id DESC
                 LIMIT 1
              ) last
          ORDER BY last.invoice_date DESC NULLS LAST, flagged.id
            """,
            self._get_reorder_flagged_products_query(company),
            conditions,
        )

    def _get_reorderable_products(self, company=None):
        """The products this customer may reorder, most recent first.

        A product qualifies when it is flagged available for reorder, active, sellable,
        of the company, and on a posted customer invoice (or paid sales receipt) of the
        partner's commercial entity, as the company's settings allow. One query, at a
        cost that does not grow with the length of the history.

        :return: a dict {product.product: {"product", "last_date", "last_quantity",
            "last_price", "currency", "uom"}}, most recent first
        """
        query = self._get_reorderable_products_query(company or self.env.company)
        if query is None:
            return {}
        self.env.flush_all()
        self.env.cr.execute(query)
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
            }
        return result
