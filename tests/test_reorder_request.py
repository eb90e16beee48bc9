from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import Form, new_test_user, tagged, users

from odoo.addons.sale_reorder.models.sale_reorder_request.submission import (
    ReorderInputError,
)

from .common import ReorderCase


class ReorderableTests:
    def test_history_from_invoices_and_receipts(self):
        """Flagged products of posted invoices and paid receipts of the company."""
        history = self.contact._get_reorderable_products()
        self.assertEqual(list(history), [self.nut, self.bolt])  # most recent first
        bolt = history[self.bolt]
        self.assertEqual(str(bolt["last_date"]), "2026-03-01")
        self.assertEqual(bolt["last_quantity"], 4)
        self.assertEqual(bolt["last_price"], 2.0)
        self.assertEqual(bolt["uom"], self.bolt.uom_id)
        self.assertEqual(str(history[self.nut]["last_date"]), "2026-04-01")
        self.assertEqual(history[self.nut]["last_quantity"], 7)
        # The same from the company itself and from its other contacts.
        self.assertEqual(
            list(self.customer._get_reorderable_products()),
            [self.nut, self.bolt],
        )

    def test_what_does_not_count(self):
        """Drafts, cancelled documents, credit notes, unpaid receipts, other customers'
        purchases, unflagged, archived and unsellable products do not count."""
        self._post_move(self.contact, [(self.washer, 1, 0.5)], post=False)
        cancelled = self._post_move(self.contact, [(self.washer, 2, 0.5)])
        cancelled.button_draft()
        cancelled.button_cancel()
        self._post_move(self.contact, [(self.washer, 3, 0.5)], move_type="out_refund")
        self._post_move(self.contact, [(self.washer, 4, 0.5)], move_type="out_receipt")
        self._post_move(self.other_customer, [(self.washer, 5, 0.5)])
        history = self.contact._get_reorderable_products()
        self.assertNotIn(self.washer, history)
        self.assertNotIn(self.unflagged, history)
        self.nut.active = False
        self.bolt.sale_ok = False
        self.assertFalse(self.contact._get_reorderable_products())

    def test_eligible_documents_follow_the_settings(self):
        self.company.reorder_from_receipts = False
        self.assertEqual(list(self.contact._get_reorderable_products()), [self.bolt])
        self.company.reorder_from_receipts = True
        self.company.reorder_from_invoices = False
        self.assertEqual(list(self.contact._get_reorderable_products()), [self.nut])


