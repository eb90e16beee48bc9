"""One rule of a purchase (account.move._get_reorder_purchase_sql, its Python twin
_is_reorder_purchase) and one of the due status (sale.reorder.rhythm's
_get_due_status in Python, _get_status_sql and _get_due_sql in SQL), and every
surface reading them alike: one customer with every kind of document
(ReorderDataMixin.DOCUMENT_KINDS) sees the same products in step 1, the rhythm
table, the /my count, the Due for Reorder report and the reminder."""

import itertools
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.sale_reorder.models.sale_reorder_rhythm import DUE_STATUSES

from .common import ReorderHttpCase
from .test_portal_due import item_names


class EveryKindMixin:
    """Every Kind Ltd (its contact Eve has the portal) bought one product on three
    documents of each kind, 90, 60 and 30 days ago: where the kind is a purchase,
    its product has a monthly rhythm, due today; where it is not, the product was
    never bought in this company."""

    @classmethod
    def _setup_every_kind(cls):
        cls._switch_due_on()
        cls.other_company = cls._make_other_company()
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Every Kind Ltd", "is_company": True}
        )
        cls.eve = cls.env["res.partner"].create(
            {"name": "Eve Every", "parent_id": cls.buyer.id, "email": "eve@example.com"}
        )
        cls._make_portal_user(cls.eve, "eve_portal")
        cls.items, cls.documents = {}, {}
        for kind in cls.DOCUMENT_KINDS:
            product = cls.items[kind] = cls.env["product.product"].create(
                {
                    "name": f"Item, {kind}",
                    "available_for_reorder": True,
                    "type": "consu",
                    "list_price": 1.0,
                }
            )
            cls.documents[kind] = [
                cls._make_document(
                    kind,
                    cls.eve,
                    [(product, 5, 1.0)],
                    cls.today - timedelta(days=days),
                    other_company=cls.other_company,
                )
                for days in (90, 60, 30)
            ]
        cls.env["sale.reorder.rhythm"]._refresh_pending()
        # What every surface names: the products of the kinds that are purchases.
        cls.expected = sorted(
            product.name
            for kind, product in cls.items.items()
            if cls.DOCUMENT_KINDS[kind]
        )

    def _model_surfaces(self, company=None):
        """The products each surface of the models names for Every Kind Ltd in
        ``company``: {surface: sorted product names}."""
        company = company or self.company
        self.env.flush_all()
        eve = self.eve.with_company(company)
        rhythms = self.env["sale.reorder.rhythm"].search(
            [("partner_id", "=", self.buyer.id), ("company_id", "=", company.id)]
        )
        report = self.env["sale.reorder.due.report"].search(
            [
                ("partner_id", "=", self.buyer.id),
                ("company_id", "=", company.id),
                ("status", "in", DUE_STATUSES),
            ]
        )
        return {
            "history": sorted(p.name for p in eve._get_reorderable_products(company)),
            "rhythm table": sorted(rhythms.product_id.mapped("name")),
            "due items": sorted(
                item["product"].name for item in eve._get_reorder_due_items(company)
            ),
            "due report": sorted(report.product_id.mapped("name")),
            "reminder": sorted(
                item["product"].name
                for item in eve._get_reorder_reminder_values()["items"]
            ),
        }


class EverySurfaceInThePortalTests:
    """Eve's portal names what every other surface names (one class with the
    model's tests: the fixture is the suite's costliest)."""

    def setUp(self):
        super().setUp()
        self.authenticate("eve_portal", "eve_portal")

    def test_step_1_and_my_name_what_every_surface_names(self):
        usual = self._get("/my/reorders/usual", status=303).headers["Location"]
        chosen = parse_qs(urlsplit(usual).query)["product_ids"]
        surfaces = {
            "step 1": sorted(item_names(self._get("/my/reorders/new").text)),
            "request my usual": sorted(
                self.env["product.product"].browse(map(int, chosen)).mapped("name")
            ),
            **self._model_surfaces(),
        }
        self.assertEqual(surfaces, dict.fromkeys(surfaces, self.expected))
        self.assertIn("3 items due", self._get("/my").text)

    def test_reorder_these_items_on_purchases_only(self):
        for kind, purchase in (
            ("partly credited invoice", True),
            ("fully credited invoice", False),
        ):
            with self.subTest(kind=kind):
                invoice = self.documents[kind][-1]
                page = self._get(f"/my/invoices/{invoice.id}").text
                self.assertEqual("o_sale_reorder_quick" in page, purchase)
                step_2 = self._get(f"/my/invoices/{invoice.id}/reorder", status=303)
                self.assertEqual(
                    f"product_ids={self.items[kind].id}" in step_2.headers["Location"],
                    purchase,
                )


