"""What a request sets in motion, as the people of a company notice it: the emails
each one gets and who sends them, the to-dos left open or closed."""

from odoo.exceptions import AccessError
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
