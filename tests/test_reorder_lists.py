"""Lists a customer company shares: saved from step 2 by one contact, seen, renamed,
deleted and requested by every contact of the same company, never by another
company's (by URL or RPC); read by staff from the customer's form."""

from lxml import html

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.sale_reorder_request.submission import ReorderInputError
from .common import ReorderCase, ReorderHttpCase


class ReorderListMixin:
    @classmethod
    def _setup_list_data(cls):
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Carl Colleague",
                "parent_id": cls.customer.id,
                "email": "carl@example.com",
            }
        )
        cls.rival_contact = cls.env["res.partner"].create(
            {"name": "Rita Rival", "parent_id": cls.other_customer.id}
        )
        cls.List = cls.env["sale.reorder.list"]

    def _save(self, name="Monthly", lines=None, partner=None):
        lines = lines or [
            {"product_id": self.bolt.id, "quantity": "12"},
            {"product_id": self.nut.id, "quantity": 3},
        ]
        return self.List._create_from_portal(
            partner or self.contact, self.company, name, lines
        )


@tagged("post_install", "-at_install")
class TestReorderLists(ReorderListMixin, ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_list_data()

    def test_saved_for_the_company(self):
        reorder_list = self._save()
        self.assertEqual(reorder_list.partner_id, self.customer)
        self.assertEqual(reorder_list.author_id, self.contact)
        self.assertEqual(reorder_list.company_id, self.company)
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.uom_id.name)
                for line in reorder_list.line_ids
            ],
            [(self.bolt, 12.0, "Units"), (self.nut, 3.0, "Units")],
        )
        self.assertEqual(reorder_list.item_count, 2)
        self.assertEqual(self.customer.reorder_list_count, 1)
        self.assertEqual(self.contact.reorder_list_count, 1)

    def test_bad_input_saves_nothing(self):
        cases = [
            ("", None, "list_name"),
            ("   ", None, "list_name"),
            ("x" * 81, None, "list_name"),
            ("A\x00B", None, "list_name"),
            (["a"], None, "list_name"),
            (
                "Ok",
                [{"product_id": self.washer.id, "quantity": 1}],
                f"product_{self.washer.id}",
            ),
            (
                "Ok",
                [{"product_id": self.unflagged.id, "quantity": 1}],
                f"product_{self.unflagged.id}",
            ),
            (
                "Ok",
                [{"product_id": self.bolt.id, "quantity": "-2"}],
                f"quantity_{self.bolt.id}",
            ),
            (
                "Ok",
                [{"product_id": self.bolt.id, "quantity": "1e9"}],
                f"quantity_{self.bolt.id}",
            ),
            ("Ok", [], "lines"),
            ("Ok", "nope", "lines"),
        ]
        for name, lines, key in cases:
            with self.subTest(name=name, lines=lines):
                with self.assertRaises(ReorderInputError) as caught:
                    self.List._create_from_portal(
                        self.contact,
                        self.company,
                        name,
                        lines
                        if lines is not None
                        else [{"product_id": self.bolt.id, "quantity": 1}],
                    )
                self.assertIn(key, caught.exception.errors)
        self.assertFalse(self.List.search([("partner_id", "=", self.customer.id)]))

    def test_one_name_per_company(self):
        """A form posted twice saves one list; another list of the same name (any
        case) is refused, and so is a rename to it."""
        first = self._save()
        self.assertEqual(self._save(), first)
        with self.assertRaises(ReorderInputError) as caught:
            self._save(
                name="MONTHLY", lines=[{"product_id": self.bolt.id, "quantity": 1}]
            )
        self.assertIn("already has a list named", caught.exception.errors["list_name"])
        other = self._save(name="Weekly", partner=self.colleague)
        with self.assertRaises(UserError):
            other.rename_from_portal("monthly")
        self.assertEqual(other.name, "Weekly")
        # Another customer may use the name.
        self._post_move(self.other_customer, [(self.bolt, 3, 1.0)])
        bolt_only = [{"product_id": self.bolt.id, "quantity": 1}]
        self.assertNotEqual(
            self._save(partner=self.rival_contact, lines=bolt_only), first
        )

    def test_not_while_the_feature_is_off(self):
        self.company.reorder_request_enabled = False
        with self.assertRaises(UserError):
            self._save()

    def test_request_items_left_out_once_not_reorderable(self):
        reorder_list = self._save()
        self.nut.available_for_reorder = False
        reorderable = self.contact._get_reorderable_products(self.company)
        quantities, unavailable = reorder_list._get_request_items(reorderable)
        self.assertEqual(quantities, {self.bolt: 12.0})
        self.assertEqual(unavailable, ["Nut M8"])

    def test_portal_users_of_the_company_only(self):
        reorder_list = self._save()
        ann = self._make_portal_user(self.contact, "ann_list")
        carl = self._make_portal_user(self.colleague, "carl_list")
        rita = self._make_portal_user(self.rival_contact, "rita_list")
        # A colleague reads, renames and deletes it.
        self.assertEqual(self.List.with_user(carl).search([]), reorder_list)
        reorder_list.with_user(carl).rename_from_portal("  Weekly  ")
        self.assertEqual(reorder_list.name, "Weekly")
        # Another company's contact neither sees nor changes it.
        self.assertFalse(self.List.with_user(rita).search([]))
        self.assertFalse(self.env["sale.reorder.list.line"].with_user(rita).search([]))
        for method, args in (
            ("rename_from_portal", ("Mine",)),
            ("unlink_from_portal", ()),
        ):
            with self.assertRaises(AccessError):
                getattr(reorder_list.with_user(rita), method)(*args)
        with self.assertRaises(AccessError):
            reorder_list.with_user(rita).read(["name"])
        # Nobody writes one directly.
        for user in (ann, carl):
            with self.assertRaises(AccessError):
                reorder_list.with_user(user).write({"name": "Direct"})
            with self.assertRaises(AccessError):
                self.List.with_user(user).create(
                    {
                        "name": "x",
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                    }
                )
            with self.assertRaises(AccessError):
                reorder_list.line_ids[:1].with_user(user).write({"quantity": 1000})
        with self.assertRaises(ReorderInputError):
            # Rita's company never bought a bolt.
            self.List.with_user(rita).create_from_portal(
                "Rival's", [{"product_id": self.bolt.id, "quantity": 1}]
            )
        reorder_list.with_user(ann).unlink_from_portal()
        self.assertFalse(reorder_list.exists())

    def test_staff_read_lists_from_the_customer(self):
        self._save()
        action = self.customer.with_user(self.salesman).action_view_reorder_lists()
        lists = self.List.with_user(self.salesman).search(action["domain"])
        self.assertEqual(lists.name, "Monthly")
        with self.assertRaises(AccessError):
            lists.with_user(self.salesman).write({"name": "Changed"})
        # Staff do not rename a customer's list through the portal's method.
        with self.assertRaises(AccessError):
            lists.with_user(self.salesman).rename_from_portal("Changed")


