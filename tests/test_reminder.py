import ast
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from markupsafe import escape as html_escape

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from odoo.addons.sale_reorder.models.res_partner import ResPartner
from odoo.addons.sale_reorder.tools import format_quantity

from .common import TRACEBACK, DueDataMixin, ReorderHttpCase


class ReminderOptOutTests:
    def test_the_link_stops_without_login(self):
        url = self.contact._get_reorder_reminder_opt_out_url()
        page = self._get(url).text
        self.assertIn("Stop these reminders?", page)
        self.assertFalse(self.contact.reorder_reminder_opt_out, "a GET stops nothing")
        page = self._post(url, {"stop": "1"}, csrf=False, status=200).text
        self.assertIn("receives no more reminders", page)
        self.assertTrue(self.contact.reorder_reminder_opt_out)
        self.assertFalse(self._run()[0])
        # Changed their mind.
        page = self._post(url, {"resume": "1"}, csrf=False, status=200).text
        self.assertIn("reminders are back on", page)
        self.assertFalse(self.contact.reorder_reminder_opt_out)

    def test_any_token_but_the_right_one_gets_the_same_refusal(self):
        """Whatever a link carries as its token (typed, mangled by a mail scanner, a
        probe) gets the 404 of a wrong one, on GET and POST, with nothing logged."""
        url = self.contact._get_reorder_reminder_opt_out_url()
        base, token = url.rsplit("/", 1)
        tokens = {
            "non-ASCII": "é" * len(token),
            "non-ASCII after the right start": token[:-1] + "é",
            "emoji": "\N{GRINNING FACE}",
            "very long": token * 100,
            "percent-encoded bytes that are no UTF-8": "%FF%FE%00",
            "percent-encoded UTF-8": "%C3%A9" + token[1:],
            "NUL": "%00",
            "spaces": "%20%20",
            "upper case": token.upper(),
        }
        for label, bad in tokens.items():
            for method in ("GET", "POST"):
                with (
                    self.subTest(label, method=method),
                    self.assertNoLogs("odoo", "ERROR"),
                ):
                    if method == "GET":
                        self._get(f"{base}/{bad}", status=404)
                    else:
                        self._post(f"{base}/{bad}", {}, csrf=False, status=404)
        # No token at all: no such page (with the website app, after its redirect to
        # the URL without the trailing slash).
        for data in (None, {"stop": "1"}):
            with self.subTest(data=data):
                response = self.url_open(f"{base}/", data=data)
                self.assertEqual(response.status_code, 404)
                self.assertNotRegex(response.text, TRACEBACK)
        self.assertFalse(self.contact.reorder_reminder_opt_out)

    def test_a_wrong_token_or_contact_is_not_found(self):
        url = self.contact._get_reorder_reminder_opt_out_url()
        for bad in (
            url[:-4] + "0000",
            url.replace(f"/{self.contact.id}/", f"/{self.customer.id}/"),
            url.replace(f"/{self.contact.id}/", "/999999999/"),
        ):
            self._get(bad, status=404)
            self._post(bad, {"stop": "1"}, csrf=False, status=404)
        self.assertFalse(self.contact.reorder_reminder_opt_out)


