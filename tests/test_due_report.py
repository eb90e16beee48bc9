from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from odoo.addons.sale_reorder.models.sale_reorder_due_report import OPPORTUNITY_LOCK
from odoo.addons.sale_reorder.tools import try_advisory_xact_lock

from .common import DueDataMixin, ReorderHttpCase


@tagged("post_install", "-at_install")
class TestDueReport(DueDataMixin, ReorderHttpCase):
    """CRM > Reporting > Due for Reorder, its actions and the contact's button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()  # Acme (Sam's): washers due now
        cls._buy_on(cls.customer, cls.nut, [140, 110, 80], 3)  # overdue
        cls.other_customer.user_id = cls.other_salesman
        cls._buy_on(cls.other_customer, cls.washer, [100, 70, 40], 2)  # Olga's
        cls.Report = cls.env["sale.reorder.due.report"]

    def _rows(self, user=None, domain=()):
        Report = self.Report.with_user(user) if user else self.Report
        return Report.search(
            [("partner_id", "in", (self.customer | self.other_customer).ids), *domain]
        )

    def test_rows_status_and_amounts(self):
        rows = self._rows()
        by_key = {(row.partner_id, row.product_id): row for row in rows}
        nut = by_key[self.customer, self.nut]
        self.assertEqual(nut.status, "overdue")
        self.assertEqual(nut.days_overdue, 50)
        self.assertEqual(nut.interval_days, 30)
        self.assertEqual(nut.usual_quantity, 3)
        self.assertEqual(nut.user_id, self.salesman)
        self.assertAlmostEqual(nut.expected_amount, 3.0, msg="3 nuts at 1.00")
        washer = by_key[self.customer, self.washer]
        self.assertEqual((washer.status, washer.days_overdue), ("due", 0))
        self.assertEqual(by_key[self.other_customer, self.washer].status, "due")
        # Overdue first.
        self.assertEqual(rows[0], nut)
        self.assertEqual(
            self._rows(domain=[("status", "=", "overdue")]), nut, "the Overdue filter"
        )
        # Grouped by salesperson, in SQL.
        groups = dict(
            self.Report._read_group(
                [("id", "in", rows.ids)], ["user_id"], ["expected_amount:sum"]
            )
        )
        self.assertAlmostEqual(groups[self.salesman], 3.0 + 2.5)

    def test_each_salesperson_sees_their_customers(self):
        self.assertEqual(self._rows(self.salesman).partner_id, self.customer)
        self.assertEqual(
            self._rows(self.other_salesman).partner_id, self.other_customer
        )
        self.assertEqual(
            self._rows(self.manager).partner_id, self.customer | self.other_customer
        )
        self.assertEqual(self.customer.with_user(self.salesman).reorder_due_count, 2)
        self.assertEqual(self.contact.with_user(self.salesman).reorder_due_count, 2)
        action = self.customer.with_user(self.salesman).action_view_reorder_due_items()
        self.assertEqual(
            self.Report.with_user(self.salesman).search(action["domain"]).partner_id,
            self.customer,
        )
        # Never written to by anyone; the rhythms themselves only read by managers.
        with self.assertRaises(AccessError):
            self._rows(self.salesman).write({"usual_quantity": 1})
        with self.assertRaises(AccessError):
            self.env["sale.reorder.rhythm"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["sale.reorder.rhythm"].with_user(self.manager).search([]).write(
                {"usual_quantity": 1}
            )
        portal = self.env.ref("base.group_portal").users[:1] or self.portal_user
        with self.assertRaises(AccessError):
            self.Report.with_user(portal).search([])

    def test_send_reminder_now(self):
        rows = self._rows(self.salesman)
        before = self.env["mail.mail"].search([]).ids
        result = rows.action_send_reminder()
        self.assertEqual(result["params"]["type"], "success")
        mails = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(mails.recipient_ids, self.contact)
        # The same interval as the daily job: not twice.
        result = rows.action_send_reminder()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(
            len(self.env["mail.mail"].search([("id", "not in", before)])), 1
        )
        with self.assertRaises(AccessError):
            rows.action_send_reminder_force()
        self._rows(self.manager).filtered(
            lambda row: row.partner_id == self.customer
        ).action_send_reminder_force()
        self.assertEqual(
            len(self.env["mail.mail"].search([("id", "not in", before)])), 2
        )
        self.contact.reorder_reminder_opt_out = True
        result = self._rows(self.manager).action_send_reminder_force()
        self.assertEqual(
            len(self.env["mail.mail"].search([("id", "not in", before)])),
            2,
            "opted out, even forced",
        )

    def test_send_reminder_now_says_why_for_each_customer(self):
        """One notification: who was reminded, then each customer who was not with
        the one reason that applies to them."""
        Partner = self.env["res.partner"]

        def customer_due(name, email="", portal=True, **values):
            customer = Partner.create({"name": name, "is_company": True, **values})
            contact = Partner.create(
                {"name": f"{name} Buyer", "parent_id": customer.id, "email": email}
            )
            if portal:
                self._make_portal_user(contact, name.lower().replace(" ", "_"))
            self._buy_on(customer, self.washer, [90, 60, 30], 5)
            return customer, contact

        no_email = customer_due("No Mail Ltd")[1]
        company_out = customer_due("Quiet Co", "q@example.com")[1]
        company_out.parent_id.reorder_reminder_opt_out = True
        contact_out = customer_due("Shy Co", "s@example.com")[1]
        contact_out.reorder_reminder_opt_out = True
        done = customer_due("Done Co", "d@example.com")[1]
        self._buy_on(done.parent_id, self.washer, [0], 5)  # bought again today
        tried = customer_due("Tried Co", "t@example.com")[1]
        tried.reorder_reminder_attempt_date = self.today
        reminded = customer_due("Told Co", "r@example.com")[1]
        reminded.reorder_reminder_date = self.today - timedelta(days=3)
        fresh = customer_due("Fresh Co", "f@example.com")[1]
        customers = (
            self.other_customer  # no contact at all
            | (
                no_email + company_out + contact_out + done + tried + reminded + fresh
            ).commercial_partner_id
        )
        rows = self.Report.with_user(self.manager).search(
            [("partner_id", "in", customers.ids)]
        )
        result = rows.action_send_reminder()
        message = result["params"]["message"]
        self.assertEqual(result["params"]["type"], "warning")
        told_on = format_date(self.env, self.today - timedelta(days=3))
        next_date = format_date(self.env, self.today + timedelta(days=11))
        for line in (
            "Reminder sent to Fresh Co, Fresh Co Buyer (queued).",
            "Rival Corp: no contact with portal access.",
            "No Mail Ltd: no contact with portal access has an email address.",
            "Quiet Co: opted out of reorder reminders (on the customer).",
            "Shy Co: its contacts opted out of reorder reminders.",
            "Done Co: nothing is due any more.",
            (
                "Tried Co: already tried today, the email could not be sent (tried "
                "again tomorrow)."
            ),
            (
                f"Told Co: reminded on {told_on}, next possible on {next_date} (at "
                "most once every 14 days)."
            ),
        ):
            self.assertIn(line, message.splitlines())
        self.assertNotIn("Fresh Co:", message)
        self.assertEqual(fresh.reorder_reminder_date, self.today)
        self.assertFalse(no_email.reorder_reminder_date)

    def test_send_reminder_now_without_a_selection(self):
        with self.assertRaisesRegex(UserError, "Select the customers"):
            self.Report.with_user(self.salesman).action_send_reminder()

    def test_send_reminder_now_needs_reorder_requests_on(self):
        self.company.reorder_request_enabled = False
        with self.assertRaisesRegex(UserError, "does not take reorder requests"):
            self._rows(self.manager).action_send_reminder()

    def test_two_users_in_different_time_zones_see_the_companys_day(self):
        """Statuses and days overdue are of the company's today (its time zone),
        the same for every user and whatever time zone a request's context says,
        like Send Reminder Now, the reminders and the portal."""
        # The setting beside Due for reorder: the first time zone to see a new day.
        self.env["res.config.settings"].create(
            {"reorder_company_tz": "Etc/GMT-14"}
        ).execute()
        self.assertEqual(self.company.partner_id.tz, "Etc/GMT-14")
        ahead = new_test_user(
            self.env,
            login="reorder_kiritimati",
            groups="sales_team.group_sale_manager",
            tz="Etc/GMT-14",
        )
        behind = new_test_user(
            self.env,
            login="reorder_baker",
            groups="sales_team.group_sale_manager",
            tz="Etc/GMT+12",
        )
        now = datetime.now(ZoneInfo("UTC"))
        company_today = now.astimezone(ZoneInfo("Etc/GMT-14")).date()
        self.assertEqual(self.company._get_reorder_today(), company_today)
        self.assertNotEqual(
            now.astimezone(ZoneInfo("Etc/GMT+12")).date(), company_today, "a day apart"
        )
        domain = [
            ("partner_id", "=", self.customer.id),
            ("product_id", "=", self.nut.id),
        ]
        expected = (company_today - self._rows(domain=domain).next_date).days
        for user, context in (
            (ahead, {}),
            (behind, {}),
            (behind, {"tz": "Etc/GMT+12"}),
            (ahead, {"tz": "Etc/GMT+12"}),
        ):
            self.env.invalidate_all()  # one request is one user: not one cache
            Report = self.Report.with_user(user).with_context(**context)
            self.assertEqual(
                Report.search(domain).days_overdue, expected, (user.login, context)
            )

    def test_create_opportunity_once_per_customer_and_items(self):
        rows = self._rows(self.manager)
        action = rows.action_create_opportunity()
        leads = self.env["crm.lead"].search(
            action.get("domain") or [("id", "=", action.get("res_id"))]
        )
        self.assertEqual(leads.partner_id, self.customer | self.other_customer)
        tag = self.env.ref("sale_reorder.crm_tag_due_for_reorder")
        acme = leads.filtered(lambda lead: lead.partner_id == self.customer)
        self.assertEqual(acme.tag_ids, tag)
        self.assertEqual(acme.type, "opportunity")
        self.assertEqual(acme.user_id, self.salesman)
        self.assertEqual(acme.reorder_due_product_ids, self.nut | self.washer)
        self.assertAlmostEqual(acme.expected_revenue, 5.5)
        self.assertIn("Nut M8", acme.description)
        self.assertIn("Washer M8", acme.description)
        self.assertLess(
            acme.description.index("Nut M8"),
            acme.description.index("Washer M8"),
            "the overdue item first, as in the reminder",
        )
        # Not twice for the same items while one is open.
        with self.assertRaises(UserError):
            rows.action_create_opportunity()
        acme.action_set_lost()
        again = rows.filtered(lambda row: row.partner_id == self.customer)
        new = self.env["crm.lead"].browse(again.action_create_opportunity()["res_id"])
        self.assertEqual(new.reorder_due_product_ids, self.nut | self.washer)

    def test_not_twice_even_when_a_colleague_holds_the_opportunity(self):
        """Sam cannot read an opportunity reassigned to Olga, yet its items are
        not proposed again."""
        rows = self._rows(self.salesman)
        lead = self.env["crm.lead"].browse(rows.action_create_opportunity()["res_id"])
        lead.user_id = self.other_salesman
        self.assertFalse(lead.with_user(self.salesman).has_access("read"))
        with self.assertRaisesRegex(UserError, "already on open opportunities"):
            self._rows(self.salesman).action_create_opportunity()

    def test_a_salesperson_cannot_set_the_items_of_an_opportunity_over_rpc(self):
        """Olga cannot keep Sam's customer from being offered its due items with a
        tagged opportunity of her own that holds them: over RPC, create and write
        refuse the items; Sam's Create Opportunity then works."""
        tag = self.env.ref("sale_reorder.crm_tag_due_for_reorder")
        items = (self.nut | self.washer).ids
        values = {
            "name": "Acme Stores: due for reorder",
            "type": "opportunity",
            "partner_id": self.customer.id,
            "user_id": self.other_salesman.id,
            "tag_ids": [Command.set(tag.ids)],
        }
        not_yours = "set by Create Opportunity in CRM > Reporting > Due for Reorder"
        self.authenticate("reorder_other_salesman", "reorder_other_salesman")
        message = self._rpc_error(
            "crm.lead",
            "create",
            {**values, "reorder_due_product_ids": [Command.set(items)]},
        )
        self.assertIn(not_yours, message)
        lead = self.env["crm.lead"].browse(
            self._rpc("crm.lead", "create", values)["result"]
        )
        for commands in ([Command.set(items)], [Command.link(self.nut.id)]):
            with self.subTest(commands=commands):
                message = self._rpc_error(
                    "crm.lead",
                    "write",
                    [lead.id],
                    {"reorder_due_product_ids": commands},
                )
                self.assertIn(not_yours, message)
        self.assertFalse(lead.reorder_due_product_ids)
        self.assertFalse(lead.copy().reorder_due_product_ids, "a copy holds none")
        self.authenticate("reorder_salesman", "reorder_salesman")
        response = self._rpc(
            "sale.reorder.due.report",
            "action_create_opportunity",
            self._rows(self.salesman).ids,
            route="/web/dataset/call_button",
        )
        self.assertEqual(response.get("result", {}).get("res_model"), "crm.lead")
        new = self.env["crm.lead"].browse(response["result"]["res_id"])
        self.assertEqual(new.reorder_due_product_ids, self.nut | self.washer)
        self.assertEqual(new.user_id, self.salesman)

    def test_create_opportunity_says_which_opportunity_holds_the_items(self):
        """Items left out are named with the opportunity that holds them and its
        salesperson, even one the user cannot open; opportunities created for the
        others come with that notice."""
        acme = self._rows(self.salesman)
        washer = acme.filtered(lambda row: row.product_id == self.washer)
        held = self.env["crm.lead"].browse(washer.action_create_opportunity()["res_id"])
        held.user_id = self.other_salesman  # Sam cannot open it any more
        self.assertFalse(held.with_user(self.salesman).has_access("read"))
        held_line = (
            'Acme Stores: Washer M8, on "Acme Stores: due for reorder" (Olga Other).'
        )
        result = self._rows(self.manager).action_create_opportunity()
        self.assertEqual(result["tag"], "display_notification")
        message = result["params"]["message"].splitlines()
        self.assertEqual(message[1:], [held_line])
        self.assertIn("Opportunities created for Acme Stores, Rival Corp.", message[0])
        created = self.env["crm.lead"].search(result["params"]["next"]["domain"])
        self.assertEqual(created.partner_id, self.customer | self.other_customer)
        self.assertEqual(created.reorder_due_product_ids, self.nut | self.washer)
        # Everything of Acme's is held now: Sam is told where, over RPC.
        self.authenticate("reorder_salesman", "reorder_salesman")
        message = self._rpc_error(
            "sale.reorder.due.report",
            "action_create_opportunity",
            acme.ids,
            route="/web/dataset/call_button",
        )
        self.assertIn("already on open opportunities", message)
        self.assertIn(held_line, message.splitlines())
        self.assertIn(
            'Acme Stores: Nut M8, on "Acme Stores: due for reorder" (Sam Seller).',
            message.splitlines(),
        )

    def test_two_clicks_at_once_make_one_opportunity(self):
        """While another transaction creates an opportunity for Acme, a click on
        Acme's items is refused at once (and nothing is created)."""
        rows = self._rows(self.manager).filtered(
            lambda row: row.partner_id == self.customer
        )
        leads = self.env["crm.lead"].search_count([])
        with db_connect(self.env.cr.dbname).cursor() as other_cr:
            self.assertTrue(
                try_advisory_xact_lock(
                    other_cr, OPPORTUNITY_LOCK, self.company.id, self.customer.id
                ),
                "the other click holds Acme",
            )
            with self.assertRaisesRegex(UserError, "being created for these items"):
                rows.action_create_opportunity()
            other_cr.rollback()
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        self.assertTrue(rows.action_create_opportunity(), "once the other is done")

    def test_only_due_items_become_opportunities(self):
        self.company.reorder_due_lead_days = 0
        self._buy_on(self.customer, self.washer, [0], 5)
        washer = self._rows(
            domain=[
                ("partner_id", "=", self.customer.id),
                ("product_id", "=", self.washer.id),
            ]
        )
        self.assertEqual(washer.status, "not_due")
        with self.assertRaises(UserError):
            washer.action_create_opportunity()

    def test_the_report_opens(self):
        """The action's list (default filter Due), pivot and graph."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_reorder.sale_reorder_due_report_action"
        )
        Report = self.Report.with_user(self.salesman)
        for view in ("list", "pivot", "graph", "search"):
            Report.get_views([(False, view)])
        rows = Report.web_search_read(
            [("status", "in", ("due", "overdue"))],
            {"partner_id": {}, "product_id": {}, "status": {}},
            limit=80,
        )
        self.assertEqual(rows["length"], 2)
        self.assertEqual(action["context"], "{'search_default_due': 1}")
