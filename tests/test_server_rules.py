"""The rules a request keeps on the server, whatever a view shows: what a customer or
a colleague can do over RPC, bad input, the rate limit, the customer's own documents."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ReorderCase


@tagged("post_install", "-at_install")
class TestServerSideRules(ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._make_portal_user(cls.contact, "ann_rules")

    def test_no_request_in_a_company_the_customer_cannot_access(self):
        other_company = self.env["res.company"].create(
            {"name": "Other Co", "reorder_request_enabled": True}
        )
        count = self.Request.search_count([])
        with self.assertRaises(AccessError):
            self.Request.with_user(self.portal_user).with_context(
                allowed_company_ids=[other_company.id]
            ).create_from_portal([{"product_id": self.bolt.id, "quantity": 1}])
        self.assertEqual(self.Request.search_count([]), count)

    def test_a_decided_request_cannot_be_reopened_or_rewritten(self):
        request = self._submit()
        request.with_user(self.manager)._accept("quotation")
        as_salesman = request.with_user(self.salesman)
        for values in (
            {"state": "pending"},
            {"customer_comment": "Rewritten"},
            {"submission_date": "2020-01-01 00:00:00"},
            {"decided_by_id": self.salesman.id},
            {"partner_id": self.other_customer.id},
            {"line_ids": [Command.create({"product_id": self.nut.id})]},
        ):
            with self.subTest(values=list(values)), self.assertRaises(UserError):
                as_salesman.write(values)
        self.assertEqual(request.state, "accepted")
        with self.assertRaises(UserError):
            as_salesman._accept("sale_order")
        self.assertEqual(len(request.sale_order_ids), 1)

    def test_staff_edit_items_and_salesperson_while_pending(self):
        request = self._submit().with_user(self.salesman)
        request.line_ids.product_uom_qty = 20
        request.user_id = self.other_salesman
        self.assertEqual(request.sudo().line_ids.product_uom_qty, 20)
        with self.assertRaises(UserError):
            request.sudo().write({"state": "accepted"})

    def test_staff_cannot_create_a_decided_request(self):
        with self.assertRaises(UserError):
            self.Request.with_user(self.salesman).create(
                {"partner_id": self.contact.id, "state": "accepted"}
            )

    def test_bad_input_gets_a_message_and_saves_nothing(self):
        count = self.Request.search_count([])
        bolt = self.bolt.id
        cases = {
            "quantity 1e307": ([{"product_id": bolt, "quantity": "1e307"}], None, None),
            "quantity 1e308": ([{"product_id": bolt, "quantity": 1e308}], None, None),
            "quantity inf": ([{"product_id": bolt, "quantity": "inf"}], None, None),
            "quantity list": ([{"product_id": bolt, "quantity": [1]}], None, None),
            "NUL comment": ([{"product_id": bolt, "quantity": 1}], "a\x00b", None),
            "comment not text": ([{"product_id": bolt, "quantity": 1}], 42, None),
            "6 KB token": ([{"product_id": bolt, "quantity": 1}], None, "a" * 6000),
            "token not text": ([{"product_id": bolt, "quantity": 1}], None, 12),
            "superscript id": ([{"product_id": "²", "quantity": 1}], None, None),
            "lines not a list": (42, None, None),
            "lines a string": ("abc", None, None),
            "lines a dict": ({"product_id": bolt}, None, None),
            "items not dicts": ([[bolt, 1]], None, None),
        }
        for name, (lines, comment, token) in cases.items():
            with self.subTest(name), self.assertRaises(ValidationError) as caught:
                self.Request.with_user(self.portal_user).create_from_portal(
                    lines, comment, token
                )
            self.assertTrue(caught.exception.args[0])
        self.assertEqual(self.Request.search_count([]), count)

    def test_another_customers_token_does_not_block(self):
        token = self._token("shared")
        rival = self.env["res.partner"].create({"name": "Rival Buyer"})
        self._post_move(rival, [(self.bolt, 1, 2.0)])
        first = self.Request._create_from_portal(
            self.contact, [{"product_id": self.bolt.id, "quantity": 1}], None, token
        )
        second = self.Request._create_from_portal(
            rival, [{"product_id": self.bolt.id, "quantity": 1}], None, token
        )
        self.assertNotEqual(first, second)
        self.assertEqual(second.partner_id, rival)

    def test_a_salesperson_cannot_open_a_colleagues_decision_wizards(self):
        """The Decline wizard renders the email (customer, access link) as soon as it
        is made: only for requests the user may decide."""
        (self.customer | self.contact).user_id = self.other_salesman
        request = self._submit()
        for model in ("sale.reorder.decline", "sale.reorder.accept"):
            with self.subTest(model), self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).create(
                    {"request_id": request.id}
                )
        self.env["sale.reorder.decline"].with_user(self.other_salesman).create(
            {"request_id": request.id}
        )

    def test_decline_email_is_sent_by_the_deciding_user(self):
        request = self._submit()
        wizard = (
            self.env["sale.reorder.decline"]
            .with_user(self.manager)
            .create({"request_id": request.id})
        )
        self.assertNotIn("author_id", wizard._fields)
        wizard.action_send_and_decline()
        email = request.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(email.author_id, self.manager.partner_id)

    def test_quantities_as_typed_in_the_customers_language(self):
        """ "1,000" is a thousand in English, never one; "2,5" still means 2.5."""
        Request = self.Request.with_context(lang="en_US")
        for typed, expected in (
            ("1,000", "1000"),
            ("1,000.5", "1000.5"),
            ("2,5", "2.5"),
        ):
            with self.subTest(typed):
                self.assertEqual(Request._normalize_number(typed), expected)
        request = Request._create_from_portal(
            self.contact, [{"product_id": self.bolt.id, "quantity": "1,000"}]
        )
        self.assertEqual(request.line_ids.product_uom_qty, 1000)

    def test_withdraw_one_request_at_a_time_over_rpc(self):
        requests = self._submit() | self._submit()
        with self.assertRaises(UserError):
            requests.with_user(self.portal_user).withdraw_from_portal()
        self.assertEqual(set(requests.mapped("state")), {"pending"})

    def test_rate_limit(self):
        self.company.write(
            {"reorder_rate_limit_count": 3, "reorder_rate_limit_minutes": 10}
        )
        for _i in range(3):
            self._submit()
        with self.assertRaises(ValidationError) as caught:
            self._submit()
        self.assertIn("wait a few minutes", caught.exception.errors["rate"])
        self.company.reorder_rate_limit_count = 0  # no limit
        self._submit()

    def test_related_order_rpc_bad_arguments(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.bolt.id})],
            }
        )
        other = order.copy()
        as_salesman = order.with_user(self.salesman)
        for name, call in {
            "line_ids not a list": lambda: as_salesman.create_related_order(
                line_ids="abc"
            ),
            "line_ids of strings": lambda: as_salesman.create_related_order(
                line_ids=["1"]
            ),
            "unknown line": lambda: as_salesman.create_related_order(
                line_ids=[999999999]
            ),
            "two orders": lambda: (
                (order | other).with_user(self.salesman).create_related_order()
            ),
            "note not text": lambda: as_salesman.create_related_order(note=["x"]),
            "NUL note": lambda: as_salesman.create_related_order(note="a\x00b"),
        }.items():
            with self.subTest(name), self.assertRaises(UserError):
                call()
        self.assertFalse(order.related_order_ids)

    def test_portal_lists_only_the_customers_own_documents(self):
        request = self._submit()
        request.with_user(self.manager)._accept("quotation")
        stranger_order = self.env["sale.order"].create(
            {"partner_id": self.other_customer.id, "reorder_request_id": request.id}
        )
        documents = [d["record"] for d in request._get_customer_documents()]
        self.assertEqual(documents, list(request.sale_order_ids - stranger_order))