class SubmissionTests:
    def test_submit_creates_pending_request_with_opportunity(self):
        request = self._submit(
            [
                {"product_id": str(self.bolt.id), "quantity": "12"},
                {"product_id": self.nut.id, "quantity": 3},
            ],
            comment="Same as last time <b>please</b>",
        )
        self.assertEqual(request.state, "pending")
        self.assertRegex(request.name, r"^RR\d{5}$")
        self.assertEqual(request.partner_id, self.contact)
        self.assertEqual(request.commercial_partner_id, self.customer)
        self.assertEqual(request.user_id, self.salesman)
        self.assertEqual(request.line_ids.product_id, self.bolt | self.nut)
        bolt_line = request.line_ids.filtered(lambda l: l.product_id == self.bolt)
        self.assertEqual(bolt_line.product_uom_qty, 12)
        self.assertEqual(bolt_line.last_ordered_qty, 4)
        self.assertEqual(bolt_line.price_unit_estimated, 2.0)
        self.assertEqual(request.amount_estimated, 12 * 2.0 + 3 * 1.0)
        self.assertEqual(request.access_url, f"/my/reorders/{request.id}")

        lead = request.opportunity_id
        self.assertEqual(lead.type, "opportunity")
        self.assertIn(request.name, lead.name)
        self.assertEqual(lead.partner_id, self.contact)
        self.assertEqual(lead.user_id, self.salesman)
        self.assertEqual(lead.expected_revenue, 27.0)
        self.assertIn("Reorder", lead.tag_ids.mapped("name"))
        self.assertIn("Bolt M8", lead.description)
        self.assertIn("&lt;b&gt;please&lt;/b&gt;", lead.description)
        self.assertEqual(lead.reorder_request_ids, request)

        # The customer's comment, escaped, in the chatter.
        comment = request.message_ids.filtered(
            lambda m: m.author_id == self.contact and m.message_type == "comment"
        )
        self.assertIn("&lt;b&gt;please&lt;/b&gt;", comment.body)
        # The salesperson is notified by the template and gets an activity.
        notification = request.message_ids.filtered(
            lambda m: self.salesman.partner_id in m.partner_ids
        )
        self.assertIn("New reorder request", notification.subject)
        self.assertIn("&lt;b&gt;please&lt;/b&gt;", notification.body)
        self.assertNotIn("<b>please</b>", notification.body)
        self.assertEqual(request.activity_ids.user_id, self.salesman)
        self.assertEqual(request.activity_ids.summary, "Review reorder request")
        self.assertIn(self.contact, request.message_partner_ids)

    def test_backup_assignee_without_salesperson(self):
        (self.customer | self.contact).user_id = False
        self.company.reorder_backup_user_id = self.other_salesman
        request = self._submit()
        self.assertEqual(request.user_id, self.other_salesman)
        self.assertEqual(request.opportunity_id.user_id, self.other_salesman)
        self.assertEqual(request.activity_ids.user_id, self.other_salesman)

    def test_bad_input_is_refused_and_nothing_saved(self):
        count = self.Request.search_count([])
        lead_count = self.env["crm.lead"].search_count([])
        cases = {
            "unknown product": [{"product_id": 999999, "quantity": 1}],
            "not an id": [{"product_id": "1 OR 1=1", "quantity": 1}],
            "unflagged": [{"product_id": self.unflagged.id, "quantity": 1}],
            "never bought": [{"product_id": self.washer.id, "quantity": 1}],
            "zero": [{"product_id": self.bolt.id, "quantity": 0}],
            "negative": [{"product_id": self.bolt.id, "quantity": -2}],
            "not a number": [{"product_id": self.bolt.id, "quantity": "ten"}],
            "nan": [{"product_id": self.bolt.id, "quantity": "nan"}],
            "absurd": [{"product_id": self.bolt.id, "quantity": 10**9}],
            "fraction of units": [{"product_id": self.bolt.id, "quantity": "1.5"}],
            "empty": [],
        }
        for case, lines in cases.items():
            with self.subTest(case), self.assertRaises(ValidationError) as error:
                self._submit(lines)
            self.assertTrue(str(error.exception), case)
        with self.assertRaises(ReorderInputError) as error:
            self._submit(comment="x" * 5000)
        self.assertIn("comment", error.exception.errors)
        with self.assertRaises(ReorderInputError) as error:
            self._submit(
                [
                    {"product_id": self.bolt.id, "quantity": 0},
                    {"product_id": self.washer.id, "quantity": 1},
                ]
            )
        self.assertEqual(
            set(error.exception.errors),
            {f"quantity_{self.bolt.id}", f"product_{self.washer.id}"},
        )
        self.assertEqual(self.Request.search_count([]), count)
        self.assertEqual(self.env["crm.lead"].search_count([]), lead_count)

    def test_feature_off_refuses(self):
        self.company.reorder_request_enabled = False
        with self.assertRaises(UserError):
            self._submit()

    def test_same_form_posted_twice_makes_one_request(self):
        first = self.Request._create_from_portal(
            self.contact,
            [{"product_id": self.bolt.id, "quantity": 1}],
            submission_token=self._token("tok-1"),
        )
        again = self.Request._create_from_portal(
            self.contact,
            [{"product_id": self.bolt.id, "quantity": 1}],
            submission_token=self._token("tok-1"),
        )
        self.assertEqual(first, again)

    def test_rpc_entry_point_uses_the_caller(self):
        portal = self._make_portal_user(self.contact, "ann_portal")
        request_id = self.Request.with_user(portal).create_from_portal(
            [{"product_id": self.bolt.id, "quantity": 2}]
        )
        request = self.Request.with_user(portal).browse(request_id)
        self.assertEqual(request.partner_id, self.contact)
        self.assertEqual(request.line_ids.product_uom_qty, 2)
        with self.assertRaises(AccessError):
            request.write({"state": "accepted"})


