"""Query budgets of every portal page and of a submission, measured with warm
caches under both test runners (pytest-odoo and Odoo's own), and the proof that they
do not grow with the customer's history. Latency at scale is `make bench`'s job."""

from odoo import Command
from odoo.http import Request as HttpRequest
from odoo.tests import tagged

from .common import ReorderCase, ReorderHttpCase

# Measured query budgets of the portal pages (warm caches), stated against Odoo's own
# list of the customer's orders on the same database: whatever other installed apps add
# to every portal page (the website's layout, menus and languages with eCommerce), that
# page pays as ours do; a budget is the addon's own cost, above or below it. They must
# not grow with the customer's history: test_query_counts_do_not_grow_with_history
# multiplies it by ten. The pages that say what is due read the company's time zone
# (its day) once.
ODOO_PAGE = "/my/orders"
# Measured: 15 queries for Odoo's page without website_sale, 20 with it.
QUERIES_HOME = +13  # + the count of items due (the card says "3 items due")
QUERIES_LIST = -5
QUERIES_NEW = -3  # the pictures come on their own URLs
QUERIES_STEP_2 = +2  # + the estimated prices (the pricelist, its rules)
# Step 2's figures asked as the customer types: the chosen items' history (on the
# company's day), the customer's pricelist (Odoo looks for its default three ways), its
# rules, prices.
QUERIES_ESTIMATE = 17
QUERIES_SUBMIT_FORM = 135
# A two-item submission creates the request, its lines, the opportunity, the chatter
# messages, the notification and the activity.
QUERIES_CREATE_FROM_PORTAL = 175


@tagged("post_install", "-at_install")
class TestModelQueryCounts(ReorderCase):
    def test_history_query_count_does_not_grow(self):
        """One query for the history however long it is (plus the prefetch and the
        company's time zone)."""
        self.contact._get_reorderable_products()  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            self.contact._get_reorderable_products()
        for _i in range(10):
            self._post_move(self.contact, [(self.bolt, 1, 2.0), (self.nut, 1, 1.0)])
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            history = self.contact._get_reorderable_products()
        self.assertEqual(history[self.bolt]["last_quantity"], 4)  # still 2026-03-01

    def test_submission_query_count(self):
        """A submission costs the same whatever the history, and little per item."""
        self._submit()  # warm the caches
        two_items = [
            {"product_id": self.bolt.id, "quantity": 1},
            {"product_id": self.nut.id, "quantity": 1},
        ]
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES_CREATE_FROM_PORTAL):
            self._submit(two_items)
        for _i in range(10):
            self._post_move(self.contact, [(self.bolt, 1, 2.0), (self.nut, 1, 1.0)])
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES_CREATE_FROM_PORTAL):
            self._submit(two_items)


