"""Related items asked by the customer from one of their confirmed orders: the order's
products, their optional products (add-ons) and the history are offered, with a
reason; staff accept such a request as a Related Order, made through Create Related
Order's own dialog (its PIN and lock-out), and both orders say how they are related,
in the backend and in the portal."""

from lxml import html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from ..models.sale_reorder_request.submission import ReorderInputError
from .common import ReorderCase, ReorderHttpCase


class RelatedItemsMixin:
    @classmethod
    def _setup_related_data(cls):
        Product = cls.env["product.product"]
        cls.cap = Product.create({"name": "Hinge Cap", "list_price": 0.4})
        cls.hinge = Product.create(
            {
                "name": "Hinge H2",
                "list_price": 4.0,
                "optional_product_ids": [Command.set(cls.cap.product_tmpl_id.ids)],
            }
        )
        cls.order = cls._confirmed_order(cls.contact, [(cls.bolt, 3), (cls.hinge, 2)])
        cls.others_order = cls._confirmed_order(cls.other_customer, [(cls.hinge, 1)])

    @classmethod
    def _confirmed_order(cls, partner, lines):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _submit_related(self, lines=None, reason="extra_parts", order=None, **kwargs):
        if lines is None:
            lines = [
                {"product_id": self.hinge.id, "quantity": 2},
                {"product_id": self.cap.id, "quantity": 4},
            ]
        return self.Request._create_from_portal(
            self.contact,
            lines,
            kwargs.pop("comment", "The brackets were missing."),
            related_order=order or self.order,
            related_reason=reason,
            **kwargs,
        )

    def _accept_as_related_order(self, request, user=None, pin=None):
        """Accept & Create > Related Order, then the Create Related Order dialog it
        opens, as staff click through them."""
        user = user or self.manager
        accept = Form(
            self.env["sale.reorder.accept"]
            .with_user(user)
            .with_context(default_request_id=request.id)
        )
        self.assertEqual(accept.document_type, "related_order")
        action = accept.save().action_accept()
        self.assertEqual(action["res_model"], "sale.related.order.create")
        dialog = Form(
            self.env["sale.related.order.create"]
            .with_user(user)
            .with_context(**action["context"])
        )
        if pin is not None:
            dialog.pin = pin
        return dialog.save().action_create()


