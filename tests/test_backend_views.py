"""The backend screens as staff open them: the Accept wizard's choices, the reporting
views, the pipeline's Reorders filter."""

from lxml import etree

from odoo.tests import tagged

from .common import ReorderCase


@tagged("post_install", "-at_install")
class TestStaffScreens(ReorderCase):
    def test_accept_offers_only_what_the_user_can_make(self):
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 5},
                {"product_id": self.nut.id, "quantity": 2},
            ]
        )
        self.assertEqual(
            self._offered(request, self.manager),
            ["quotation", "sale_order", "invoice", "receipt"],
            "no Manufacturing Order: no requested product has a bill of materials",
        )
        self.assertEqual(
            self._offered(request, self.salesman),
            ["quotation", "sale_order"],
            "no invoice nor receipt without invoicing rights",
        )

    def test_reporting_opens_on_status_and_acceptance(self):
        """The graph by status; the pivot by salesperson with the acceptance rate in
        its first column (not Status x Status, the rate off-screen)."""
        action = self.env.ref("sale_reorder.sale_reorder_request_action_report")
        self.assertNotIn("group_state", action.context or "")
        Request = self.env["sale.reorder.request"]
        graph = Request.get_view(view_type="graph")["arch"]
        self.assertIn('<field name="state"', graph)
        pivot = etree.fromstring(Request.get_view(view_type="pivot")["arch"])
        self.assertFalse(pivot.xpath("//field[@type='col']"))
        self.assertEqual(pivot.xpath("//field[@type='row']/@name"), ["user_id"])
        measures = pivot.xpath("//field[@type='measure']/@name")
        self.assertEqual(measures[0], "acceptance_rate")

    def test_pipeline_reorders_filter_is_a_group_of_its_own(self):
        """Next to "My Pipeline" but separated: ticking both narrows, not widens."""
        arch = self.env["crm.lead"].get_view(
            self.env.ref("crm.view_crm_case_opportunities_filter").id, "search"
        )["arch"]
        search = etree.fromstring(arch)
        (reorders,) = search.xpath("//filter[@name='reorders']")
        self.assertEqual(reorders.getprevious().tag, "separator")
        self.assertEqual(reorders.getnext().tag, "separator")