class DecisionTests:
    def test_accept_quotation(self):
        request = self._submit()
        action = self._accept(request, "quotation")
        order = request.sale_order_ids
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(action["res_id"], order.id)
        self.assertEqual(order.state, "sent")  # among the customer's quotations
        self.assertIn(self.contact, order.message_partner_ids)
        self.assertEqual(order.partner_id, self.contact)
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.origin, request.name)
        self.assertEqual(order.opportunity_id, request.opportunity_id)
        self.assertEqual(order.order_line.product_id, self.bolt)
        self.assertEqual(order.order_line.product_uom_qty, 12)
        self.assertEqual(order.order_line.price_unit, 2.0)
        self.assertEqual(request.sale_order_count, 1)
        self._check_accepted(request)
        # The customer got the accepted email.
        accepted = request.message_ids.filtered(
            lambda m: m.subject and "was accepted" in m.subject
        )
        self.assertIn(self.contact, accepted.notified_partner_ids)
        self.assertIn(f"/my/reorders/{request.id}?access_token=", accepted.body)

    def test_accept_sales_order_without_email(self):
        request = self._submit()
        self._accept(request, "sale_order", send_email=False)
        self.assertEqual(request.sale_order_ids.state, "sale")
        self.assertFalse(
            request.message_ids.filtered(
                lambda m: m.subject and "was accepted" in m.subject
            )
        )
        self._check_accepted(request)

    def test_accept_invoice(self):
        request = self._submit()
        self._accept(request, "invoice")
        invoice = request.invoice_ids
        # Posted, so that the customer finds it in the portal.
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        self.assertEqual(invoice.invoice_origin, request.name)
        self.assertEqual(invoice.invoice_user_id, self.salesman)
        self.assertEqual(invoice.invoice_line_ids.quantity, 12)
        self._check_accepted(request)

    def test_invoices_need_invoicing_rights(self):
        request = self._submit()
        with self.assertRaisesRegex(UserError, "invoicing rights"):
            request.with_user(self.salesman)._accept("invoice")
        self.assertEqual(request.state, "pending")
        request.with_user(self.salesman)._accept("quotation")
        self.assertEqual(request.state, "accepted")

    def test_accept_sales_receipt(self):
        request = self._submit()
        journal = self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.company.id)], limit=1
        )
        self._accept(request, "receipt", journal_id=journal)
        receipt = request.invoice_ids
        self.assertEqual((receipt.move_type, receipt.state), ("out_receipt", "posted"))
        self.assertIn(receipt.payment_state, ("paid", "in_payment"))
        self._check_accepted(request)

    def _assert_told(self, action, message):
        """A second decision is not an error: a notification says what happened
        and the dialog closes."""
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(message, action["params"]["message"])
        self.assertEqual(
            action["params"]["next"]["type"], "ir.actions.act_window_close"
        )

    def test_accept_twice_or_after_decline_is_refused(self):
        request = self._submit()
        self._accept(request, "quotation")
        self._assert_told(self._accept(request, "quotation"), "is already accepted")
        with self.assertRaisesRegex(UserError, "already accepted"):
            request._accept("quotation")  # RPC clients get the error
        self.assertEqual(len(request.sale_order_ids), 1)
        declined = self._submit()
        declined._decline("No stock")
        self._assert_told(self._accept(declined, "quotation"), "is already declined")
        self.assertFalse(declined.sale_order_ids)
        decline = self._decline_wizard(request, "too late")
        self._assert_told(decline.action_decline(), "is already accepted")
        self.assertEqual(request.state, "accepted")

    def test_two_users_deciding_at_once(self):
        """While one user's transaction holds the request, another's decision is
        refused at once instead of deciding it a second time, and nothing is logged
        as an error (expected contention)."""
        connection = db_connect(self.env.cr.dbname)
        with connection.cursor() as second_cr:
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            # A request the other connection can see: one committed before the test
            # (the test commits nothing of its own).
            pending = second["sale.reorder.request"].search(
                [("state", "=", "pending")], limit=1
            )
            if not pending:
                self.skipTest("no committed pending request in this database")
            # This test's transaction is the first user, deciding right now.
            self.Request.browse(pending.id)._lock_pending()
            with (
                self.assertNoLogs("odoo.sql_db", "ERROR"),
                self.assertRaisesRegex(UserError, "Another user is deciding"),
            ):
                pending._accept("quotation")
            second_cr.rollback()
        self.assertEqual(self.Request.browse(pending.id).state, "pending")

    def _decline_wizard(self, request, reason):
        wizard = Form(
            self.env["sale.reorder.decline"]
            .with_user(self.manager)
            .with_context(default_request_id=request.id)
        )
        wizard.reason = reason
        return wizard.save()

    def test_decline_with_email(self):
        request = self._submit()
        wizard = self._decline_wizard(request, "Discontinued <script>x</script>")
        self.assertEqual(wizard.template_id.name, "Reorder Request Declined")
        self.assertIn("Discontinued", wizard.body)
        self.assertNotIn("<script>", wizard.body)
        wizard.action_send_and_decline()
        self.assertEqual(request.state, "declined")
        self.assertEqual(request.decline_reason, "Discontinued <script>x</script>")
        lead = request.opportunity_id.with_context(active_test=False)
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id.name, "Reorder declined")
        sent = request.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(self.contact, sent.notified_partner_ids)
        self.assertIn("cannot fulfil", sent[0].body)
        self.assertIn(f"/my/reorders/{request.id}?access_token=", sent[0].body)

    def test_decline_without_email(self):
        request = self._submit()
        messages = request.message_ids
        self._decline_wizard(request, "").action_decline()
        self.assertEqual(request.state, "declined")
        new = request.message_ids - messages
        self.assertFalse(new.filtered(lambda m: m.message_type == "comment"))

    def test_email_contact_opens_the_composer_to_the_customer(self):
        request = self._submit()
        action = request.with_user(self.salesman).action_email_contact()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        self.assertEqual(composer.partner_ids[:], self.contact)
        composer.body = "<p>Which finish would you like?</p>"
        composer.save().action_send_mail()
        sent = request.message_ids[0]
        self.assertIn("Which finish", sent.body)
        self.assertIn(self.contact, sent.notified_partner_ids)

    def test_lines_only_change_while_pending(self):
        request = self._submit()
        with (
            Form(request.with_user(self.salesman)) as form,
            form.line_ids.edit(0) as line,
        ):
            line.product_uom_qty = 20
        self.assertEqual(request.amount_estimated, 40.0)
        request._decline()
        with self.assertRaises(UserError):
            request.line_ids.product_uom_qty = 1


