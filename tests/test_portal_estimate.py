"""Step 2's line amounts and Estimated Total follow the quantities: the page asks
/my/reorders/estimate as the customer types, or posts itself back ("Update total")
without JavaScript; both give the figures the request gets on submit."""

import json
import re

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sale_reorder.controllers.portal_new_request import MAX_ESTIMATE_LINES

from .common import TRACEBACK, ReorderHttpCase

NBSP = "\N{NO-BREAK SPACE}"
NOT_REORDERABLE = (
    "This item cannot be reordered: it is not among your previous purchases "
    "available for reorder."
)


@tagged("post_install", "-at_install")
class TestPortalEstimate(ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The bolts cost 2.00 by the unit, 1.50 from 50 on.
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Acme volume prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.bolt.id,
                            "min_quantity": 50,
                            "compute_price": "fixed",
                            "fixed_price": 1.5,
                        }
                    )
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def _estimate(self, quantities):
        return self.make_jsonrpc_request(
            "/my/reorders/estimate", {"quantities": quantities}
        )

    def _post_raw(self, body, content_type="application/json"):
        response = self.url_open(
            "/my/reorders/estimate",
            data=body,
            headers={"Content-Type": content_type},
        )
        self.assertNotEqual(response.status_code, 500)
        self.assertNotRegex(response.text, TRACEBACK)
        return response

    def _amount(self, text):
        return f"${NBSP}{text}"

    def _step_2_figures(self, page):
        """{product id: (unit price, amount or "Not counted", message)}, and the
        total, as step 2 shows them."""
        lines = {}
        for line in re.findall(
            r'<li[^>]*o_sale_reorder_line" data-product-id="(\d+)">(.*?)</li>',
            page,
            re.DOTALL,
        ):
            product_id, html = line
            unit = re.search(r'o_sale_reorder_unit_price">([^<]*)<', html)[1]
            amount = re.search(r'o_sale_reorder_amount ?( d-none)?">([^<]*)<', html)
            error = re.search(r'o_sale_reorder_line_error[^"]*"[^>]*>([^<]*)<', html)
            lines[product_id] = {
                "counted": not amount[1],
                "unit_price": unit,
                "amount": "" if amount[1] else amount[2],
                "message": error[1],
            }
        total = re.search(r'o_sale_reorder_total_amount">([^<]*)<', page)[1]
        return lines, total

    def test_the_figures_follow_the_quantities_with_quantity_breaks(self):
        """50 bolts are priced at the break, as on submit; what step 2 shows after
        "Update total" is what the page shows after asking the route."""
        bolt, nut = str(self.bolt.id), str(self.nut.id)
        result = self._estimate({bolt: "50", nut: "7"})
        self.assertEqual(
            result,
            {
                "lines": {
                    bolt: {
                        "counted": True,
                        "unit_price": self._amount("1.50"),
                        "amount": self._amount("75.00"),
                        "message": "",
                    },
                    nut: {
                        "counted": True,
                        "unit_price": self._amount("1.00"),
                        "amount": self._amount("7.00"),
                        "message": "",
                    },
                },
                "total": self._amount("82.00"),
                "error": "",
            },
        )
        self.assertEqual(
            self._estimate({bolt: "49"})["lines"][bolt]["amount"],
            self._amount("98.00"),
            "below the break, the unit price",
        )
        # Without JavaScript: Update total posts the form back to step 2.
        page = self._post(
            "/my/reorders/new?step=2",
            [
                ("product_ids", bolt),
                ("product_ids", nut),
                (f"quantity_{bolt}", "50"),
                (f"quantity_{nut}", "7"),
                ("comment", "kept"),
            ],
            csrf=False,
            status=200,
        ).text
        self.assertEqual(self._step_2_figures(page), (result["lines"], result["total"]))
        self.assertIn("kept", page)
        # The server's figure on submit is the same.
        self._submit_form({self.bolt.id: "50", self.nut.id: "7"}, token="estimate")
        request = self.Request.search([("partner_id", "=", self.contact.id)])
        self.assertEqual(request.amount_estimated, 82.0)

    def test_lines_not_counted_say_why(self):
        bolt, nut = str(self.bolt.id), str(self.nut.id)
        result = self._estimate({bolt: "ten", nut: "7"})
        self.assertEqual(
            result["lines"][bolt],
            {
                "counted": False,
                "unit_price": self._amount("2.00"),
                "amount": "",
                "message": "Enter the quantity as a number.",
            },
        )
        self.assertEqual(result["total"], self._amount("7.00"))
        # Step 2 without JavaScript says the same.
        page = self._get(
            f"/my/reorders/new?step=2&product_ids={bolt}&product_ids={nut}"
            f"&quantity_{bolt}=ten&quantity_{nut}=7"
        ).text
        self.assertEqual(self._step_2_figures(page), (result["lines"], result["total"]))
        self.assertIn("Lines marked Not counted are left out of the total.", page)
        self.assertRegex(page, rf'id="quantity_{bolt}"[^>]*aria-invalid="true"')

    def test_the_page_updates_itself_and_keeps_a_button(self):
        page = self._get(f"/my/reorders/new?step=2&product_ids={self.bolt.id}").text
        # Read out when it changes.
        self.assertRegex(
            page, r'class="[^"]*o_sale_reorder_total"\s+aria-live="polite"'
        )
        self.assertIn("o_sale_reorder_update_total", page)
        # Enter in a quantity presses the form's first button: Update total, which
        # removes nothing and sends nothing.
        form = page[page.index('<form action="/my/reorders/submit"') :]
        first_button = re.search(r"<button[^>]*>", form)[0]
        self.assertIn('formaction="/my/reorders/new?step=2"', first_button)
        self.assertNotIn('name="remove"', first_button)
        self.assertNotIn("o_sale_reorder_submit", first_button)

    def test_bad_quantities_are_lines_not_counted(self):
        bolt = str(self.bolt.id)
        number = "Enter the quantity as a number."
        too_large = (
            "The quantity cannot be more than 100000; contact us for larger orders."
        )
        not_positive = "The quantity must be more than zero."
        for quantity, message in (
            ("", number),
            (None, number),
            (True, number),
            ([5], number),
            ({"quantity": 5}, number),
            (-3, not_positive),
            ("-3", not_positive),
            (0, not_positive),
            (1.5, "Units are counted in whole numbers."),
            (10**40, too_large),
            (1e308, too_large),
            ("9" * 5000, too_large),
            ("x" * 100000, number),
        ):
            with self.subTest(quantity=str(quantity)[:20]):
                result = self._estimate({bolt: quantity})
                self.assertEqual(result["lines"][bolt]["message"], message)
                self.assertFalse(result["lines"][bolt]["counted"])
                self.assertEqual(result["total"], self._amount("0.00"))
        # NaN, Infinity and numbers beyond a float, as JSON writes them.
        for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
            with self.subTest(literal=literal):
                body = f'{{"params": {{"quantities": {{"{bolt}": {literal}}}}}}}'
                line = self._post_raw(body).json()["result"]["lines"][bolt]
                self.assertEqual(line["message"], number)

    def test_only_the_customers_own_reorderable_items(self):
        other_product = self.env["product.product"].create(
            {"name": "Rival Lamp", "list_price": 99.0, "available_for_reorder": True}
        )
        self._post_move(self.other_customer, [(other_product, 1, 99.0)])
        bolt = str(self.bolt.id)
        for key in (
            str(other_product.id),  # another customer's purchase
            str(self.unflagged.id),  # bought, not offered for reorder
            str(self.washer.id),  # offered, never bought
            "999999999",
            "0",
            "-1",
            "007",
            f"0{bolt}",
            f" {bolt}",
            "1e3",
            "²",
            "abc",
            "x" * 5000,
        ):
            with self.subTest(key=key[:20]):
                result = self._estimate({key: "1", bolt: "2"})
                line = result["lines"][key[:20]]
                self.assertEqual(
                    line,
                    {
                        "counted": False,
                        "unit_price": "",
                        "amount": "",
                        "message": NOT_REORDERABLE,
                    },
                    "no price of an item that is not the customer's",
                )
                self.assertEqual(result["total"], self._amount("4.00"))

    def test_requests_that_are_not_an_estimate(self):
        nothing = {"lines": {}, "total": "", "error": "Nothing to estimate."}
        for quantities in (None, [], {}, "12", 12, [[self.bolt.id, 1]]):
            with self.subTest(quantities=quantities):
                self.assertEqual(self._estimate(quantities), nothing)
        self.assertEqual(
            self.make_jsonrpc_request("/my/reorders/estimate", {"evil": 1}), nothing
        )
        too_many = {str(i): "1" for i in range(1, MAX_ESTIMATE_LINES + 2)}
        self.assertIn("Too many items", self._estimate(too_many)["error"])
        # Not JSON, not JSON-RPC, not the JSON content type: refused by Odoo (400).
        self.assertEqual(self._post_raw("not json").status_code, 400)
        self.assertEqual(self._post_raw("[1]").status_code, 400)
        self.assertEqual(self._post_raw("quantities=1", "text/plain").status_code, 400)
        self.assertEqual(
            self._post_raw(
                "quantities=1", "application/x-www-form-urlencoded"
            ).status_code,
            400,
        )

    def test_who_may_ask(self):
        bolt = str(self.bolt.id)
        # Another contact of the same customer: the same history, the same figures.
        colleague = self.env["res.partner"].create(
            {"name": "Bob Buyer", "parent_id": self.customer.id}
        )
        self._make_portal_user(colleague, "bob_portal")
        self.authenticate("bob_portal", "bob_portal")
        self.assertTrue(self._estimate({bolt: "50"})["lines"][bolt]["counted"])
        # Another customer: the bolts are not theirs.
        self._make_portal_user(self.other_customer, "rival_portal")
        self.authenticate("rival_portal", "rival_portal")
        line = self._estimate({bolt: "50"})["lines"][bolt]
        self.assertEqual(line["message"], NOT_REORDERABLE)
        self.assertEqual(line["unit_price"], "")
        # Logged out, or the feature off: Odoo's JSON-RPC error, never a figure.
        body = json.dumps({"params": {"quantities": {bolt: "1"}}})
        headers = {"Content-Type": "application/json"}
        self.authenticate(None, None)
        response = self.url_open("/my/reorders/estimate", body, headers=headers)
        self.assertNotIn("result", response.json())
        self.assertEqual(response.json()["error"]["code"], 100)  # session expired
        self.authenticate("ann_portal", "ann_portal")
        self.company.reorder_request_enabled = False
        response = self.url_open("/my/reorders/estimate", body, headers=headers)
        self.assertNotIn("result", response.json())
        self.assertEqual(response.json()["error"]["code"], 404)

    def test_in_the_customers_language(self):
        """Read and written in French: "1 000" typed with the space bar is a thousand,
        the amounts are written as French writes them."""
        self._speak_french(self.portal_user)
        self.authenticate("ann_portal", "ann_portal")
        bolt = str(self.bolt.id)
        line = self._estimate({bolt: "1 000"})["lines"][bolt]
        self.assertEqual(line["amount"], f"${NBSP}1{NBSP}500,00")
        ambiguous = self._estimate({bolt: "1.000"})["lines"][bolt]
        self.assertFalse(ambiguous["counted"])
        self.assertIn("Saisissez 1000 (ou 1 000) pour mille", ambiguous["message"])

    def test_the_estimate_writes_nothing(self):
        """A read-only route: a read replica may answer it."""
        with self.assertNoLogs("odoo.http", "WARNING"):
            self._estimate({str(self.bolt.id): "5"})
