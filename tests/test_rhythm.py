import itertools
import statistics
from collections import defaultdict
from datetime import date, timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import ReorderCase

# The columns compared, the numbers rounded alike (stored as numeric, computed as
# double precision).
RHYTHM_COLUMNS = SQL(
    "company_id, partner_id, product_id, purchase_count, last_date, "
    "ROUND(interval_days::numeric, 6), ROUND(usual_quantity::numeric, 6), next_date"
)


class RhythmMixin:
    def _rhythm(self, product, partner=None, company=None):
        """The stored rhythm (after this transaction's pending refreshes)."""
        Rhythm = self.env["sale.reorder.rhythm"]
        Rhythm._refresh_pending()
        return Rhythm.search(
            [
                ("partner_id", "=", (partner or self.customer).id),
                ("product_id", "=", product.id),
                ("company_id", "=", (company or self.env.company).id),
            ]
        )

    def _stored(self):
        Rhythm = self.env["sale.reorder.rhythm"]
        Rhythm._refresh_pending()
        Rhythm.flush_model()
        self.env.cr.execute(
            SQL("SELECT %s FROM sale_reorder_rhythm ORDER BY 1, 2, 3", RHYTHM_COLUMNS)
        )
        return self.env.cr.fetchall()

    def _from_scratch(self):
        """Every rhythm computed from the documents now, in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (%s) q ORDER BY 1, 2, 3",
                RHYTHM_COLUMNS,
                self.env["sale.reorder.rhythm"]._get_rhythm_query(SQL("TRUE")),
            )
        )
        return self.env.cr.fetchall()

    def _from_the_lines(self):
        """Every rhythm computed again in Python from the ORM's lines, as the
        README says it: an oracle that shares nothing with the SQL."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("display_type", "=", "product"),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", ("out_invoice", "out_receipt")),
                    ("quantity", ">", 0),
                    ("partner_id", "!=", False),
                ]
            )
        )
        by_day = defaultdict(lambda: defaultdict(float))
        for line in lines:
            move, company = line.move_id, line.company_id
            if move.move_type == "out_invoice":
                counts = company.reorder_from_invoices
                counts = counts and move.payment_state != "reversed"
            else:
                counts = company.reorder_from_receipts
                counts = counts and move.payment_state in ("paid", "in_payment")
            if not counts or not line.invoice_date:
                continue
            quantity = line.product_uom_id._compute_quantity(
                line.quantity, line.product_id.uom_id, round=False
            )
            key = (company.id, line.partner_id.id, line.product_id.id)
            by_day[key][line.invoice_date] += quantity
        rhythms = []
        for key, quantities in by_day.items():
            days = sorted(quantities)
            if len(days) < 3:
                continue
            interval = statistics.median(
                (later - earlier).days for earlier, later in itertools.pairwise(days)
            )
            if interval < 1:
                continue
            usual = statistics.median(quantities.values())
            next_date = days[-1] + timedelta(days=round(interval))
            rhythms.append(
                (
                    *key,
                    len(days),
                    days[-1],
                    round(interval, 6),
                    round(usual, 6),
                    next_date,
                )
            )
        return sorted(rhythms)

    def _assertKeptRight(self):
        stored = self._stored()
        self.assertEqual(stored, self._from_scratch())
        self.assertEqual(
            [(*row[:5], float(row[5]), float(row[6]), row[7]) for row in stored],
            self._from_the_lines(),
            "the stored rhythms are those computed from the lines in Python",
        )