@tagged("post_install", "-at_install")
class TestOnePurchaseRule(
    EverySurfaceInThePortalTests, EveryKindMixin, ReorderHttpCase
):
    # Odoo's runner too runs the tests of the mixins (tests/test_suite.py).
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_every_kind()

    def _stored_rhythm(self, product):
        """(purchases, usual quantity) of the stored rhythm of Every Kind Ltd's
        ``product``, as the table holds it (no refresh asked), or None."""
        self.env.cr.execute(
            SQL(
                """
                SELECT purchase_count, usual_quantity FROM sale_reorder_rhythm
                 WHERE company_id = %s AND partner_id = %s AND product_id = %s
                """,
                self.company.id,
                self.buyer.id,
                product.id,
            )
        )
        return self.env.cr.fetchone()

    def test_the_documents_are_what_they_say(self):
        state = {
            kind: sorted({(m.state, m.payment_state) for m in moves})
            for kind, moves in self.documents.items()
        }
        self.assertEqual(state["fully credited invoice"], [("posted", "reversed")])
        self.assertEqual(state["partly credited invoice"], [("posted", "partial")])
        self.assertEqual(state["cancelled invoice"], [("cancel", "not_paid")])
        self.assertEqual(state["draft invoice"], [("draft", "not_paid")])
        self.assertIn(state["paid receipt"][0][1], ("paid", "in_payment"))
        self.assertEqual(state["unpaid receipt"], [("posted", "not_paid")])

    def test_every_surface_names_the_same_products(self):
        surfaces = self._model_surfaces()
        self.assertEqual(surfaces, dict.fromkeys(surfaces, self.expected))
        self.assertEqual(self.eve._get_reorder_due_count(self.company), 3)
        # The contact's Due Items, as a salesperson of this company sees them.
        self.assertEqual(self.eve.with_user(self.salesman).reorder_due_count, 3)
        Reminder = self.env["sale.reorder.reminder"]
        self.assertEqual(
            Reminder._get_recipients(self.company, self.today, customers=self.buyer),
            self.eve,
        )
        # A partial credit note changes nothing: three purchases of 5.
        partly = self.items["partly credited invoice"]
        self.assertEqual(self._stored_rhythm(partly), (3, 5.0))
        history = self.eve._get_reorderable_products(self.company)
        self.assertEqual(history[partly]["last_quantity"], 5)
        # The invoices of the other company count there, and only there.
        there = self.items["invoice of another company"].name
        surfaces = self._model_surfaces(self.other_company)
        self.assertEqual(surfaces["history"], [there])
        self.assertEqual(surfaces["rhythm table"], [there])

    def test_the_python_twin_says_what_the_sql_says(self):
        """Document by document, with each setting of Eligible Purchases."""
        Move = self.env["account.move"]
        moves = Move.union(*itertools.chain(*self.documents.values()))
        moves |= moves.reversal_move_ids  # the credit notes
        for invoices, receipts in itertools.product((True, False), repeat=2):
            self.company.write(
                {"reorder_from_invoices": invoices, "reorder_from_receipts": receipts}
            )
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT m.id
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_company c ON c.id = l.company_id
                     WHERE m.id IN %s AND %s
                    """,
                    tuple(moves.ids),
                    Move._get_reorder_purchase_sql("l", "m", "c"),
                )
            )
            in_sql = Move.browse(row[0] for row in self.env.cr.fetchall())
            # One company's settings given as values (the history's form).
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT m.id
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE m.id IN %s AND l.company_id = %s AND %s
                    """,
                    tuple(moves.ids),
                    self.company.id,
                    Move._get_reorder_purchase_sql("l", "m", self.company),
                )
            )
            in_sql_here = Move.browse(row[0] for row in self.env.cr.fetchall())
            in_python = moves.filtered(lambda move: move._is_reorder_purchase())
            with self.subTest(invoices=invoices, receipts=receipts):
                self.assertEqual(in_python, in_sql)
                here = in_python.filtered(lambda m: m.company_id == self.company)
                self.assertEqual(here, in_sql_here)
                kinds = {
                    kind
                    for kind, documents in self.documents.items()
                    if set(documents) & set(here)
                }
                self.assertEqual(
                    kinds,
                    {
                        kind
                        for kind, purchase in self.DOCUMENT_KINDS.items()
                        if purchase
                        and (invoices or "invoice" not in kind)
                        and (receipts or "receipt" not in kind)
                    },
                )

    def test_quick_reorder_starts_from_purchases_only(self):
        for kind, documents in self.documents.items():
            if kind in ("draft invoice", "invoice of another company"):
                continue
            with self.subTest(kind=kind):
                document = documents[-1]
                self.assertEqual(
                    document._is_reorder_source(), self.DOCUMENT_KINDS[kind]
                )
                self.assertEqual(
                    bool(document._get_reorder_quantities()),
                    self.DOCUMENT_KINDS[kind],
                )

    def test_a_credit_note_through_the_wizard_refreshes_the_rhythm(self):
        """Credited in full through Odoo's wizard (the invoice's payment state is
        computed, no write of the invoice passes through the addon), the purchase
        is gone from the stored rhythm by the commit; the credit note reset to
        draft gives it back."""
        product = self.items["posted invoice"]
        last = self.documents["posted invoice"][-1]
        self.assertEqual(self._stored_rhythm(product), (3, 5.0))
        credit = self._credit(last)
        self.assertEqual(last.payment_state, "reversed")
        self.env.cr.flush()  # what a commit runs
        self.assertIsNone(self._stored_rhythm(product), "two purchases left")
        history = self.eve._get_reorderable_products(self.company)
        self.assertEqual(history[product]["last_date"], self.today - timedelta(60))
        self.assertEqual(self.eve._get_reorder_due_count(self.company), 2)
        credit.button_draft()
        self.assertEqual(last.payment_state, "not_paid")
        self.env.cr.flush()
        self.assertEqual(self._stored_rhythm(product), (3, 5.0))
        self.assertEqual(self._model_surfaces()["rhythm table"], self.expected)


