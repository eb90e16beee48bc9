"""A company's day, as the people in it notice it: the emails each one gets and who
sends them, the to-dos left open, what a customer or a colleague can do over RPC."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ReorderCase


@tagged("post_install", "-at_install")
class TestSalespersonInbox(ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "sales@mycompany.example.com"
        cls.portal_user = cls._make_portal_user(cls.contact, "ann_inbox")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _last_message_id(self):
        return self.env["mail.message"].search([], order="id desc", limit=1).id

    def _emails_since(self, message_id):
        """{recipient partner: [mail.message]} of the emails notified since."""
        notifications = self.env["mail.notification"].search(
            [
                ("mail_message_id", ">", message_id),
                ("notification_type", "=", "email"),
            ]
        )
        emails = {}
        for notification in notifications:
            emails.setdefault(notification.res_partner_id, []).append(
                notification.mail_message_id
            )
        return emails

    def _assert_staff_email(self, mail, request):
        """The salesperson's email as it goes out: Odoo's staff layout, headed by
        the request and its Open Request button to the request in the backend,
        not the customer's "Your Reorder Request"."""
        self.assertEqual(len(mail), 1)
        self.assertIn("Open Request", mail.body_html)
        self.assertIn(
            f"/mail/view?model=sale.reorder.request&amp;res_id={request.id}",
            mail.body_html,
        )
        self.assertNotIn("Your Reorder Request", mail.body_html)

    def _open_todos(self, request):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", request._name),
                ("res_id", "=", request.id),
                ("activity_type_id", "=", self.todo.id),
            ]
        )

    def _submit_as_customer(self, comment="Same as last time, please."):
        request_id = self.Request.with_user(self.portal_user).create_from_portal(
            [{"product_id": self.bolt.id, "quantity": 12}], comment
        )
        return self.Request.browse(request_id)

    def _accept(self, request, document_type="quotation", user=None):
        wizard = Form(
            self.env["sale.reorder.accept"]
            .with_user(user or self.manager)
            .with_context(default_request_id=request.id)
        )
        wizard.document_type = document_type
        return wizard.save().action_accept()

    def test_one_email_per_new_request_sent_by_the_company(self):
        before = self._last_message_id()
        request = self._submit_as_customer()
        emails = self._emails_since(before)
        self.assertEqual(list(emails), [self.salesman.partner_id])
        (email,) = emails[self.salesman.partner_id]
        self.assertIn("New reorder request", email.subject)
        self.assertEqual(email.author_id, self.company.partner_id)
        self.assertIn("sales@mycompany.example.com", email.email_from)
        # Nothing at all is authored by the customer but their own comment, logged.
        by_customer = self.env["mail.message"].search(
            [("id", ">", before), ("author_id", "=", self.contact.id)]
        )
        self.assertEqual(len(by_customer), 1)
        self.assertIn("Same as last time", by_customer.body)
        self.assertFalse(by_customer.notification_ids)
        # Queued for the mail cron, not sent while the customer waits.
        queued = self.env["mail.mail"].search([("mail_message_id", "=", email.id)])
        self.assertEqual(queued.state, "outgoing")
        self._assert_staff_email(queued, request)
        # The salesperson follows the request and the opportunity, silently.
        self.assertIn(self.salesman.partner_id, request.message_partner_ids)
        self.assertEqual(request.opportunity_id.user_id, self.salesman)
        self.assertNotEqual(request.opportunity_id.create_uid, self.portal_user)
        # One to-do, assigned by the company, not by the customer.
        todo = self._open_todos(request)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.salesman)
        self.assertNotEqual(todo.create_uid, self.portal_user)

    def test_accepting_closes_the_todo_and_mails_the_customer_only(self):
        request = self._submit_as_customer()
        before = self._last_message_id()
        self._accept(request)
        self.assertFalse(self._open_todos(request))
        emails = self._emails_since(before)
        self.assertEqual(list(emails), [self.contact])
        (email,) = emails[self.contact]
        order = request.sale_order_ids
        self.assertIn("was accepted", email.subject)
        self.assertIn(order.name, email.body)
        self.assertIn(order.get_portal_url(), email.body)
        self.assertEqual(email.subtype_id, self.env.ref("mail.mt_comment"))
        # The order links back to the request, in its chatter too.
        self.assertEqual(order.reorder_request_id, request)
        self.assertIn(request.name, " ".join(order.message_ids.mapped("body")))

    def test_declining_closes_the_todo_and_mails_the_customer_only(self):
        request = self._submit_as_customer()
        before = self._last_message_id()
        wizard = Form(
            self.env["sale.reorder.decline"]
            .with_user(self.manager)
            .with_context(default_request_id=request.id)
        )
        wizard.reason = "Discontinued."
        wizard.save().action_send_and_decline()
        self.assertEqual(request.state, "declined")
        self.assertFalse(self._open_todos(request))
        emails = self._emails_since(before)
        self.assertEqual(list(emails), [self.contact])
        self.assertIn("Discontinued.", emails[self.contact][0].body)

    def test_withdrawing_tells_the_salesperson_once(self):
        request = self._submit_as_customer()
        before = self._last_message_id()
        request.with_user(self.portal_user).withdraw_from_portal()
        self.assertEqual(request.state, "withdrawn")
        self.assertEqual(request.decided_by_id, self.portal_user)
        self.assertFalse(self._open_todos(request))
        self.assertFalse(request.opportunity_id.active)
        self.assertEqual(
            request.opportunity_id.lost_reason_id,
            self.env.ref("sale_reorder.crm_lost_reason_reorder_withdrawn"),
        )
        emails = self._emails_since(before)
        self.assertEqual(list(emails), [self.salesman.partner_id])
        (email,) = emails[self.salesman.partner_id]
        self.assertIn("withdrew", email.body)
        # Sent like the new-request email: by the company, saying what happened.
        self.assertEqual(email.author_id, self.company.partner_id)
        self.assertIn("sales@mycompany.example.com", email.email_from)
        self.assertEqual(
            email.subject,
            f"Reorder request {request.name} withdrawn by Acme Stores, Ann Buyer",
        )
        queued = self.env["mail.mail"].search([("mail_message_id", "=", email.id)])
        self._assert_staff_email(queued, request)
        # In the chatter, the to-do's "done" line is the customer's own.
        done = self.env["mail.message"].search(
            [
                ("id", ">", before),
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("body", "ilike", "Withdrawn by the customer"),
            ]
        )
        self.assertEqual(done.author_id, self.contact)

    def test_only_the_sender_withdraws(self):
        request = self._submit_as_customer()
        colleague = self.env["res.partner"].create(
            {"name": "Carl Colleague", "parent_id": self.customer.id}
        )
        colleague_user = self._make_portal_user(colleague, "carl_portal")
        with self.assertRaises(AccessError):
            request.with_user(colleague_user).withdraw_from_portal()
        self.assertEqual(request.state, "pending")

    def test_the_todo_follows_the_new_salesperson(self):
        request = self._submit_as_customer()
        request.with_user(self.manager).user_id = self.other_salesman
        self.assertEqual(self._open_todos(request).user_id, self.other_salesman)

    def test_acceptance_rate_counts_decided_requests_only(self):
        accepted = self._submit_as_customer()
        self._accept(accepted)
        declined = self._submit_as_customer()
        declined.with_user(self.manager)._decline("No.")
        withdrawn = self._submit_as_customer()
        withdrawn.with_user(self.portal_user).withdraw_from_portal()
        self._submit_as_customer()  # pending
        requests = (
            accepted
            | declined
            | withdrawn
            | self.Request.search([("state", "=", "pending")])
        )
        [(rate,)] = self.Request._read_group(
            [("id", "in", requests.ids)], aggregates=["acceptance_rate:avg"]
        )
        self.assertEqual(rate, 50.0)


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