class RhythmKeptRightTests:
    """The stored rhythms follow the documents: posted, reset, cancelled, paid."""

    def _three_invoices(self, product=None, partner=None):
        return [
            self._post_move(
                partner or self.customer, [(product or self.washer, 5, 1.0)], date=day
            )
            for day in ("2026-01-01", "2026-02-01", "2026-03-01")
        ]

    def test_post_reset_cancel(self):
        invoices = self._three_invoices()
        self.assertTrue(self._rhythm(self.washer))
        invoices[1].button_draft()
        self.assertFalse(self._rhythm(self.washer), "reset to draft")
        self._assertKeptRight()
        invoices[1].action_post()
        self.assertEqual(self._rhythm(self.washer).purchase_count, 3, "posted again")
        invoices[2].button_draft()
        invoices[2].button_cancel()
        self.assertFalse(self._rhythm(self.washer), "cancelled")
        self._assertKeptRight()

    def test_a_sales_receipt_counts_once_paid(self):
        self._post_move(self.customer, [(self.washer, 5, 1.0)], date="2026-01-01")
        self._post_move(self.customer, [(self.washer, 5, 1.0)], date="2026-02-01")
        receipt = self._post_move(
            self.customer,
            [(self.washer, 5, 1.0)],
            move_type="out_receipt",
            date="2026-03-01",
        )
        self.assertFalse(self._rhythm(self.washer), "not paid yet")
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=receipt.ids)
            .create({})
            ._create_payments()
        )
        self.assertEqual(self._rhythm(self.washer).purchase_count, 3, "paid")
        payment.action_draft()  # the payment undone: the receipt is unpaid again
        self.assertFalse(self._rhythm(self.washer))
        self._assertKeptRight()

    def test_another_customer_on_a_posted_invoice(self):
        """Odoo refuses it in the form; code and imports may (skip_readonly_check)."""
        invoices = self._three_invoices()
        invoices[0].with_context(
            skip_readonly_check=True
        ).partner_id = self.other_customer
        self.assertFalse(self._rhythm(self.washer), "two purchases left")
        self._assertKeptRight()

    def test_contacts_merged(self):
        """Two records of one customer, merged: their purchases make one rhythm."""
        duplicate = self.env["res.partner"].create(
            {"name": "Acme Stores (old)", "is_company": True}
        )
        self._post_move(self.customer, [(self.washer, 5, 1.0)], date="2026-01-01")
        self._post_move(self.customer, [(self.washer, 5, 1.0)], date="2026-02-01")
        self._post_move(duplicate, [(self.washer, 5, 1.0)], date="2026-03-01")
        self._post_move(duplicate, [(self.washer, 5, 1.0)], date="2026-04-01")
        self.assertFalse(self._rhythm(self.washer))
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.customer | duplicate).ids, self.customer
        )
        self.assertEqual(self._rhythm(self.washer).purchase_count, 4)
        self._assertKeptRight()

    def test_another_unit_for_the_product(self):
        self._three_invoices()  # 5 units each
        self.assertEqual(self._rhythm(self.washer).usual_quantity, 5)
        self.washer.uom_id = self.env.ref("uom.product_uom_dozen")
        self.assertAlmostEqual(self._rhythm(self.washer).usual_quantity, 5 / 12)
        self._assertKeptRight()

    def test_a_refresh_runs_once_per_transaction_before_the_commit(self):
        self._three_invoices()
        pending = self.env.cr.precommit.data.get("sale_reorder.rhythm.pending")
        self.assertIn((self.env.company.id, self.customer.id, self.washer.id), pending)
        self.env.cr.flush()  # what a commit runs
        self.assertNotIn("sale_reorder.rhythm.pending", self.env.cr.precommit.data)
        self.assertEqual(self._rhythm(self.washer).purchase_count, 3)

    def test_rebuild_and_settings(self):
        self._three_invoices()
        self._three_invoices(self.nut, self.other_customer)
        Rhythm = self.env["sale.reorder.rhythm"]
        before = self._stored()
        self.env.cr.execute("DELETE FROM sale_reorder_rhythm")
        Rhythm._rebuild()
        self.assertEqual(self._stored(), before)
        self._assertKeptRight()
        # Invoices no longer count: the rhythms go, and come back with them.
        self.env.company.reorder_from_invoices = False
        self.assertFalse(self._rhythm(self.washer))
        self.env.company.reorder_from_invoices = True
        self.assertTrue(self._rhythm(self.washer))
        self._assertKeptRight()

    def test_expected_amount_at_the_customers_pricelist(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Acme prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.washer.id,
                            "compute_price": "fixed",
                            "fixed_price": 0.4,
                        }
                    )
                ],
            }
        )
        self.customer.property_product_pricelist = pricelist
        self._three_invoices()
        self.assertAlmostEqual(
            self._rhythm(self.washer).expected_amount, 2.0
        )  # 5 × 0.4
        # A new price, the rhythm unchanged: the next day's job prices it again.
        pricelist.item_ids.fixed_price = 0.3
        Rhythm = self.env["sale.reorder.rhythm"]
        self.env.cr.execute(
            "UPDATE sale_reorder_rhythm SET priced_date = %s",
            [date.today() - timedelta(days=1)],
        )
        Rhythm.invalidate_model()
        count = Rhythm.search_count([])
        priced, remaining = Rhythm._cron_price_expected_amounts(batch_size=1)
        self.assertEqual((priced, remaining), (1, count - 1), "in batches")
        while remaining:
            remaining = Rhythm._cron_price_expected_amounts()[1]
        self.assertAlmostEqual(self._rhythm(self.washer).expected_amount, 1.5)
        self.assertEqual(Rhythm._cron_price_expected_amounts(), (0, 0), "once a day")