@tagged("post_install", "-at_install")
class TestOneDueRule(TransactionCase):
    def test_python_and_sql_say_the_same_status(self):
        """_get_due_status against _get_status_sql and _get_due_sql, on a grid of
        days (before, at and after the expected date, over two years' ends and a
        leap day), usual intervals (odd, halves, above and below twice the grace)
        and lead days, on order or not."""
        Rhythm = self.env["sale.reorder.rhythm"]
        todays = (date(2026, 4, 1), date(2027, 12, 31), date(2028, 2, 29))
        intervals = (1.0, 2.5, 7.0, 13.5, 14.0, 15.0, 30.0, 31.5, 91.0, 365.0)
        grid = [
            (today + timedelta(days=offset), interval, lead, today, on_order)
            for today, offset, interval, lead, on_order in itertools.product(
                todays, range(-200, 201, 3), intervals, (0, 1, 7, 30), (False, True)
            )
        ]
        rows = SQL(", ").join(
            SQL("(%s, %s::date, %s::numeric, %s, %s::date, %s)", index, *row)
            for index, row in enumerate(grid)
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT %(status)s, %(due)s
                  FROM (VALUES %(rows)s)
                       AS r(id, next_date, interval_days, lead_days, today, on_order)
              ORDER BY r.id
                """,
                status=Rhythm._get_status_sql(
                    "r", SQL("r.lead_days"), SQL("r.today"), SQL("r.on_order")
                ),
                due=Rhythm._get_due_sql("r", SQL("r.lead_days"), SQL("r.today")),
                rows=rows,
            )
        )
        results = self.env.cr.fetchall()
        self.assertEqual(len(results), len(grid))
        statuses = set()
        for row, (status, due) in zip(grid, results, strict=True):
            expected = Rhythm._get_due_status(*row)[0]
            statuses.add(expected)
            self.assertEqual(status, expected, row)
            # Due or overdue, being on order aside: what the counts select.
            self.assertEqual(
                due and not row[4], expected in DUE_STATUSES, ("due", *row)
            )
        self.assertEqual(statuses, {"due", "overdue", "not_due", "on_order"})
