from odoo import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal


class PortalTourCase(HttpCaseWithUserPortal):
    def setUp(self):
        super().setUp()
        self.Request = self.env["sale.reorder.request"]
        self.joel = self.partner_portal

    def _newest_request(self):
        return self.Request.search(
            [("partner_id", "=", self.joel.id)], order="id desc", limit=1
        )

    def _order_with_an_add_on(self):
        """A confirmed order of Joel's for a corner brace, whose add-on (an optional
        product) is the brace screws."""
        Product = self.env["product.product"]
        screws = Product.create({"name": "Brace Screws", "list_price": 0.5})
        brace = Product.create(
            {
                "name": "Corner Brace",
                "list_price": 3.0,
                "optional_product_ids": [Command.set(screws.product_tmpl_id.ids)],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.joel.id,
                "order_line": [
                    Command.create({"product_id": brace.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        return order

    def _walk_quick_add_and_a_shared_list(self):
        """Nora adds items by code, pasted lines and a file, saves them as a list;
        Theo, of the same company, requests the list."""
        nora = self.env.ref("sale_reorder.partner_lumen_nora")
        theo = self.env.ref("sale_reorder.partner_lumen_theo")
        self.env["res.users"].create(
            {
                "name": theo.name,
                "login": "theo_tour",
                "password": "theo_tour",
                "partner_id": theo.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.start_tour("/my/reorders/new", "sale_reorder_quick_add_tour", login="nora")
        reorder_list = self.env["sale.reorder.list"].search(
            [("name", "=", "Site monthly")]
        )
        self.assertEqual(reorder_list.author_id, nora)
        ref = self.env.ref
        quantities = {
            ref("sale_reorder.product_slide"): reorder_list.line_ids.filtered(
                lambda line: line.product_id == ref("sale_reorder.product_slide")
            ).quantity,
            ref("sale_reorder.product_handle"): 30,
            ref("sale_reorder.product_screws"): 15,
        }
        self.assertEqual(
            {line.product_id: line.quantity for line in reorder_list.line_ids},
            quantities,
        )
        self.start_tour(
            "/my/reorders/lists", "sale_reorder_request_list_tour", login="theo_tour"
        )
        request = self.Request.search(
            [("partner_id", "=", theo.id)], order="id desc", limit=1
        )
        self.assertEqual(
            {line.product_id: line.product_uom_qty for line in request.line_ids},
            quantities,
        )
        self.assertEqual(reorder_list.last_used_by_id, theo)

    def _walk_the_request_story(self):
        """The request story's tour, and the request it sends."""
        before = self._newest_request()
        self.start_tour("/my", "sale_reorder_portal_tour", login=self.user_portal.login)
        request = self._newest_request()
        self.assertNotEqual(request, before)
        self.assertEqual(request.state, "pending")
        quantities = {
            line.product_id: line.product_uom_qty for line in request.line_ids
        }
        self.assertEqual(
            quantities,
            {
                self.env.ref("sale_reorder.product_hinge"): 10,
                self.env.ref("sale_reorder.product_led"): 3,
            },
        )
        self.assertEqual(request.amount_estimated, 221.0, "as step 2 said")
        self.assertEqual(request.customer_comment, "Please ship everything together.")
        self.assertTrue(request.opportunity_id)


@tagged("post_install", "-at_install")
class TestSaleReorderTours(PortalTourCase):
    """The stories of the README, walked in headless Chromium with the demo data by
    Odoo's demo portal user (Joel Willis)."""

    def test_mark_product_available_for_reorder(self):
        bracket = self.env.ref("sale_reorder.product_bracket").product_tmpl_id
        self.assertFalse(bracket.available_for_reorder)
        self.start_tour("/odoo", "sale_reorder_mark_product_tour", login="admin")
        self.assertTrue(bracket.available_for_reorder)

    def test_portal_reorder_story(self):
        """Home, New, two items, a quantity (the line amount and the total follow
        it), a comment, Submit: Pending; accepted by staff, the customer sees it
        Accepted and the quotation among theirs."""
        self._walk_the_request_story()
        request = self._newest_request()
        request.with_user(self.env.ref("base.user_admin"))._accept("quotation")
        self.start_tour(
            "/my/reorders",
            "sale_reorder_portal_accepted_tour",
            login=self.user_portal.login,
        )

    def test_quick_add_upload_and_a_shared_list(self):
        self._walk_quick_add_and_a_shared_list()

    def test_quick_reorder_from_an_invoice(self):
        before = self._newest_request()
        self.start_tour(
            "/my/invoices",
            "sale_reorder_quick_reorder_tour",
            login=self.user_portal.login,
        )
        request = self._newest_request()
        self.assertNotEqual(request, before)
        newest_invoice = self.env["account.move"].search(
            [
                ("partner_id", "=", self.joel.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            order="invoice_date desc, id desc",
            limit=1,
        )
        self.assertEqual(
            request.line_ids.product_id,
            newest_invoice.invoice_line_ids.product_id.filtered(
                "available_for_reorder"
            ),
        )

    def test_request_my_usual(self):
        """Filter what is due, Request my usual: step 2 with the due items at their
        usual quantities, one changed, submitted."""
        before = self._newest_request()
        self.start_tour(
            "/my/reorders/new", "sale_reorder_usual_tour", login=self.user_portal.login
        )
        request = self._newest_request()
        self.assertNotEqual(request, before)
        self.assertEqual(
            {line.product_id: line.product_uom_qty for line in request.line_ids},
            {
                self.env.ref("sale_reorder.product_screws"): 30,
                self.env.ref("sale_reorder.product_led"): 3,
            },
        )

    def test_create_related_order_with_notes_and_pin(self):
        company = self.env.company
        company.related_order_pin_required = True
        company._set_related_order_pin("2468")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.joel.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.env.ref("sale_reorder.product_hinge").id}
                    )
                ],
            }
        )
        order.action_confirm()
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "sale_related_order_tour",
            login="admin",
        )
        child = order.related_order_ids
        self.assertEqual(len(child), 1)
        self.assertEqual(
            child.customer_service_note,
            "Customer kept the wrong hinge; send the right one.",
        )
        self.assertEqual(child.parent_order_id, order)

    def test_related_items_from_an_order_accepted_as_a_related_order(self):
        """The customer asks for items related to their order from its page; staff
        accept the request as a related order, with the company's PIN; the
        customer's order lists it."""
        order = self._order_with_an_add_on()
        self.start_tour(
            order.get_portal_url(),
            "sale_reorder_related_items_tour",
            login=self.user_portal.login,
        )
        request = self.Request.search([("related_order_id", "=", order.id)])
        self.assertEqual(request.related_reason, "extra_parts")
        self.env.company._set_related_order_pin("2468")
        self.env.company.related_order_pin_required = True
        self.start_tour(
            f"/odoo/reorders/{request.id}",
            "sale_reorder_related_order_accept_tour",
            login="admin",
        )
        self.assertEqual(request.state, "accepted")
        self.assertEqual(order.related_order_ids, request.sale_order_ids)
        self.assertEqual(
            order.related_order_ids.order_line.product_id.mapped("name"),
            ["Corner Brace", "Brace Screws"],
        )


@tagged("post_install", "-at_install", "sale_reorder_optional_apps")
class TestStaffTours(HttpCaseWithUserPortal):
    """Staff in the web client, with Manufacturing installed."""

    def setUp(self):
        super().setUp()
        self.Request = self.env["sale.reorder.request"]

    def _customer_with_history(self, name, product):
        customer = self.env["res.partner"].create({"name": name})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 2})
                ],
            }
        )
        invoice.action_post()
        return customer

    def test_accept_offers_only_what_can_be_made(self):
        """The web client keeps the Accept dialog's view: the second request opened
        still offers only what its own items can be made into (no Manufacturing
        Order without a bill of materials)."""
        # The demo's LED strips are made from a reel (a bill of materials).
        led = self.env.ref("sale_reorder.product_led")
        screws = self.env.ref("sale_reorder.product_screws")
        self.assertTrue(self.env["mrp.bom"]._bom_find(led)[led])
        self.assertFalse(self.env["mrp.bom"]._bom_find(screws)[screws])
        requests = self.Request
        for name, product in (("Maker Workshop", led), ("Plain Traders", screws)):
            customer = self._customer_with_history(name, product)
            requests |= self.Request._create_from_portal(
                customer, [{"product_id": product.id, "quantity": 1}]
            )
        self.start_tour(
            "/odoo/reorders", "sale_reorder_accept_offers_tour", login="admin"
        )
        self.assertEqual(requests.mapped("state"), ["pending", "accepted"])
        self.assertEqual(len(requests[1].sale_order_ids), 1)

    def test_decide_item_by_item(self):
        """Staff decline one item and replace another on the request's form, then
        Accept & Create; the customer reads each item's outcome."""
        products = [
            self.env.ref(f"sale_reorder.product_{name}")
            for name in ("screws", "hinge", "led")
        ]
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_portal.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 2})
                    for product in products
                ],
            }
        )
        invoice.action_post()
        request = self.Request._create_from_portal(
            self.partner_portal,
            [{"product_id": product.id, "quantity": 3} for product in products],
        )
        self.start_tour(
            f"/odoo/reorders/{request.id}",
            "sale_reorder_item_decisions_tour",
            login="admin",
        )
        bracket = self.env.ref("sale_reorder.product_bracket")
        self.assertEqual(request.state, "accepted")
        self.assertEqual(
            [
                (line.product_id, line.product_uom_qty)
                for line in request.sale_order_ids.order_line
            ],
            [(products[0], 3), (bracket, 3)],
        )
        self.start_tour(
            request.get_portal_url(), "sale_reorder_item_outcomes_tour", login="portal"
        )


@tagged("post_install", "-at_install")
class TestSaleReorderToursOnAPhone(PortalTourCase):
    """The request story on a phone: 375 px wide, touch."""

    browser_size = "375x667"
    touch_enabled = True

    def test_portal_reorder_story_on_a_phone(self):
        self._walk_the_request_story()

    def test_quick_add_upload_and_a_shared_list_on_a_phone(self):
        self._walk_quick_add_and_a_shared_list()

    def test_related_items_from_an_order_on_a_phone(self):
        order = self._order_with_an_add_on()
        self.start_tour(
            order.get_portal_url(),
            "sale_reorder_related_items_tour",
            login=self.user_portal.login,
        )
        request = self.Request.search([("related_order_id", "=", order.id)])
        self.assertEqual(len(request.line_ids), 2)