class RhythmArithmeticTests:
    """The usual interval, quantity and next date of one customer and product, on
    the edge cases."""

    def _buy(self, product, *purchases, partner=None, **kwargs):
        return [
            self._post_move(
                partner or self.customer, [(product, qty, 1.0)], date=day, **kwargs
            )
            for day, qty in purchases
        ]

    def test_two_dates_are_no_rhythm(self):
        self._buy(self.washer, ("2026-01-01", 5), ("2026-02-01", 5))
        self.assertFalse(self._rhythm(self.washer))

    def test_three_regular_dates(self):
        self._buy(
            self.washer, ("2026-01-01", 10), ("2026-01-31", 30), ("2026-03-02", 20)
        )
        rhythm = self._rhythm(self.washer)
        self.assertEqual(rhythm.purchase_count, 3)
        self.assertEqual(rhythm.interval_days, 30)
        self.assertEqual(rhythm.usual_quantity, 20)
        self.assertEqual(rhythm.last_date, date(2026, 3, 2))
        self.assertEqual(rhythm.next_date, date(2026, 4, 1))

    def test_same_day_repeats_count_once_and_add_up(self):
        self._buy(
            self.washer,
            ("2026-01-01", 4),
            ("2026-01-01", 6),  # the same day: one purchase of 10
            ("2026-01-11", 10),
        )
        self.assertFalse(self._rhythm(self.washer), "two dates only")
        self._buy(self.washer, ("2026-01-21", 12))
        rhythm = self._rhythm(self.washer)
        self.assertEqual(rhythm.purchase_count, 3)
        self.assertEqual(rhythm.interval_days, 10)
        self.assertEqual(rhythm.usual_quantity, 10)

    def test_irregular_gaps_take_the_median(self):
        # Gaps of 10, 40 and 20 days: the median is 20, whatever their order.
        self._buy(
            self.washer,
            ("2026-01-01", 1),
            ("2026-01-11", 2),
            ("2026-02-20", 3),
            ("2026-03-12", 100),
        )
        rhythm = self._rhythm(self.washer)
        self.assertEqual(rhythm.interval_days, 20)
        self.assertEqual(rhythm.usual_quantity, 2.5, "the median of 1, 2, 3, 100")
        self.assertEqual(rhythm.next_date, date(2026, 4, 1))

    def test_credit_notes_are_not_purchases(self):
        invoices = self._buy(
            self.washer, ("2026-01-01", 5), ("2026-02-01", 5), ("2026-03-01", 5)
        )
        self._post_move(
            self.customer,
            [(self.washer, 5, 1.0)],
            move_type="out_refund",
            date="2026-03-05",
        )
        self.assertEqual(self._rhythm(self.washer).purchase_count, 3)
        # Fully crediting an invoice takes its purchase away.
        invoices[2]._reverse_moves(cancel=True)
        self.assertEqual(invoices[2].payment_state, "reversed")
        self.assertFalse(self._rhythm(self.washer), "two purchases left")
        self._assertKeptRight()

    def test_units_are_converted_to_the_products_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.washer.id,
                                "quantity": 2,
                                "product_uom_id": dozen.id,
                                "price_unit": 5.0,
                            }
                        )
                    ],
                }
            )
            move.action_post()
        self.assertEqual(self._rhythm(self.washer).usual_quantity, 24)
        # The portal offers it in the unit of the last purchase: 2 dozens.
        item = self.customer._get_reorderable_products()[self.washer]
        self.assertEqual(item["uom"], dozen)
        self.assertEqual(item["usual_quantity"], 2)

    def test_a_contact_buys_for_its_company(self):
        self._buy(
            self.washer,
            ("2026-01-01", 5),
            ("2026-02-01", 5),
            ("2026-03-01", 5),
            partner=self.contact,
        )
        self.assertEqual(self._rhythm(self.washer).partner_id, self.customer)

    def test_status_through_time(self):
        Rhythm = self.env["sale.reorder.rhythm"]
        expected = date(2026, 4, 1)

        def status(today, interval=30, lead=7):
            return Rhythm._get_due_status(expected, interval, lead, today)

        self.assertEqual(status(date(2026, 3, 24)), ("not_due", 8))
        self.assertEqual(status(date(2026, 3, 25)), ("due", 7), "lead days before")
        self.assertEqual(status(date(2026, 4, 1)), ("due", 0))
        # Grace: max(7, half the interval) = 15 days past the expected date.
        self.assertEqual(status(date(2026, 4, 16)), ("due", -15))
        self.assertEqual(status(date(2026, 4, 17)), ("overdue", 16))
        # A weekly rhythm: 7 days of grace, not 3.5.
        self.assertEqual(status(date(2026, 4, 8), interval=7), ("due", -7))
        self.assertEqual(status(date(2026, 4, 9), interval=7), ("overdue", 8))
        self.assertEqual(status(date(2026, 3, 31), lead=0), ("not_due", 1))
        self.assertEqual(Rhythm._get_due_label("due", 0), "Due now")
        self.assertEqual(Rhythm._get_due_label("due", 5), "Due in 5 days")
        self.assertEqual(Rhythm._get_due_label("overdue", 12), "12 days overdue")
        self.assertEqual(Rhythm._get_due_label("not_due", 12), "")

    def test_the_report_computes_the_same_status_in_sql(self):
        today = date.today()
        Rhythm = self.env["sale.reorder.rhythm"]
        for next_in, interval in (
            (9, 30),
            (7, 30),
            (0, 30),
            (-15, 30),
            (-16, 30),
            (-8, 7),
        ):
            next_date = today + timedelta(days=next_in)
            self.env.cr.execute(
                SQL(
                    "SELECT %s FROM (SELECT %s::date AS next_date, "
                    "%s AS interval_days) r",
                    Rhythm._get_status_sql("r", 7, SQL("CURRENT_DATE")),
                    next_date,
                    interval,
                )
            )
            self.assertEqual(
                self.env.cr.fetchone()[0],
                Rhythm._get_due_status(next_date, interval, 7, today)[0],
                (next_in, interval),
            )