class PortalQueryCountCase(ReorderHttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def _estimate(self, quantities):
        """Step 2's figures, as its page asks them while the customer types."""
        return self.make_jsonrpc_request(
            "/my/reorders/estimate",
            {"quantities": {str(key): str(value) for key, value in quantities.items()}},
        )


@tagged("post_install", "-at_install")
class TestPortalQueryCounts(PortalQueryCountCase):
    def _measure_pages(self):
        """The query count of each page and of a submission."""
        counts = {}
        urls = {
            "home": "/my",
            "list": "/my/reorders",
            "new": "/my/reorders/new",
            "step_2": f"/my/reorders/new?step=2&product_ids={self.bolt.id}",
        }
        for name, url in urls.items():
            self._get(url)  # warm the caches
            start = self.cr.sql_log_count
            self._get(url)
            counts[name] = self.cr.sql_log_count - start
        self._estimate({self.bolt.id: 5})  # warm the caches
        start = self.cr.sql_log_count
        self._estimate({self.bolt.id: 5})
        counts["estimate"] = self.cr.sql_log_count - start
        self._submit_form({self.bolt.id: 1}, token=f"warm-{self.cr.sql_log_count}")
        start = self.cr.sql_log_count
        self._submit_form({self.bolt.id: 1}, token=f"perf-{self.cr.sql_log_count}")
        counts["submit"] = self.cr.sql_log_count - start
        return counts

    def _count_queries(self, url):
        """The queries of a page, with warm caches."""
        self._get(url)
        start = self.cr.sql_log_count
        self._get(url)
        return self.cr.sql_log_count - start

    def test_query_budgets(self):
        self._submit()  # one request in the list
        odoo_page = self._count_queries(ODOO_PAGE)
        budgets = {
            "/my": QUERIES_HOME,
            "/my/reorders": QUERIES_LIST,
            "/my/reorders/new": QUERIES_NEW,
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}": QUERIES_STEP_2,
        }
        for url, budget in budgets.items():
            self._get(url)  # warm the caches
            with self.subTest(url), self.assertQueryCount(odoo_page + budget):
                self._get(url)
        self._estimate({self.bolt.id: 5})  # warm the caches
        with self.assertQueryCount(QUERIES_ESTIMATE):
            self._estimate({self.bolt.id: 5})
        self._submit_form({self.bolt.id: 1}, token="warm")
        with self.assertQueryCount(QUERIES_SUBMIT_FORM):
            self._submit_form({self.bolt.id: 1}, token="measured")

    def test_the_order_page_costs_at_most_two_queries_more(self):
        """What the addon adds to Odoo's own page of a confirmed order (Reorder
        these items, Request related items, the request and the related orders it
        is tied to) costs at most 2 queries: the same page measured with and
        without the addon's three templates."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": self.bolt.id})],
            }
        )
        order.action_confirm()
        url = f"/my/orders/{order.id}"
        ours = self.env["ir.ui.view"].browse(
            [
                self.env.ref(f"sale_reorder.{xmlid}").id
                for xmlid in (
                    "sale_order_portal_template_reorder",
                    "sale_order_portal_content_reorder",
                    "sale_order_portal_content_related_orders",
                )
            ]
        )
        ours.active = False
        odoo_page = self._count_queries(url)
        ours.active = True
        page = self._get(url).text
        self.assertIn("Request related items", page)
        self.assertLessEqual(self._count_queries(url), odoo_page + 2)

    def test_query_counts_do_not_grow_with_history(self):
        """... nor with buying rhythms: before, no product has one; after, the bolts
        (bought on a third date) have one."""
        self._submit()  # one request in the list
        Rhythm = self.env["sale.reorder.rhythm"]
        self.assertFalse(Rhythm.search([("partner_id", "=", self.customer.id)]))
        before = self._measure_pages()
        for _i in range(9):  # the history times ten
            self._post_move(self.contact, [(self.bolt, 2, 2.0), (self.nut, 1, 1.0)])
            self._post_move(
                self.customer, [(self.nut, 3, 1.0)], move_type="out_receipt", pay=True
            )
        Rhythm._refresh_pending()
        self.assertEqual(
            Rhythm.search([("partner_id", "=", self.customer.id)]).product_id,
            self.bolt,
        )
        after = self._measure_pages()
        self.assertEqual(after, before)


@tagged("post_install", "-at_install")
class TestCostPerItem(PortalQueryCountCase):
    """Step 2 and a submission cost the same queries whatever the number of items."""

    def setUp(self):
        super().setUp()
        self._post_move(self.contact, [(self.washer, 4, 0.5)], date="2026-05-01")

    def test_step_2_and_submission_per_item(self):
        one = f"/my/reorders/new?step=2&product_ids={self.bolt.id}"
        three = one + f"&product_ids={self.nut.id}&product_ids={self.washer.id}"
        counts = {}
        for url in (one, three):
            self._get(url)
            start = self.cr.sql_log_count
            self._get(url)
            counts[url] = self.cr.sql_log_count - start
        self.assertEqual(counts[three], counts[one])
        items = {self.bolt.id: 1, self.nut.id: 1, self.washer.id: 1}
        estimated = {}
        for number in (1, 3):
            chosen = dict(list(items.items())[:number])
            self._estimate(chosen)
            start = self.cr.sql_log_count
            self._estimate(chosen)
            estimated[number] = self.cr.sql_log_count - start
        self.assertEqual(estimated[3], estimated[1])
        submitted = {}
        for number in (1, 3):
            chosen = dict(list(items.items())[:number])
            self._submit_form(chosen, token=f"warm-{number}")
            start = self.cr.sql_log_count
            self._submit_form(chosen, token=f"measured-{number}")
            submitted[number] = self.cr.sql_log_count - start
        # The lines are written in one INSERT, their prices from one read of the
        # pricelist's rules: no query per item.
        self.assertEqual(submitted[3], submitted[1])


@tagged("post_install", "-at_install")
class TestFastOrderingQueryCounts(PortalQueryCountCase):
    """Quick add, the upload and the lists: their queries do not grow with the
    rows of a file, the lists of a company or the items of a list, and a suggestion
    costs no more than step 1 itself."""

    def _count(self, call):
        call()  # warm the caches
        start = self.cr.sql_log_count
        call()
        return self.cr.sql_log_count - start

    def _upload(self, rows):
        content = "code,quantity\n" + "BOLT-M8,1\nNUT-M8,1\n" * (rows // 2)
        response = self.url_open(
            "/my/reorders/upload",
            data={"csrf_token": HttpRequest.csrf_token(self)},
            files={"item_file": ("items.csv", content.encode())},
        )
        self.assertIn("2. Set the quantities", response.text)

    def _save_lists(self, count, items=1):
        products = [self.bolt, self.nut][:items]
        first = self.env["sale.reorder.list"].search_count([])
        for number in range(first, first + count):
            self.env["sale.reorder.list"]._create_from_portal(
                self.contact,
                self.company,
                f"List {number}",
                [{"product_id": product.id, "quantity": 1} for product in products],
            )

    def test_suggestions_cost_no_more_than_step_1(self):
        self.bolt.default_code = "BOLT-M8"
        step_1 = self._count(lambda: self._get("/my/reorders/new"))
        suggest = self._count(
            lambda: self.make_jsonrpc_request("/my/reorders/suggest", {"term": "M8"})
        )
        self.assertLessEqual(suggest, step_1)

    def test_an_upload_costs_the_same_for_10_or_1000_rows(self):
        self.bolt.default_code = "BOLT-M8"
        self.nut.default_code = "NUT-M8"
        self.assertEqual(
            self._count(lambda: self._upload(10)),
            self._count(lambda: self._upload(1000)),
        )

    def test_lists_pages_cost_the_same_for_few_or_many(self):
        self._save_lists(2)
        few = self._count(lambda: self._get("/my/reorders/lists"))
        self._save_lists(40)
        self.assertEqual(self._count(lambda: self._get("/my/reorders/lists")), few)
        small = self.env["sale.reorder.list"].search(
            [("partner_id", "=", self.customer.id)], limit=1
        )
        one_item = self._count(lambda: self._get(f"/my/reorders/lists/{small.id}"))
        self._save_lists(1, items=2)
        bigger = self.env["sale.reorder.list"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(
            self._count(lambda: self._get(f"/my/reorders/lists/{bigger.id}")),
            one_item,
        )
