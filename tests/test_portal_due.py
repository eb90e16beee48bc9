from odoo.tests import tagged

from .common import DueDataMixin, ReorderHttpCase, item_names


@tagged("post_install", "-at_install")
class TestPortalDueItems(DueDataMixin, ReorderHttpCase):
    """Step 1 with rhythms: badges, "Due first", the "Due now" filter, the card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()  # washers: due now
        cls._buy_on(cls.customer, cls.nut, [140, 110, 80], 3)  # overdue by 50 days
        cls._buy_on(cls.customer, cls.bolt, [40, 20], 1)  # every ~50 days: not due

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def test_badges_and_due_first(self):
        page = self._get("/my/reorders/new").text
        self.assertEqual(item_names(page), ["Nut M8", "Washer M8", "Bolt M8"])
        self.assertIn("50 days overdue", page)
        self.assertIn("Due now", page)
        self.assertIn("Usually every ~30 days", page)
        self.assertEqual(page.count("o_sale_reorder_due_badge"), 2)
        self.assertIn('href="/my/reorders/usual"', page)

    def test_other_sortings_and_the_due_filter(self):
        by_name = self._post("/my/reorders/new", {"sortby": "name"}).text
        self.assertEqual(item_names(by_name), ["Bolt M8", "Nut M8", "Washer M8"])
        recent = self._post("/my/reorders/new", {"sortby": "recent"}).text
        self.assertEqual(item_names(recent), ["Bolt M8", "Washer M8", "Nut M8"])
        due = self._post("/my/reorders/new", {"filterby": "due"}).text
        self.assertEqual(item_names(due), ["Nut M8", "Washer M8"])
        # A page button keeps the sorting (carried by the hidden field).
        kept = self._post("/my/reorders/new", [("page", "1"), ("sortby", "name")]).text
        self.assertIn('name="sortby" value="name"', kept)
        for bad in ("nonsense", "x" * 5000, "'; DROP TABLE"):
            page = self._post("/my/reorders/new", {"sortby": bad, "filterby": bad})
            self.assertEqual(item_names(page.text)[0], "Nut M8", "the default")

    def test_the_sorting_and_filter_go_through_step_2_and_back(self):
        step_2 = self._post(
            "/my/reorders/new",
            [("step", "2"), ("product_ids", self.nut.id)]
            + [("sortby", "name"), ("filterby", "due")],
        ).text
        self.assertIn('name="sortby" value="name"', step_2)
        self.assertIn('name="filterby" value="due"', step_2)
        # "Add more items": step 1 as the customer left it.
        back = self._post(
            "/my/reorders/new",
            [("step", "1"), ("product_ids", self.nut.id)]
            + [
                ("sortby", "name"),
                ("filterby", "due"),
                (f"quantity_{self.nut.id}", "9"),
            ],
        ).text
        self.assertEqual(item_names(back), ["Nut M8", "Washer M8"], "due, by name")
        self.assertIn('name="sortby" value="name"', back)
        # The breadcrumb leads to the list itself, not filtered by step 1's search.
        searched = self._get("/my/reorders/new?search=nut&sortby=name").text
        self.assertIn('href="/my/reorders">Reorder Requests', searched)

    def test_the_interval_of_a_daily_item(self):
        glue = self.env["product.product"].create(
            {"name": "Glue", "available_for_reorder": True, "type": "consu"}
        )
        self._buy_on(self.customer, glue, [3, 2, 1], 1)
        page = self._post("/my/reorders/new", {"sortby": "name"}).text
        self.assertIn("Usually every day", page)
        self.assertNotIn("~1 days", page)

    def test_nothing_due_means_no_due_controls(self):
        self.company.reorder_due_enabled = False
        page = self._get("/my/reorders/new").text
        self.assertEqual(item_names(page), ["Bolt M8", "Washer M8", "Nut M8"])
        self.assertNotIn("o_sale_reorder_due_badge", page)
        self.assertNotIn("Usually every", page)
        self.assertNotIn("/my/reorders/usual", page)
        self.assertNotIn('value="due"', page)

    def test_the_home_card_counts_the_items_due(self):
        page = self._get("/my").text
        self.assertIn("2 items due", page)
        self.assertIn('href="/my/reorders/new"', page)
        self.washer.available_for_reorder = False
        self.assertIn("1 item due", self._get("/my").text)
        self.company.reorder_due_enabled = False
        page = self._get("/my").text
        self.assertNotIn("item due", page)
        self.assertNotIn("items due", page)

    def test_a_colleague_sees_the_same_customer_another_customer_nothing(self):
        colleague = self.env["res.partner"].create(
            {"name": "Cleo Colleague", "parent_id": self.customer.id}
        )
        self._make_portal_user(colleague, "cleo_portal")
        self.authenticate("cleo_portal", "cleo_portal")
        self.assertIn("2 items due", self._get("/my").text)
        self.assertIn('aria-label="Search an item"', self._get("/my/reorders/new").text)
        self._make_portal_user(self.other_customer, "rival_portal")
        self.authenticate("rival_portal", "rival_portal")
        response = self._get("/my/reorders/usual", status=303)
        self.assertIn("nothing_due", response.headers["Location"])
        self.assertNotIn("items due", self._get("/my").text)
        # Nothing bought at all: one explanation, no controls over an empty list.
        page = self._get(response.headers["Location"]).text
        self.assertIn("There is nothing you can reorder yet", page)
        self.assertNotIn("Nothing is due for reorder right now", page)
        self.assertNotIn("o_sale_reorder_add", page)
        self.assertNotIn('aria-label="Search an item"', page)  # the addon's own search