@tagged("post_install", "-at_install")
class TestRhythm(RhythmArithmeticTests, RhythmKeptRightTests, RhythmMixin, ReorderCase):
    """One customer's rhythms: the arithmetic and the stored table kept right (one
    fixture for both)."""

    # Odoo's runner too runs the tests of the mixins (tests/test_suite.py).
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestRhythmAcrossCompanies(RhythmMixin, AccountTestInvoicingCommon):
    """Each company keeps its customers' rhythms; no one sees another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.company_data_2["company"]
        (cls.company | cls.company_2).write(
            {"reorder_request_enabled": True, "reorder_from_invoices": True}
        )
        cls.product_a.available_for_reorder = True

    def test_rhythms_per_company(self):
        for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
            self.init_invoice(
                "out_invoice",
                invoice_date=day,
                products=self.product_a,
                company=self.company_2,
                post=True,
            )
        for day in ("2026-01-01", "2026-03-01"):
            self.init_invoice(
                "out_invoice", invoice_date=day, products=self.product_a, post=True
            )
        self.assertFalse(self._rhythm(self.product_a, self.partner_a, self.company))
        rhythm = self._rhythm(self.product_a, self.partner_a, self.company_2)
        self.assertEqual(rhythm.purchase_count, 3)
        here = self.partner_a._get_reorderable_products(self.company)[self.product_a]
        self.assertIsNone(here["next_date"])
        there = self.partner_a._get_reorderable_products(self.company_2)[self.product_a]
        self.assertEqual(there["next_date"], rhythm.next_date)
        # The report of a user of the first company only shows the first company.
        user = self.env["res.users"].create(
            {
                "name": "Only Here",
                "login": "only_here",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        self.env.ref("sales_team.group_sale_salesman_all_leads").ids
                    )
                ],
            }
        )
        Report = self.env["sale.reorder.due.report"]
        self.assertFalse(Report.with_user(user).search([]))
        self.assertEqual(
            Report.search([("company_id", "=", self.company_2.id)]).product_id,
            self.product_a,
        )
        self._assertKeptRight()