@tagged("post_install", "-at_install")
class TestReorderListsInThePortal(ReorderListMixin, ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_list_data()
        cls.carl_user = cls._make_portal_user(cls.colleague, "carl_portal")
        cls.rita_user = cls._make_portal_user(cls.rival_contact, "rita_portal")

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def _step_2_form(self, **extra):
        return [
            ("product_ids", str(self.bolt.id)),
            (f"quantity_{self.bolt.id}", "12"),
            ("product_ids", str(self.nut.id)),
            (f"quantity_{self.nut.id}", "3"),
            ("comment", "keep me"),
            *extra.items(),
        ]

    def test_save_as_list_then_a_colleague_requests_it(self):
        step_2 = self._get(f"/my/reorders/new?step=2&product_ids={self.bolt.id}").text
        self.assertIn("Save as list", step_2)
        response = self._post(
            "/my/reorders/lists/save",
            self._step_2_form(list_name="Monthly supplies"),
            status=200,
        )
        reorder_list = self.List.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(reorder_list.name, "Monthly supplies")
        page = html.fromstring(response.text)
        saved = page.xpath("//div[contains(@class, 'o_sale_reorder_list_saved')]")
        self.assertIn("Monthly supplies", saved[0].text_content())
        # Step 2 is still there, with what was typed.
        self.assertIn("keep me", response.text)
        self.assertEqual(
            page.xpath(f"//input[@name='quantity_{self.bolt.id}']/@value"), ["12"]
        )
        # Carl, of the same company, sees it and requests it.
        self.authenticate("carl_portal", "carl_portal")
        lists_page = self._get("/my/reorders/lists").text
        self.assertIn("Monthly supplies", lists_page)
        self.assertIn("Ann Buyer", lists_page)
        self.assertIn("Never", lists_page)
        step_2 = html.fromstring(
            self._get(f"/my/reorders/lists/{reorder_list.id}/request").text
        )
        self.assertEqual(
            step_2.xpath(f"//input[@name='quantity_{self.bolt.id}']/@value"), ["12"]
        )
        self.assertEqual(
            step_2.xpath(f"//input[@name='quantity_{self.nut.id}']/@value"), ["3"]
        )
        self.assertEqual(
            step_2.xpath("//input[@name='reorder_list']/@value"), [str(reorder_list.id)]
        )
        response = self._submit_form(
            {self.bolt.id: 12, self.nut.id: 3}, reorder_list=str(reorder_list.id)
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(reorder_list.last_used_by_id, self.colleague)
        self.assertTrue(reorder_list.last_used_date)
        self.assertIn("Carl Colleague", self._get("/my/reorders/lists").text)

    def test_add_more_items_keeps_the_list(self):
        reorder_list = self._save()
        step_1 = self._post(
            "/my/reorders/new",
            [
                *self._step_2_form(),
                ("reorder_list", str(reorder_list.id)),
                ("step", "1"),
            ],
            csrf=False,
            status=200,
        )
        self.assertEqual(
            html.fromstring(step_1.text).xpath("//input[@name='reorder_list']/@value"),
            [str(reorder_list.id)],
        )

    def test_requesting_a_list_with_an_item_no_longer_reorderable(self):
        reorder_list = self._save()
        self.nut.available_for_reorder = False
        page = self._get(f"/my/reorders/lists/{reorder_list.id}").text
        self.assertIn("No longer available for reorder", page)
        step_2 = self._get(f"/my/reorders/lists/{reorder_list.id}/request").text
        tree = html.fromstring(step_2)
        left_out = tree.xpath("//div[contains(@class, 'o_sale_reorder_left_out')]")
        self.assertIn("Nut M8", left_out[0].text_content())
        self.assertFalse(tree.xpath(f"//input[@name='quantity_{self.nut.id}']"))
        self.bolt.available_for_reorder = False
        page = self._get(f"/my/reorders/lists/{reorder_list.id}/request").text
        self.assertIn("No item of this list can be reordered any more", page)

    def test_bad_names_keep_the_form(self):
        for name, message in (
            ("", "Give the list a name."),
            ("x" * 81, "too long"),
            ("a\x01", "control characters"),
        ):
            response = self._post(
                "/my/reorders/lists/save", self._step_2_form(list_name=name), status=200
            )
            self.assertIn(message, response.text)
            self.assertIn("keep me", response.text)
        response = self._post(
            "/my/reorders/lists/save",
            self._step_2_form(list_name="x"),
            csrf=False,
            status=200,
        )
        self.assertIn("Your session expired", response.text)
        self.assertFalse(self.List.search([("partner_id", "=", self.customer.id)]))

    def test_rename_and_delete(self):
        reorder_list = self._save()
        response = self._post(
            f"/my/reorders/lists/{reorder_list.id}/rename",
            {"name": "Weekly"},
            status=303,
        )
        self.assertIn("message=renamed", response.headers["Location"])
        self.assertEqual(reorder_list.name, "Weekly")
        response = self._post(
            f"/my/reorders/lists/{reorder_list.id}/rename", {"name": " "}, status=200
        )
        self.assertIn("Give the list a name.", response.text)
        self.assertEqual(reorder_list.name, "Weekly")
        self._post(f"/my/reorders/lists/{reorder_list.id}/delete", {}, status=303)
        self.assertFalse(reorder_list.exists())
        self._get(f"/my/reorders/lists/{reorder_list.id}", status=404)

    def test_another_company_gets_not_found(self):
        reorder_list = self._save()
        self.authenticate("rita_portal", "rita_portal")
        self.assertNotIn("Monthly", self._get("/my/reorders/lists").text)
        for url in (
            f"/my/reorders/lists/{reorder_list.id}",
            f"/my/reorders/lists/{reorder_list.id}/request",
            "/my/reorders/lists/999999",
        ):
            self._get(url, status=404)
        self._post(
            f"/my/reorders/lists/{reorder_list.id}/rename", {"name": "x"}, status=404
        )
        self._post(f"/my/reorders/lists/{reorder_list.id}/delete", {}, status=404)
        self.assertEqual(reorder_list.name, "Monthly")
        # Nor over RPC.
        self._rpc_error("sale.reorder.list", "unlink_from_portal", [reorder_list.id])
        self._rpc_error(
            "sale.reorder.list", "rename_from_portal", [reorder_list.id], "x"
        )
        self.assertEqual(
            self._rpc("sale.reorder.list", "search_read", [], fields=["name"])[
                "result"
            ],
            [],
        )
        # Its id on a submission marks nothing.
        self.assertTrue(reorder_list.exists())

    def test_home_card_and_paged_list(self):
        def count():
            return self.url_open(
                "/my/counters",
                data='{"params": {"counters": ["reorder_list_count"]}}',
                headers={"Content-Type": "application/json"},
            ).json()["result"]["reorder_list_count"]

        # The card shows once there is a list (Odoo's counters).
        self.assertEqual(count(), 0)
        for number in range(25):
            self._save(name=f"List {number:02}")
        home = self._get("/my/home?").text
        self.assertIn("/my/reorders/lists", home)
        self.assertEqual(count(), 25)
        first = self._get("/my/reorders/lists").text
        self.assertIn("List 00", first)
        self.assertNotIn("List 24", first)
        self.assertIn("List 24", self._get("/my/reorders/lists/page/2").text)

    def test_links_of_the_pages_open(self):
        reorder_list = self._save()
        for url in ("/my/reorders/lists", f"/my/reorders/lists/{reorder_list.id}"):
            page = html.fromstring(self._get(url).text)
            for href in page.xpath("//main//a/@href"):
                if href.startswith("/my/reorders"):
                    self._get(href)
