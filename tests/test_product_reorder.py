from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestProductReorder(TransactionCase):
    def test_demo_catalog(self):
        """`make run` shows something: the demo company sells products, some of
        them available for reorder and some not, with the feature on."""
        demo = self.env["product.template"].search([("default_code", "=like", "SR-%")])
        self.assertTrue(demo.filtered("available_for_reorder"))
        self.assertTrue(demo.filtered(lambda p: not p.available_for_reorder))
        self.assertTrue(self.env.company.reorder_request_enabled)

    def test_demo_purchase_history(self):
        """Both demo portal customers bought: posted invoices and a paid receipt."""
        for partner in (
            self.env.ref("base.partner_demo_portal"),
            self.env.ref("sale_reorder.partner_lumen"),
        ):
            moves = self.env["account.move"].search(
                [("commercial_partner_id", "=", partner.id), ("state", "=", "posted")]
            )
            invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
            receipts = moves.filtered(lambda m: m.move_type == "out_receipt")
            self.assertTrue(invoices, partner.name)
            self.assertTrue(receipts, partner.name)
            for receipt in receipts:
                self.assertIn(receipt.payment_state, ("paid", "in_payment"))
        nora = self.env.ref("sale_reorder.user_lumen_nora")
        self.assertTrue(nora._is_portal())

    def test_settings_switch_the_feature(self):
        """Sales settings switch the feature and the eligible documents."""
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            settings.reorder_declined_template_id.name, "Reorder Request Declined"
        )
        self.assertEqual(
            settings.reorder_accepted_template_id.name, "Reorder Request Accepted"
        )
        self.assertTrue(settings.reorder_notification_template_id)
        self.assertEqual(settings.reorder_default_document, "quotation")
        self.assertTrue(settings.reorder_request_enabled)
        self.assertTrue(settings.reorder_from_invoices)
        self.assertTrue(settings.reorder_from_receipts)
        settings.reorder_request_enabled = False
        settings.reorder_from_receipts = False
        settings.execute()
        self.assertFalse(self.env.company.reorder_request_enabled)
        self.assertFalse(self.env.company.reorder_from_receipts)
