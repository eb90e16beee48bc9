import re

from odoo import Command
from odoo.tests import tagged

from .common import ReorderHttpCase

ONE_PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLv"
)


@tagged("post_install", "-at_install")
class TestReorderPortal(ReorderHttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def _requests(self):
        return self.Request.search([("partner_id", "=", self.contact.id)])

    # -- /my ------------------------------------------------------------------------

    def test_home_entry(self):
        response = self._get("/my")
        # Odoo's own document entry, shown before any request exists.
        card = re.search(
            r'<div class="o_portal_index_card col-md-6 order-2">\s*'
            r'<a href="/my/reorders" title="Reorder Requests"',
            response.text,
        )
        self.assertTrue(card, "the entry is a visible portal.portal_docs_entry")
        self.assertIn("/sale_reorder/static/src/img/reorder.svg", response.text)
        self.assertIn('data-placeholder_count="reorder_request_count"', response.text)
        self._submit()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["reorder_request_count"]}
        )
        self.assertEqual(counters["reorder_request_count"], 1)

    def test_home_entry_hidden(self):
        """Hidden while the feature is off, and with nothing to reorder."""
        self.company.reorder_request_enabled = False
        self.assertNotIn('href="/my/reorders"', self._get("/my").text)
        self.company.reorder_request_enabled = True
        self._make_portal_user(self.other_customer, "rival_portal")
        self.authenticate("rival_portal", "rival_portal")
        self.assertNotIn('href="/my/reorders"', self._get("/my").text)

    # -- /my/reorders ---------------------------------------------------------------

    def test_list_filters_sorts_and_searches(self):
        first = self._submit([{"product_id": self.bolt.id, "quantity": 1}])
        second = self._submit([{"product_id": self.nut.id, "quantity": 1}])
        second._decline()
        others = self._submit(partner=self._other_customer_with_history())
        page = self._get("/my/reorders").text
        self.assertIn(first.name, page)
        self.assertIn(second.name, page)
        self.assertNotIn(others.name, page)
        self.assertLess(page.index(second.name), page.index(first.name))  # newest first
        pending = self._get("/my/reorders?filterby=pending").text
        self.assertIn(first.name, pending)
        self.assertNotIn(second.name, pending)
        by_product = self._get("/my/reorders?search_in=product&search=Nut").text
        self.assertNotIn(first.name, by_product)
        self.assertIn(second.name, by_product)
        by_name = self._get(f"/my/reorders?search={first.name}").text
        self.assertIn(first.name, by_name)
        self.assertNotIn(second.name, by_name)
        self._get("/my/reorders?sortby=name&filterby=nonsense&search_in=evil")
        for page in ("abc", "-5", "0", "99999", "²", "9" * 5000):
            self._get(f"/my/reorders?page={page}")
            self._get(f"/my/reorders/new?page={page}")

    def _other_customer_with_history(self):
        self._post_move(self.other_customer, [(self.bolt, 1, 2.0)])
        return self.other_customer

    # -- /my/reorders/new -----------------------------------------------------------

    def test_step_1_lists_previous_purchases(self):
        page = self._get("/my/reorders/new").text
        self.assertIn("Bolt M8", page)
        self.assertIn("Nut M8", page)
        self.assertNotIn("Gasket", page)  # bought, but not available for reorder
        self.assertNotIn("Washer M8", page)  # never bought
        searched = self._get("/my/reorders/new?search=nut").text
        self.assertIn("Nut M8", searched)
        self.assertNotIn("Bolt M8", searched)

    def test_step_1_pictures_on_their_own_urls(self):
        """The page carries no image data; each picture is served, and kept by the
        browser, for the customer's own reorderable products only."""
        page = self._get("/my/reorders/new").text
        self.assertNotIn("data:image", page)
        url = re.search(rf'src="(/my/reorders/image/{self.bolt.id}\?unique=\w+)"', page)
        self.assertTrue(url, "the bolt's picture")
        response = self._get(url.group(1))
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertIn("immutable", response.headers["Cache-Control"])
        self.bolt.image_1920 = ONE_PIXEL_PNG
        # Saved later than the page was read (one transaction has one write date).
        self.env.cr.execute(
            "UPDATE product_template SET write_date = write_date + interval '1 minute'"
            " WHERE id = %s",
            [self.bolt.product_tmpl_id.id],
        )
        self.env.invalidate_all()
        picture = rf'src="(/my/reorders/image/{self.bolt.id}\?unique=\w+)"'
        changed = re.search(picture, self._get("/my/reorders/new").text)
        self.assertNotEqual(changed.group(1), url.group(1), "a new picture, a new URL")
        for product in (self.unflagged, self.washer, self.env["product.product"]):
            # Bought but not offered; offered but never bought; no such product.
            self._get(f"/my/reorders/image/{product.id or 999999}", status=404)
        self.authenticate(None, None)
        response = self._get(f"/my/reorders/image/{self.bolt.id}", status=303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_step_2_prefills_last_quantities(self):
        url = (
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}"
            f"&product_ids={self.nut.id}"
        )
        page = self._get(url).text
        self.assertRegex(page, rf'name="quantity_{self.bolt.id}"\s+value="4"')
        self.assertRegex(page, rf'name="quantity_{self.nut.id}"\s+value="7"')
        self.assertIn("Submit Order Request", page)
        # Removing a line keeps the rest of the form.
        response = self._post(
            "/my/reorders/new?step=2",
            [
                ("product_ids", self.bolt.id),
                ("product_ids", self.nut.id),
                (f"quantity_{self.bolt.id}", "9"),
                ("comment", "keep me"),
                ("remove", str(self.nut.id)),
            ],
            status=200,
        )
        self.assertRegex(response.text, rf'name="quantity_{self.bolt.id}"\s+value="9"')
        self.assertNotIn(f"quantity_{self.nut.id}", response.text)
        self.assertIn("keep me", response.text)
        # With an expired session too: that form saves nothing.
        response = self._post(
            "/my/reorders/new?step=2",
            [("product_ids", self.bolt.id), (f"quantity_{self.bolt.id}", "9")],
            csrf=False,
            status=200,
        )
        self.assertRegex(response.text, rf'name="quantity_{self.bolt.id}"\s+value="9"')

    def test_step_2_without_selection_asks_to_choose(self):
        for query in ("", "&product_ids=²", "&product_ids=-1", "&product_ids=abc"):
            page = self._get(f"/my/reorders/new?step=2{query}").text
            self.assertIn("Choose at least one item to reorder.", page)

    def test_submit(self):
        response = self._submit_form({self.bolt.id: 10, self.nut.id: 3}, "Thanks!")
        request = self._requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/my/reorders/{request.id}?access_token=", response.headers["Location"]
        )
        self.assertEqual(request.state, "pending")
        self.assertEqual(sorted(request.line_ids.mapped("product_uom_qty")), [3, 10])
        page = self._get(response.headers["Location"]).text
        self.assertIn(
            f"Your reorder request <strong>{request.name}</strong> was sent", page
        )
        self.assertIn("Pending", page)
        self.assertIn("Thanks!", page)

    def test_double_submit_makes_one_request(self):
        first = self._submit_form({self.bolt.id: 1}, token="same-form")
        second = self._submit_form({self.bolt.id: 1}, token="same-form")
        self.assertEqual(len(self._requests()), 1)
        self.assertEqual(first.headers["Location"], second.headers["Location"])

    def test_bad_quantities_are_named_next_to_the_field(self):
        cases = {
            "0": "more than zero",
            "-3": "more than zero",
            "1.5": "whole numbers",
            "ten": "as a number",
            "1e12": "cannot be more than",
        }
        for value, message in cases.items():
            with self.subTest(value=value):
                response = self._submit_form(
                    {self.bolt.id: value, self.nut.id: 2}, comment="my <b>note</b>"
                )
                self.assertEqual(response.status_code, 200)
                page = response.text
                self.assertIn(message, page)
                self.assertIn("nothing was sent yet", page)
                self.assertRegex(
                    page, rf'name="quantity_{self.bolt.id}"\s+value="{value}"'
                )
                self.assertRegex(page, rf'name="quantity_{self.nut.id}"\s+value="2"')
                self.assertIn("my &lt;b&gt;note&lt;/b&gt;", page)  # kept, escaped
        self.assertFalse(self._requests())

    def test_bad_products_are_left_out_with_a_message(self):
        other_product = self.env["product.product"].create(
            {"name": "Other's Lamp", "available_for_reorder": True}
        )
        self._post_move(self.other_customer, [(other_product, 1, 5.0)])
        self.nut.active = False
        for bad_id in (
            other_product.id,
            self.unflagged.id,
            self.washer.id,
            self.nut.id,
        ):
            with self.subTest(product=bad_id):
                response = self._submit_form(
                    {self.bolt.id: 2, bad_id: 1}, token=f"bad-{bad_id}"
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("cannot be reordered", response.text)
                self.assertNotIn(f'name="quantity_{bad_id}"', response.text)
                self.assertRegex(
                    response.text, rf'name="quantity_{self.bolt.id}"\s+value="2"'
                )
        only_bad = self._submit_form({self.unflagged.id: 1}, token="only-bad")
        self.assertIn("Choose at least one item to reorder.", only_bad.text)
        not_numbers = self._post(
            "/my/reorders/submit",
            [("product_ids", "abc"), ("quantity_abc", "1"), ("submission_token", "x")],
        )
        self.assertIn("Choose at least one item to reorder.", not_numbers.text)
        self.assertFalse(self._requests())

    def test_long_comment_is_refused_and_kept(self):
        comment = "x" * 4500
        response = self._submit_form({self.bolt.id: 1}, comment=comment)
        self.assertIn("The comment is too long", response.text)
        self.assertIn(comment, response.text)
        self.assertFalse(self._requests())

    def test_missing_or_wrong_csrf_token(self):
        for token in (None, "wrong"):
            data = [("product_ids", self.bolt.id), (f"quantity_{self.bolt.id}", "1")]
            if token:
                data.append(("csrf_token", token))
            response = self.url_open("/my/reorders/submit", data=data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("Your session expired", response.text)
            self.assertRegex(
                response.text, rf'name="quantity_{self.bolt.id}"\s+value="1"'
            )
        self.assertFalse(self._requests())

    def test_feature_off_is_not_found(self):
        request = self._submit()
        self.company.reorder_request_enabled = False
        for url in (
            "/my/reorders",
            "/my/reorders/new",
            request.get_portal_url(),
            f"/my/reorders/from/account.move/{self.invoice.id}",
        ):
            self._get(url, status=404)
        self.assertEqual(self._submit_form({self.bolt.id: 1}).status_code, 404)

    # -- /my/reorders/<id> ----------------------------------------------------------

    def test_request_page_and_access(self):
        request = self._submit(comment="<script>alert('x')</script>")
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertIn(request.name, page)
        self.assertIn("Bolt M8", page)
        self.assertIn("&lt;script&gt;alert(", page)
        self.assertNotIn("<script>alert(", page)
        self.assertIn("Withdraw request", page)
        # Another customer's request: not found, never "forbidden".
        others = self._submit(partner=self._other_customer_with_history())
        self._get(f"/my/reorders/{others.id}", status=404)
        self._get("/my/reorders/999999", status=404)
        # The link of the emails works without logging in, with its token only.
        self.logout()
        self._get(request.get_portal_url())
        self._get(f"/my/reorders/{request.id}?access_token=wrong", status=404)
        self._get(f"/my/reorders/{request.id}", status=404)

    def test_withdraw(self):
        request = self._submit()
        response = self._post(f"/my/reorders/{request.id}/withdraw", {}, status=303)
        self.assertIn("message=withdrawn", response.headers["Location"])
        self.assertEqual(request.state, "withdrawn")
        self.assertEqual(request.decided_by_id, self.portal_user)
        self.assertFalse(request.decline_reason)
        self.assertFalse(request.opportunity_id.active)
        self.assertEqual(
            request.opportunity_id.lost_reason_id,
            self.env.ref("sale_reorder.crm_lost_reason_reorder_withdrawn"),
        )
        again = self._post(f"/my/reorders/{request.id}/withdraw", {}, status=303)
        self.assertIn("message=not_pending", again.headers["Location"])
        others = self._submit(partner=self._other_customer_with_history())
        self._post(f"/my/reorders/{others.id}/withdraw", {}, status=404)
        self.assertEqual(others.state, "pending")

    def test_accepted_request_links_its_documents(self):
        request = self._submit()
        request._accept("quotation")
        order = request.sale_order_ids
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertIn("Accepted", page)
        self.assertIn(order.name, page)
        self.assertIn(f"/my/orders/{order.id}", page)
        self.assertIn(order.name, self._get("/my/quotes").text)
        # The quotation says which request it comes from.
        quotation = self._get(order.get_portal_url()).text
        self.assertIn(request.name, quotation)

    def test_the_decision_emails_show_in_the_portal_chatter(self):
        """The customer finds the Accepted (or Declined) email in the request's own
        chatter too, as Odoo's portal shows the emails of a quotation."""
        request = self._submit()
        request._accept("quotation")
        request._send_decision_email(self.company._get_reorder_template("accepted"))
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": request._name, "thread_id": request.id},
        )["data"]["mail.message"]
        bodies = " ".join(str(message["body"]) for message in messages)
        self.assertIn(request.sale_order_ids.name, bodies)
        self.assertIn("we accepted your reorder request", bodies)

    def test_accepted_without_documents_says_why(self):
        request = self._submit()
        request._accept("quotation")
        request.sale_order_ids._action_cancel()
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertIn("are preparing it", page)

    def test_receipts_are_among_the_customers_invoices(self):
        receipts = self._get("/my/invoices").text
        self.assertIn(self.receipt.name, receipts)
        self._get(f"/my/invoices/{self.receipt.id}")
        others = self._post_move(
            self.other_customer, [(self.nut, 1, 1.0)], move_type="out_receipt"
        )
        self.assertNotIn(others.name, self._get("/my/invoices").text)

    def test_a_colleague_reads_but_does_not_withdraw(self):
        request = self._submit(comment="Blue ones")
        mine = self._get(f"/my/reorders/{request.id}").text
        self.assertIn("Your comment", mine)
        self.assertIn("Withdraw request", mine)
        colleague = self.env["res.partner"].create(
            {"name": "Carl Colleague", "parent_id": self.customer.id}
        )
        self._make_portal_user(colleague, "carl_portal")
        self.authenticate("carl_portal", "carl_portal")
        theirs = self._get(f"/my/reorders/{request.id}").text
        self.assertIn("Blue ones", theirs)
        self.assertNotIn("Your comment", theirs)
        self.assertNotIn("Withdraw request", theirs)
        response = self._post(f"/my/reorders/{request.id}/withdraw", {}, status=303)
        self.assertIn("message=not_yours", response.headers["Location"])
        self.assertEqual(request.state, "pending")

    def _post_step(self, step, products, quantities, comment):
        """The step form posted as the browser does (step 2's "Add more items" posts
        to step 1, step 1's "Add Items" to step 2)."""
        data = [("step", step)]
        data += [("product_ids", str(product.id)) for product in products]
        data += [(f"quantity_{p.id}", qty) for p, qty in quantities.items()]
        data.append(("comment", comment))
        return self._post("/my/reorders/new", data, csrf=False, status=200).text

    def test_add_more_items_keeps_what_was_typed(self):
        step_1 = self._post_step("1", self.bolt, {self.bolt: "17"}, "Before Friday")
        self.assertRegex(step_1, rf'name="quantity_{self.bolt.id}"\s+value="17"')
        self.assertIn('value="Before Friday"', step_1)
        step_2 = self._post_step(
            "2", self.bolt | self.nut, {self.bolt: "17"}, "Before Friday"
        )
        self.assertRegex(step_2, rf'name="quantity_{self.bolt.id}"\s+value="17"')
        self.assertIn("Before Friday", step_2)
        self.assertIn("Estimated Total", step_2)

    def test_hostile_urls_get_a_page(self):
        self._get("/my/reorders?search=a%00b")
        self._get("/my/reorders/new?search=a%00b")
        step_2 = self._get(
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}"
            f"&submission_token={'a' * 6000}"
        ).text
        self.assertNotIn(
            'name="submission_token" value="aaa', step_2, "never taken from a URL"
        )
        self._get("/my/reorders/new?step=2&product_ids=%C2%B2")

    def test_no_history_gets_an_explanation(self):
        newcomer = self.env["res.partner"].create({"name": "New Customer"})
        self._make_portal_user(newcomer, "new_portal")
        self.authenticate("new_portal", "new_portal")
        page = self._get("/my/reorders/new").text
        self.assertIn("appear here once they are invoiced", page)

    # -- Quick reorder --------------------------------------------------------------

    def test_order_again_beside_reorder_these_items(self):
        """With eCommerce, whose Order Again (it fills the cart) is on the order's page
        too, one line says how the two differ; a company may offer Order Again only.
        An invoice keeps Reorder these items either way."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [
                    Command.create({"product_id": self.bolt.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        order_again = (
            "website" in self.env
            and "enabled_portal_reorder_button" in self.env["website"]._fields
        )
        if order_again:
            self.env["website"].search([]).enabled_portal_reorder_button = True
            self.bolt.product_tmpl_id.is_published = True
        page = self._get(order.get_portal_url()).text
        self.assertIn("o_sale_reorder_quick", page)
        self.assertEqual("o_sale_reorder_order_again_note" in page, order_again)
        self.assertEqual("o_wsale_reorder_button" in page, order_again)
        self.company.reorder_order_page_button = False
        page = self._get(order.get_portal_url()).text
        self.assertNotIn("o_sale_reorder_quick", page)
        self.assertNotIn("o_sale_reorder_order_again_note", page)
        self.assertEqual("o_wsale_reorder_button" in page, order_again)
        self.assertIn(
            "o_sale_reorder_quick", self._get(self.invoice.get_portal_url()).text
        )

    def test_quick_reorder_under_the_documents_own_urls(self):
        invoice_page = self._get(f"/my/invoices/{self.invoice.id}").text
        self.assertIn(f"/my/invoices/{self.invoice.id}/reorder", invoice_page)
        response = self._get(f"/my/invoices/{self.invoice.id}/reorder", status=303)
        self.assertIn(f"quantity_{self.bolt.id}=10", response.headers["Location"])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [
                    Command.create({"product_id": self.nut.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        self.assertIn(
            f"/my/orders/{order.id}/reorder", self._get(f"/my/orders/{order.id}").text
        )
        response = self._get(f"/my/orders/{order.id}/reorder", status=303)
        self.assertIn(f"quantity_{self.nut.id}=3", response.headers["Location"])
        others = self._post_move(self.other_customer, [(self.bolt, 1, 2.0)])
        self._get(f"/my/invoices/{others.id}/reorder", status=404)

    def test_quick_reorder_from_an_invoice(self):
        """The first quick-reorder URL (customers bookmarked it) still works."""
        page = self._get(f"/my/invoices/{self.invoice.id}").text
        self.assertIn("Reorder these items", page)
        response = self._get(
            f"/my/reorders/from/account.move/{self.invoice.id}", status=303
        )
        location = response.headers["Location"]
        self.assertIn(f"product_ids={self.bolt.id}", location)
        self.assertIn(f"quantity_{self.bolt.id}=10", location)
        self.assertNotIn(f"product_ids={self.unflagged.id}", location)
        step_2 = self._get(location).text
        self.assertRegex(step_2, rf'name="quantity_{self.bolt.id}"\s+value="10"')
        others = self._post_move(self.other_customer, [(self.bolt, 1, 2.0)])
        self._get(f"/my/reorders/from/account.move/{others.id}", status=404)
        self._get(f"/my/reorders/from/res.users/{self.env.uid}", status=404)
