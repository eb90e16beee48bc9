from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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
