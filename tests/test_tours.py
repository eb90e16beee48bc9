from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSaleReorderTours(HttpCase):
    def test_mark_product_available_for_reorder(self):
        bracket = self.env.ref("sale_reorder.product_bracket").product_tmpl_id
        self.assertFalse(bracket.available_for_reorder)
        self.start_tour("/odoo", "sale_reorder_mark_product_tour", login="admin")
        self.assertTrue(bracket.available_for_reorder)