@tagged("post_install", "-at_install")
class TestReminderJob(ReminderOptOutTests, DueDataMixin, ReorderHttpCase):
    # Odoo's runner too runs the tests of the mixins (tests/test_suite.py).
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()

    def test_one_reminder_with_the_due_items_and_links(self):
        chatter = [
            ("model", "=", "res.partner"),
            ("res_id", "=", self.contact.id),
            ("message_type", "!=", "email_outgoing"),  # the mail itself
        ]
        messages = self.env["mail.message"].search_count(chatter)
        mails, done, remaining = self._run()
        self.assertEqual((len(mails), done, remaining), (1, 1, 0))
        mail = mails
        self.assertEqual(mail.recipient_ids, self.contact, "Ann only")
        self.assertEqual(mail.state, "outgoing", "queued, not sent in the job")
        self.assertIn("sam@example.com", mail.email_from, "from the salesperson")
        self.assertIn("time to reorder", mail.subject)
        body = mail.body_html
        self.assertIn("Your Reorder Reminder", body, "in Odoo's light layout")
        self.assertNotIn("Your Contact", body)
        self.assertIn("Washer M8", body)
        self.assertIn("usually 5", body)
        self.assertIn("Due now", body)
        self.assertNotIn("Bolt M8", body, "not bought on a rhythm")
        self.assertIn(html_escape(self.contact._get_reorder_usual_url()), body)
        opt_out = self.contact._get_reorder_reminder_opt_out_url()
        self.assertIn(opt_out, body)
        headers = ast.literal_eval(mail.headers)
        self.assertEqual(headers["List-Unsubscribe"], f"<{opt_out}>")
        self.assertEqual(self.contact.reorder_reminder_date, self.today)
        # Nothing in the contact's chatter, no one else notified.
        self.assertEqual(self.env["mail.message"].search_count(chatter), messages)

    def test_the_mail_queue_is_called_at_once(self):
        """Queued, not sent in the job, but the mail queue's scheduled action is
        asked to run now rather than at its next hourly run."""
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", queue.id)])
        self.assertEqual(len(self._run()[0]), 1)
        self.assertTrue(Trigger.search([("cron_id", "=", queue.id)]) - before)

    def test_quantities_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self.env(context={"lang": "fr_FR"})
        self.assertEqual(format_quantity(french, 2.5), "2,5")
        self.assertEqual(
            format_quantity(self.env(context={"lang": "en_US"}), 1000), "1,000"
        )
        self.assertEqual(format_quantity(self.env(context={"lang": "en_US"}), 12), "12")

    def test_twice_on_one_day_sends_nothing_twice(self):
        self.assertEqual(len(self._run()[0]), 1)
        self.assertEqual(self._run()[:2], (self.env["mail.mail"], 0))

    def test_the_interval_between_reminders(self):
        self.contact.reorder_reminder_date = self.today - timedelta(days=13)
        self.assertFalse(self._run()[0])
        self.contact.reorder_reminder_date = self.today - timedelta(days=14)
        self.assertEqual(len(self._run()[0]), 1)

    def test_opted_out_or_switched_off(self):
        self.contact.reorder_reminder_opt_out = True
        self.assertFalse(self._run()[0])
        self.contact.reorder_reminder_opt_out = False
        self.company.reorder_reminder_enabled = False
        self.assertFalse(self._run()[0], "reminders off (the default)")
        self.company.reorder_reminder_enabled = True
        self.company.reorder_due_enabled = False
        self.assertFalse(self._run()[0], "due for reorder off")
        self.company.reorder_due_enabled = True
        self.washer.available_for_reorder = False
        self.assertFalse(self._run()[0], "no longer offered for reorder")
        self.washer.available_for_reorder = True
        self.assertEqual(len(self._run()[0]), 1)

    def test_opted_out_for_the_whole_company(self):
        """Ticked on the customer's company (where staff see its Due Items), none
        of its contacts is reminded."""
        self.customer.reorder_reminder_opt_out = True
        self.assertEqual(self._run()[:2], (self.env["mail.mail"], 0))

    def test_no_template_no_reminder_and_the_job_ends(self):
        """An administrator cleared the template: that company is left out (a
        warning), and the job reports nothing left, so the scheduler does not run
        it again and again."""
        self.company.reorder_reminder_template_id = False
        with self.assertLogs("odoo.addons.sale_reorder", "WARNING") as logs:
            mails, done, remaining = self._run()
        self.assertEqual((mails, done, remaining), (self.env["mail.mail"], 0, 0))
        self.assertEqual(len(logs.output), 1, "one warning per batch")
        self.assertIn("no reminder template", logs.output[0])
        with self.assertRaisesRegex(UserError, "no reminder template"):
            self.env["sale.reorder.reminder"]._send_to_customers(
                self.customer, self.company
            )

    def test_the_most_overdue_item_first(self):
        self._buy_on(self.customer, self.nut, [160, 120, 80], 3)  # overdue
        self._buy_on(self.customer, self.bolt, [200, 150, 100], 2)  # longer overdue
        body = self._run()[0].body_html
        self.assertLess(body.index("Bolt M8"), body.index("Nut M8"))
        self.assertLess(body.index("Nut M8"), body.index("Washer M8"), "due last")

    def test_the_link_of_a_contact_who_has_logged_in(self):
        """Step 2 through the login page: no token that would let anyone holding
        the email choose the account's password, even while an old invitation is
        pending."""
        self.contact.signup_prepare()
        user = self.contact.user_ids
        user.with_user(user)._update_last_login()  # the log is the login's user's
        self.env.invalidate_all()
        url = self.contact._get_reorder_usual_url()
        self.assertEqual(
            url,
            self.contact.get_base_url()
            + "/web/login?redirect=%2Fmy%2Freorders%2Fusual",
        )
        self.assertNotIn("token", url)

    def test_nothing_due_no_reminder(self):
        self.company.reorder_due_lead_days = 0
        self._buy_on(self.customer, self.washer, [0], 5)  # bought today again
        self.assertFalse(self._run()[0])

    def test_batches_resume(self):
        other = self.env["res.partner"].create(
            {
                "name": "Bea Buyer",
                "parent_id": self.customer.id,
                "email": "bea@example.com",
            }
        )
        self._make_portal_user(other, "bea_portal")
        mails, done, remaining = self._run(batch_size=1)
        self.assertEqual((len(mails), done, remaining), (1, 1, 1))
        self.assertEqual(mails.recipient_ids, self.contact, "in contact order")
        mails, done, remaining = self._run(batch_size=1)
        self.assertEqual((mails.recipient_ids, done, remaining), (other, 1, 0))
        self.assertEqual(self._run(batch_size=1)[1:], (0, 0))

    def test_progress_reported_to_the_scheduler(self):
        cron = self.env.ref("sale_reorder.ir_cron_sale_reorder_reminder")
        cron, progress = cron._add_progress()
        self.env["sale.reorder.reminder"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_send_reminders()
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_one_failure_does_not_stop_the_others(self):
        other_customer = self.env["res.partner"].create(
            {"name": "Zed Corp", "is_company": True, "email": "zed@example.com"}
        )
        self._make_portal_user(other_customer, "zed_portal")
        self._buy_on(other_customer, self.washer, [90, 60, 30], 5)
        headers = ResPartner._get_reorder_reminder_headers

        def broken_for_ann(partner):
            if partner == self.contact:
                raise ValueError("the mail server said no")
            return headers(partner)

        with (
            patch.object(ResPartner, "_get_reorder_reminder_headers", broken_for_ann),
            self.assertLogs("odoo.addons.sale_reorder", "ERROR") as logs,
        ):
            mails, done, remaining = self._run()
        self.assertIn(f"contact {self.contact.id} failed", logs.output[0])
        self.assertEqual(mails.recipient_ids, other_customer)
        self.assertEqual((done, remaining), (2, 0), "not tried again today")
        self.assertFalse(self.contact.reorder_reminder_date)
        self.assertEqual(self.contact.reorder_reminder_attempt_date, self.today)
        # The next day, it is tried again.
        self.contact.reorder_reminder_attempt_date = self.today - timedelta(days=1)
        self.assertEqual(self._run()[0].recipient_ids, self.contact)

    def test_the_link_opens_step_2_with_the_usual_quantities(self):
        self._buy_on(self.customer, self.nut, [95, 65, 35], 12)
        response = self.url_open("/my/reorders/usual", allow_redirects=False)
        self.assertIn("/web/login", response.headers["Location"], "through login")
        self.authenticate("ann_portal", "ann_portal")
        response = self._get("/my/reorders/usual", status=303)
        query = parse_qs(urlsplit(response.headers["Location"]).query)
        self.assertEqual(query["step"], ["2"])
        self.assertEqual(
            sorted(query["product_ids"]),
            sorted([str(self.washer.id), str(self.nut.id)]),
        )
        self.assertEqual(query[f"quantity_{self.washer.id}"], ["5"])
        self.assertEqual(query[f"quantity_{self.nut.id}"], ["12"])
        page = self._get(response.headers["Location"]).text
        self.assertIn(f'name="quantity_{self.nut.id}" value="12"', page)

    def test_nothing_due_lands_on_step_1(self):
        self.company.reorder_due_lead_days = 0
        self._buy_on(self.customer, self.washer, [0], 5)
        self.authenticate("ann_portal", "ann_portal")
        response = self._get("/my/reorders/usual", status=303)
        page = self._get(response.headers["Location"]).text
        self.assertIn("Nothing is due for reorder right now", page)


@tagged("post_install", "-at_install")
class TestReminderRuleIsTheCompanys(DueDataMixin, ReorderHttpCase):
    """The interval between two reminders and the day it counts from are the
    company's rule: a salesperson moves neither over RPC."""

    NOT_YOURS = "is recorded by the reminders themselves"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()
        cls.reminded = cls.today - timedelta(days=3)
        cls.contact.write(
            {
                "reorder_reminder_date": cls.reminded,
                "reorder_reminder_attempt_date": cls.reminded,
            }
        )

    def _assert_dates_unchanged(self):
        self.env.invalidate_all()
        self.assertEqual(self.contact.reorder_reminder_date, self.reminded)
        self.assertEqual(self.contact.reorder_reminder_attempt_date, self.reminded)

    def test_a_salesperson_cannot_clear_the_last_reminder_over_rpc(self):
        self.authenticate("reorder_salesman", "reorder_salesman")
        for values in (
            {"reorder_reminder_date": False},
            {"reorder_reminder_date": str(self.today - timedelta(days=30))},
            {"reorder_reminder_attempt_date": False},
            {"reorder_reminder_date": False, "reorder_reminder_attempt_date": False},
        ):
            with self.subTest(values=values):
                message = self._rpc_error(
                    "res.partner", "write", [self.contact.id], values
                )
                self.assertIn(self.NOT_YOURS, message)
        message = self._rpc_error(
            "res.partner",
            "create",
            {
                "name": "Cy Buyer",
                "parent_id": self.customer.id,
                "reorder_reminder_date": "2020-01-01",
            },
        )
        self.assertIn(self.NOT_YOURS, message)
        self._assert_dates_unchanged()
        self.assertFalse(self._run()[0], "still within the interval")
        # The rest of the contact is theirs to edit; the same date sent back (as a
        # form or a merge does) changes nothing and is accepted.
        response = self._rpc(
            "res.partner",
            "write",
            [self.contact.id],
            {"phone": "+1 555 0100", "reorder_reminder_date": str(self.reminded)},
        )
        self.assertIs(response.get("result"), True, response)
        self.assertEqual(self.contact.phone, "+1 555 0100")
        with self.assertRaisesRegex(AccessError, self.NOT_YOURS):
            self.contact.with_user(self.manager).reorder_reminder_date = False
        self._assert_dates_unchanged()

    def test_an_administrator_may_correct_it(self):
        admin = self.env.ref("base.user_admin")
        self.contact.with_user(admin).reorder_reminder_date = False
        self.assertEqual(len(self._run()[0]), 1)

    def test_merged_contacts_keep_the_latest_reminder(self):
        """A salesperson merges a duplicate of Ann: the merged contact is not
        reminded sooner for it."""
        duplicate = self.env["res.partner"].create(
            {
                "name": "Ann Buyer",
                "parent_id": self.customer.id,
                "email": "ann@example.com",
            }
        )
        self.contact.reorder_reminder_date = self.reminded - timedelta(days=20)
        duplicate.reorder_reminder_date = self.reminded
        salesperson = new_test_user(
            self.env,
            login="reorder_merger",
            groups="sales_team.group_sale_salesman,base.group_partner_manager,"
            "account.group_account_invoice",
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(salesperson)
            .create({})
        )
        wizard._merge((self.contact | duplicate).ids, self.contact)
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.contact.reorder_reminder_date, self.reminded)
        self.assertFalse(self._run()[0])

    def test_the_day_is_the_companys_whatever_the_context_says(self):
        """A salesperson's request saying the time zone furthest ahead does not
        bring the next reminder closer: Send Reminder Now and the daily job count
        from the company's day."""
        self.company.partner_id.tz = "Etc/GMT+12"  # the last to see a new day
        today = self.company._get_reorder_today()
        reminded = today - timedelta(days=13)  # possible again tomorrow
        self.contact.write(
            {"reorder_reminder_date": reminded, "reorder_reminder_attempt_date": False}
        )
        rows = self.env["sale.reorder.due.report"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertTrue(rows)
        before = self.env["mail.mail"].search_count([])
        self.authenticate("reorder_salesman", "reorder_salesman")
        response = self._rpc(
            "sale.reorder.due.report",
            "action_send_reminder",
            rows.ids,
            route="/web/dataset/call_button",
            context={"tz": "Etc/GMT-14"},  # a day or two ahead of the company
        )
        message = response["result"]["params"]["message"]
        self.assertIn(
            f"Acme Stores: reminded on {format_date(self.env, reminded)}, next "
            f"possible on {format_date(self.env, today + timedelta(days=1))}",
            message,
        )
        self.assertEqual(self.env["mail.mail"].search_count([]), before)
        Reminder = self.env["sale.reorder.reminder"].with_context(tz="Etc/GMT-14")
        self.assertEqual(Reminder._cron_send_reminders(), (0, 0))
        self.env.invalidate_all()
        self.assertEqual(self.contact.reorder_reminder_date, reminded)