@tagged("post_install", "-at_install")
class TestRelatedItems(RelatedItemsMixin, ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Wrong PINs are recorded in a transaction of their own: in test mode that
        # "transaction" is a savepoint of the test's, which sees the test's records.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls._setup_related_data()

    def test_the_order_its_add_ons_and_the_history_are_offered(self):
        request = self._submit_related(
            [
                {"product_id": self.hinge.id, "quantity": 2},
                {"product_id": self.cap.id, "quantity": 4},
                {"product_id": self.nut.id, "quantity": 1},
            ],
            reason="wrong_item",
        )
        self.assertEqual(request.related_order_id, self.order)
        self.assertEqual(request.related_reason, "wrong_item")
        self.assertEqual(
            request.line_ids.mapped("product_id"), self.hinge | self.cap | self.nut
        )
        hinge = request.line_ids[0]
        self.assertEqual(hinge.last_ordered_qty, 2, "the order's quantity")
        self.assertFalse(request.line_ids[1].last_ordered_date, "an add-on: never")
        self.assertEqual(request.state, "pending")
        self.assertTrue(request.opportunity_id)

    def test_only_the_customers_own_confirmed_order_with_a_reason(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": self.hinge.id})],
            }
        )
        cases = [
            ({"order": self.others_order}, "related_order"),
            ({"order": quotation}, "related_order"),
            ({"reason": "because"}, "related_reason"),
            ({"reason": False}, "related_reason"),
            (
                {"lines": [{"product_id": self.washer.id, "quantity": 1}]},
                "product_",
            ),
        ]
        for values, key in cases:
            with (
                self.subTest(values=values),
                self.assertRaises(ReorderInputError) as caught,
            ):
                self._submit_related(**values)
            self.assertTrue(any(k.startswith(key) for k in caught.exception.errors))
        self.assertFalse(
            self.Request.search([("related_order_id", "!=", False)]),
            "nothing half-saved",
        )

    def test_accept_as_a_related_order(self):
        request = self._submit_related()
        plain = self._submit()
        self.assertIn("related_order", self._offered(request, self.manager))
        self.assertNotIn("related_order", self._offered(plain, self.manager))
        action = self._accept_as_related_order(request)
        child = request.sale_order_ids
        self.assertEqual(action["res_id"], child.id)
        self.assertEqual(child.parent_order_id, self.order)
        self.assertIn(child, self.order.related_order_ids)
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in child.order_line],
            [(self.hinge, 2), (self.cap, 4)],
        )
        self.assertEqual(
            child.customer_service_note,
            "Extra parts or components\nThe brackets were missing.",
        )
        self._check_accepted(request)
        self.assertEqual(child.opportunity_id, request.opportunity_id)
        for order in (self.order, child):
            self.assertTrue(
                order.message_ids.filtered(
                    lambda m, c=child: f"Related order {c.name} created by" in m.body
                ),
                order.name,
            )
        accepted = request.message_ids.filtered(
            lambda m: m.subject and "was accepted" in m.subject
        )
        self.assertEqual(len(accepted), 1)
        self.assertIn(child.name, str(accepted.body))

    def test_the_companys_pin_applies(self):
        self.company._set_related_order_pin("2468")
        self.company.related_order_pin_required = True
        request = self._submit_related()
        action = self._accept_as_related_order(request, pin="1111")
        self.assertEqual(action["res_model"], "sale.related.order.create")
        self.assertEqual(
            action["context"]["sale_related_order_pin_error"], "Wrong security PIN."
        )
        self.assertEqual(request.state, "pending")
        self.assertFalse(self.order.related_order_ids)
        self._accept_as_related_order(request, pin="2468")
        self.assertEqual(request.state, "accepted")
        self.assertEqual(len(self.order.related_order_ids), 1)

    def test_a_related_order_of_the_accepted_items_only(self):
        request = self._submit_related()
        cap = request.line_ids[1]
        cap.with_user(self.manager).write(
            {"decision": "decline", "decline_reason": "out_of_stock"}
        )
        self._accept_as_related_order(request)
        self.assertEqual(request.sale_order_ids.order_line.product_id, self.hinge)

    def test_who_may_accept_it(self):
        request = self._submit_related()
        self.assertEqual(request.user_id, self.salesman)
        with self.assertRaises(AccessError):
            self.env["sale.related.order.create"].with_user(self.other_salesman).create(
                {"order_id": self.order.id, "reorder_request_id": request.id}
            )