@tagged("post_install", "-at_install")
class TestReorderRequest(ReorderableTests, SubmissionTests, DecisionTests, ReorderCase):
    """What may be reordered, the submission and the decisions, on one fixture (a
    class of its own each would pay for it three times)."""

    # Odoo's runner too runs the tests of the mixins (tests/test_suite.py).
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestReorderSecurity(ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One request per owner of the customer: Sam, Olga, nobody.
        cls.request_of = {}
        for owner in (cls.salesman, cls.other_salesman, cls.env["res.users"]):
            (cls.customer | cls.contact).user_id = owner
            cls.request_of[owner] = cls.Request._create_from_portal(
                cls.contact, [{"product_id": cls.bolt.id, "quantity": 1}], ""
            )
        (cls.customer | cls.contact).user_id = cls.salesman

    @users("reorder_salesman", "reorder_other_salesman")
    def test_salesman_sees_own_and_unassigned(self):
        me = self.env.user
        colleague = (self.salesman | self.other_salesman) - me
        own = self.request_of[me].with_env(self.env)
        unassigned = self.request_of[self.env["res.users"]].with_env(self.env)
        theirs = self.request_of[colleague].with_env(self.env)
        visible = self.env["sale.reorder.request"].search([])
        self.assertIn(own, visible)
        self.assertIn(unassigned, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.read(["name"])
        with self.assertRaises(AccessError):
            theirs.write({"user_id": me.id})

    @users("reorder_manager")
    def test_manager_sees_every_request(self):
        visible = self.env["sale.reorder.request"].search([])
        for request in self.request_of.values():
            self.assertIn(request, visible)

    def test_other_company_requests_are_hidden(self):
        request = self._submit()
        other_company = self.env["res.company"].create({"name": "Other Co"})
        user = new_test_user(
            self.env,
            login="reorder_other_company",
            groups="sales_team.group_sale_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertNotIn(request, self.Request.with_user(user).search([]))

    def test_templates_escape_the_comment(self):
        request = self._submit(comment="<img src=x onerror=alert(1)>")
        template = self.env.ref("sale_reorder.mail_template_reorder_notification")
        body = template._render_field("body_html", request.ids)[request.id]
        self.assertIsInstance(body, Markup)
        self.assertNotIn("<img", body)
        self.assertIn("&lt;img", body)
