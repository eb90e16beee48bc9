"""Items already on order are never due: not in step 1's "Due now", not reminded, not
in Request my usual, the /my count or the Due for Reorder report's due items."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from odoo import Command
from odoo.tests import tagged

from .common import DueDataMixin, ReorderHttpCase, item_names


@tagged("post_install", "-at_install")
class TestOnOrder(DueDataMixin, ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()  # washers: due now
        cls._buy_on(cls.customer, cls.nut, [140, 110, 80], 3)  # overdue
        cls._buy_on(cls.customer, cls.bolt, [40, 20], 1)  # no rhythm yet
        cls.Report = cls.env["sale.reorder.due.report"]

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    # -- Helpers ----------------------------------------------------------------------

    def _order(self, products, partner=None, confirm=False, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.contact).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5})
                    for product in products
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _statuses(self):
        """What every surface says of Acme's washers and nuts, now."""
        page = self._get("/my/reorders/new").text
        badges = dict(
            re.findall(
                r'o_sale_reorder_item_name">\s*([^<]+?)\s*<span[^>]*>([^<]+)</span>',
                page,
            )
        )
        usual = self.url_open("/my/reorders/usual", allow_redirects=False)
        query = parse_qs(urlsplit(usual.headers["Location"]).query)
        rows = self.Report.search([("partner_id", "=", self.customer.id)])
        return {
            "badges": badges,
            "due_filter": item_names(
                self._post("/my/reorders/new", {"filterby": "due"}).text
            ),
            "usual": sorted(int(pid) for pid in query.get("product_ids", [])),
            "report": {row.product_id.name: row.status for row in rows},
            "due_count": self.contact._get_reorder_due_count(self.company),
            "contact_count": self.contact.reorder_due_count,
        }

    # -- Tests ------------------------------------------------------------------------

    def test_an_order_confirmed_today_is_on_order_everywhere(self):
        before = self._statuses()
        self.assertEqual(before["badges"]["Washer M8"], "Due now")
        self.assertEqual(before["due_count"], 2)
        order = self._order([self.washer], confirm=True)
        self.assertEqual(order.state, "sale")
        after = self._statuses()
        self.assertEqual(after["badges"]["Washer M8"], "On order")
        self.assertEqual(after["badges"]["Nut M8"], "50 days overdue")
        self.assertEqual(after["due_filter"], ["Nut M8"])
        self.assertEqual(after["usual"], [self.nut.id], "not the washers again")
        self.assertEqual(after["report"]["Washer M8"], "on_order")
        self.assertEqual(after["report"]["Nut M8"], "overdue")
        self.assertEqual((after["due_count"], after["contact_count"]), (1, 1))
        home = self._get("/my").text
        self.assertIn("1 item due", home)
        # The report's Due filter (its default) and the reminder leave it out.
        due_rows = self.Report.search(
            [
                ("partner_id", "=", self.customer.id),
                ("status", "in", ("due", "overdue")),
            ]
        )
        self.assertEqual(due_rows.product_id, self.nut)
        mails, _done, _remaining = self._run()
        self.assertEqual(len(mails), 1)
        self.assertIn("Nut M8", mails.body_html)
        self.assertNotIn("Washer M8", mails.body_html)

    def test_nothing_but_items_on_order_means_no_reminder(self):
        self._order([self.washer, self.nut], confirm=True)
        mails, done, _remaining = self._run()
        self.assertEqual((len(mails), done), (0, 0))
        self.assertEqual(self._statuses()["usual"], [], "nothing due: step 1")

    def test_every_kind_of_open_document_and_when_it_stops(self):
        def washer_status():
            self.env.invalidate_all()
            return self._statuses()["report"]["Washer M8"]

        self.assertEqual(washer_status(), "due")
        # A pending reorder request (submitted by a colleague of the same customer).
        request = self._submit([{"product_id": self.washer.id, "quantity": 5}])
        self.assertEqual(washer_status(), "on_order")
        request.with_user(self.manager)._decline("no")
        self.assertEqual(washer_status(), "due")
        # An open quotation, until it expires or is cancelled.
        quotation = self._order([self.washer])
        self.assertEqual(washer_status(), "on_order")
        quotation.validity_date = self.today - timedelta(days=1)
        self.assertEqual(washer_status(), "due", "an expired quotation")
        quotation.validity_date = self.today
        self.assertEqual(washer_status(), "on_order")
        quotation._action_cancel()
        self.assertEqual(washer_status(), "due")
        # A confirmed order until it is invoiced: the invoice is the purchase.
        order = self._order([self.washer], confirm=True)
        self.assertEqual(washer_status(), "on_order")
        invoice = order._create_invoices()
        invoice.invoice_date = self.today
        self.assertEqual(washer_status(), "on_order", "a draft invoice is no purchase")
        invoice.action_post()
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.assertEqual(washer_status(), "not_due", "bought today: next in 30 days")
        # Credited back in full: on order again (the order is to invoice again).
        reversal = self.env["account.move.reversal"].create(
            {
                "move_ids": [Command.set(invoice.ids)],
                "journal_id": invoice.journal_id.id,
            }
        )
        reversal.refund_moves()
        invoice.reversal_move_ids.action_post()
        self.assertEqual(washer_status(), "on_order")

    def test_an_order_left_open_before_the_last_purchase_holds_nothing(self):
        """A confirmed order not fully invoiced but older than the customer's last
        purchase of the item (a backorder cancelled, a unit credited, an invoice
        made by hand): the item is due as its rhythm says, not on order forever."""
        order = self._order([self.washer], confirm=True)
        order.date_order = self.today - timedelta(days=45)  # before the last purchase
        self.assertEqual(self._statuses()["report"]["Washer M8"], "due")
        # Invoiced, then one unit credited: still no hold once bought.
        invoice = order._create_invoices()
        invoice.invoice_date = self.today
        invoice.action_post()
        credit = invoice._reverse_moves()
        credit.invoice_line_ids.quantity = 1
        credit.action_post()
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.assertLess(order.order_line.qty_invoiced, order.order_line.product_uom_qty)
        self.assertEqual(self._statuses()["report"]["Washer M8"], "not_due")
        # A new order after that purchase is on order again.
        self._order([self.washer], confirm=True).date_order = self.today + timedelta(
            days=1
        )
        self.assertEqual(self._statuses()["report"]["Washer M8"], "on_order")

    def test_a_draft_invoice_without_customer_holds_nothing(self):
        """A draft invoice saved without a customer (allowed in draft) is no one's
        order: every customer's due items are still reminded."""
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "invoice_line_ids": [Command.create({"product_id": self.washer.id})],
            }
        )
        mails, _done, _remaining = self._run()
        self.assertEqual(len(mails), 1)
        self.assertIn("Washer M8", mails.body_html)

    def test_only_the_customers_own_orders_in_its_company(self):
        self._order([self.washer], partner=self.other_customer, confirm=True)
        other_company = self.env["res.company"].create({"name": "Other Company"})
        self.env["sale.order"].with_company(other_company).create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "order_line": [Command.create({"product_id": self.washer.id})],
            }
        )
        self.assertEqual(self._statuses()["report"]["Washer M8"], "due")
        # A contact of the customer counts as the customer.
        self._order([self.washer], partner=self.customer)
        self.assertEqual(self._statuses()["report"]["Washer M8"], "on_order")

    def test_an_item_without_rhythm_is_shown_on_order_too(self):
        self._order([self.bolt], confirm=True)
        self.assertEqual(self._statuses()["badges"]["Bolt M8"], "On order")
