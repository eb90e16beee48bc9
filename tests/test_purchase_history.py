from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import ReorderCase


@tagged("post_install", "-at_install")
class TestPurchaseHistoryAcrossCompanies(AccountTestInvoicingCommon):
    """The history through Odoo's own accounting fixtures: two companies with their
    charts of accounts, invoices made as the invoice form makes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.company_data_2["company"]
        (cls.company | cls.company_2).write(
            {"reorder_request_enabled": True, "reorder_from_invoices": True}
        )
        (cls.product_a | cls.product_b).available_for_reorder = True

    def test_each_company_sees_its_own_invoices(self):
        self.init_invoice(
            "out_invoice", invoice_date="2026-05-01", products=self.product_a, post=True
        )
        self.init_invoice(
            "out_invoice",
            invoice_date="2026-06-01",
            products=self.product_b,
            company=self.company_2,
            post=True,
        )
        here = self.partner_a._get_reorderable_products(self.company)
        there = self.partner_a._get_reorderable_products(self.company_2)
        self.assertEqual(list(here), [self.product_a])
        self.assertEqual(list(there), [self.product_b])
        self.assertEqual(str(there[self.product_b]["last_date"]), "2026-06-01")
        self.assertEqual(there[self.product_b]["uom"], self.uom_dozen)
        self.assertFalse(self.partner_b._has_reorderable_products(self.company))

    def test_a_credit_note_and_a_draft_do_not_count(self):
        self.init_invoice(
            "out_refund", invoice_date="2026-05-01", products=self.product_a, post=True
        )
        self.init_invoice("out_invoice", products=self.product_b)
        self.assertFalse(self.partner_a._has_reorderable_products(self.company))
        self.assertEqual(self.partner_a._get_reorderable_products(self.company), {})


@tagged("post_install", "-at_install")
class TestHistoryQuery(ReorderCase):
    """The history query against a computation from scratch, and its index."""

    def _from_scratch(self, partner):
        """Every eligible line through the ORM, the last one per product kept."""
        company = self.env.company
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("quantity", ">", 0),
                ("move_id.move_type", "in", ["out_invoice", "out_receipt"]),
                ("product_id.available_for_reorder", "=", True),
                ("product_id.sale_ok", "=", True),
            ]
        )
        lines = lines.filtered(
            lambda line: (
                line.move_id.move_type == "out_invoice"
                or line.move_id.payment_state in ("paid", "in_payment")
            )
        )
        last = {}
        for line in lines.sorted(lambda line: (line.invoice_date, line.id)):
            last[line.product_id] = (
                line.invoice_date,
                line.quantity,
                line.price_unit,
                line.product_uom_id,
            )
        # Most recent first, then by product.
        return dict(
            sorted(last.items(), key=lambda item: (-item[1][0].toordinal(), item[0].id))
        )

    def test_equals_a_computation_from_scratch(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        # Same day twice (the later line wins), in dozens, a credit note and a vendor
        # bill after them, an unpaid receipt, a draft.
        self._post_move(self.contact, [(self.washer, 3, 0.5)], date="2026-05-02")
        same_day = self._post_move(
            self.contact, [(self.washer, 5, 0.6)], date="2026-05-02"
        )
        same_day.button_draft()
        same_day.invoice_line_ids.product_uom_id = dozen
        same_day.action_post()
        self._post_move(
            self.contact,
            [(self.bolt, 9, 9.0)],
            move_type="out_refund",
            date="2026-06-01",
        )
        self._post_move(
            self.customer,
            [(self.nut, 99, 0.1)],
            move_type="in_invoice",
            date="2026-06-01",
        )
        self._post_move(
            self.contact,
            [(self.bolt, 8, 8.0)],
            move_type="out_receipt",
            date="2026-07-01",
        )
        self._post_move(self.contact, [(self.nut, 8, 8.0)], post=False)
        expected = self._from_scratch(self.contact)
        history = self.contact._get_reorderable_products()
        self.assertEqual(list(history), list(expected))
        for product, (date, quantity, price, uom) in expected.items():
            with self.subTest(product=product.name):
                line = history[product]
                self.assertEqual(
                    (line["last_date"], line["last_quantity"], line["last_price"]),
                    (date, quantity, price),
                )
                self.assertEqual(line["uom"], uom)
        self.assertEqual(history[self.washer]["uom"], dozen)
        self.assertEqual(history[self.washer]["last_quantity"], 5)

    def test_the_history_reads_its_index(self):
        """Both queries match the partial index's conditions (the planner uses it
        once sequential scans are off: the test tables are too small to need it)."""
        company = self.env.company
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        for query in (
            self.contact._get_reorderable_products_query(company),
            self.contact._get_has_reorderable_query(company),
        ):
            self.env.cr.execute(SQL("EXPLAIN %s", query))
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn("account_move_line_sale_reorder_history_index", plan)