@tagged("post_install", "-at_install")
class TestRelatedItemsInThePortal(RelatedItemsMixin, ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_related_data()

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def test_the_order_page_offers_related_items(self):
        page = self._get(f"/my/orders/{self.order.id}").text
        buttons = html.fromstring(page).xpath("//a[hasclass('o_sale_reorder_related')]")
        self.assertEqual(len(buttons), 1)
        href = buttons[0].get("href")
        self.assertEqual(href, f"/my/reorders/new?related_order={self.order.id}")
        step_1 = self._get(href).text
        for text in ("Hinge H2", "Hinge Cap", "Bolt M8", "An add-on of an item of"):
            self.assertIn(text, step_1)
        self.assertIn(self.order.name, step_1)
        # Another customer's order, a made-up id, junk: not found.
        for value in (self.others_order.id, 999999, "abc"):
            self._get(f"/my/reorders/new?related_order={value}", status=404)

    def test_the_customer_asks_for_related_items(self):
        step_2 = self._get(
            f"/my/reorders/new?step=2&related_order={self.order.id}"
            f"&product_ids={self.hinge.id}&product_ids={self.cap.id}"
        ).text
        self.assertIn('name="related_reason"', step_2)
        self.assertIn("Another component of a bundle", step_2)
        response = self._submit_form(
            {self.hinge.id: 2, self.cap.id: 4}, related_order=str(self.order.id)
        )
        self.assertEqual(response.status_code, 200, "given back: no reason")
        self.assertIn("Choose why you need related items.", response.text)
        self.assertFalse(
            self.Request.search([("related_order_id", "=", self.order.id)])
        )
        response = self._submit_form(
            {self.hinge.id: 2, self.cap.id: 4},
            token="form-2",
            related_order=str(self.order.id),
            related_reason="addon",
        )
        self.assertEqual(response.status_code, 303)
        request = self.Request.search([("related_order_id", "=", self.order.id)])
        self.assertEqual(request.related_reason, "addon")
        page = self._get(request.get_portal_url()).text
        self.assertIn("Related to order", page)
        self.assertIn("Add-on or upgrade", page)
        # The estimate while typing knows the order's items too.
        estimate = self.make_jsonrpc_request(
            "/my/reorders/estimate",
            {"quantities": {str(self.cap.id): "4"}, "related_order": self.order.id},
        )
        self.assertTrue(estimate["lines"][str(self.cap.id)]["counted"])
        # Accepted as a related order: both orders' pages say how they are related.
        self._accept_as_related_order(request)
        child = request.sale_order_ids
        parent_page = self._get(f"/my/orders/{self.order.id}").text
        self.assertIn("Related orders:", parent_page)
        self.assertIn(child.name, parent_page)
        child_page = self._get(child.get_portal_url()).text
        self.assertIn("Related to:", child_page)
        self.assertIn(self.order.name, child_page)

    def test_a_portal_client_asks_for_related_items_over_rpc(self):
        lines = [{"product_id": self.cap.id, "quantity": 2}]
        for order_id, reason, message in (
            (self.others_order.id, "addon", "your own confirmed orders only"),
            (999999, "addon", "your own confirmed orders only"),
            (str(self.order.id), "addon", "Give the order as its id."),
            ([self.order.id], "addon", "Give the order as its id."),
            (self.order.id, "other", "Choose why you need related items."),
        ):
            with self.subTest(order_id=order_id, reason=reason):
                error = self._rpc_error(
                    "sale.reorder.request",
                    "create_from_portal",
                    lines,
                    related_order_id=order_id,
                    related_reason=reason,
                )
                self.assertIn(message, error)
        response = self._rpc(
            "sale.reorder.request",
            "create_from_portal",
            lines,
            related_order_id=self.order.id,
            related_reason="addon",
        )
        request = self.Request.browse(response["result"])
        self.assertEqual(request.related_order_id, self.order)
        self.assertEqual(request.line_ids.product_id, self.cap)

    def test_the_order_s_items_come_first_with_their_pictures(self):
        step_1 = html.fromstring(
            self._get(f"/my/reorders/new?related_order={self.order.id}").text
        )
        names = [
            " ".join(item.text_content().split())
            for item in step_1.xpath("//*[hasclass('o_sale_reorder_item')]")
        ]
        self.assertIn("Hinge H2", names[0])
        self.assertIn("Hinge Cap", names[1])
        for img in step_1.xpath("//img[hasclass('o_sale_reorder_thumb')]")[:2]:
            self.assertIn(f"related_order={self.order.id}", img.get("src"))
            self._get(img.get("src"))
        # Not without the order, nor with another customer's.
        self._get(f"/my/reorders/image/{self.cap.id}", status=404)
        self._get(
            f"/my/reorders/image/{self.cap.id}?related_order={self.others_order.id}",
            status=404,
        )

    def test_no_button_for_a_visitor_with_the_order_s_link(self):
        url = self.order.get_portal_url()
        self.logout()
        page = self._get(url).text
        self.assertIn(self.order.name, page)
        # Neither button: both need a logged-in customer (the order's record on
        # its page is the superuser's: the visitor is passed on).
        buttons = html.fromstring(page).xpath(
            "//a[hasclass('o_sale_reorder_related')"
            " or hasclass('o_sale_reorder_quick')]"
        )
        self.assertFalse(buttons)
        # Nor for another customer's contact who was given the link.
        self._make_portal_user(self.other_customer, "rival_portal")
        self.authenticate("rival_portal", "rival_portal")
        page = self._get(url).text
        self.assertIn(self.order.name, page)
        self.assertFalse(
            html.fromstring(page).xpath("//a[hasclass('o_sale_reorder_related')]")
        )

    def test_a_reason_without_an_order_or_of_another_type_is_refused(self):
        lines = [{"product_id": self.bolt.id, "quantity": 1}]
        for order_id, reason in ((None, "addon"), (self.order.id, ["addon"])):
            with self.subTest(order_id=order_id, reason=reason):
                message = self._rpc_error(
                    "sale.reorder.request",
                    "create_from_portal",
                    lines,
                    related_order_id=order_id,
                    related_reason=reason,
                )
                self.assertNotIn("Traceback", message)
        self.assertFalse(self.Request.search([("partner_id", "=", self.contact.id)]))

    def test_a_portal_user_cannot_relate_over_rpc(self):
        request = self._submit_related()
        message = self._rpc_error(
            "sale.reorder.request",
            "write",
            request.ids,
            {"related_order_id": self.others_order.id},
        )
        self.assertIn("not allowed to modify", message)
