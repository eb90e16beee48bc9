"""A sales receipt in the customer's portal: every link we give to it opens it (the
list of invoices, the request it was made from, the Accepted email as sent), with
its report, its download link, its quick reorder and its breadcrumb, as Odoo's
invoice page does for an invoice."""

import email
from email import policy
from urllib.parse import parse_qs, urlsplit

from lxml import html

from odoo.tests import tagged

from .common import ReorderHttpCase


@tagged("post_install", "-at_install")
class TestReceiptInThePortal(ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "sales@mycompany.example.com"
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )
        colleague = cls.env["res.partner"].create(
            {"name": "Carl Colleague", "parent_id": cls.customer.id}
        )
        cls._make_portal_user(colleague, "carl_portal")
        rival = cls.env["res.partner"].create(
            {"name": "Rita Rival", "parent_id": cls.other_customer.id}
        )
        cls._make_portal_user(rival, "rita_portal")

    # -- Helpers -------------------------------------------------------------------

    def _accept_as_receipt(self):
        """A request of Ann's accepted as a sales receipt, the Accepted email sent."""
        request = self._submit()
        last_mail = self.env["mail.mail"].search([], order="id desc", limit=1).id
        self._accept(request, "receipt", journal_id=self.cash)
        receipt = request.invoice_ids
        self.assertEqual(receipt.move_type, "out_receipt")
        self.assertIn(receipt.payment_state, ("paid", "in_payment"))
        mail = self.env["mail.mail"].search(
            [("id", ">", last_mail), ("recipient_ids", "in", self.contact.ids)]
        )
        self.assertEqual(len(mail), 1, "one Accepted email to the customer")
        return request, receipt, mail

    def _as_sent(self, mail):
        """The HTML body of ``mail`` as the customer's mail client receives it: built
        as mail.mail._send builds it, then parsed by Python's email module."""
        (outgoing,) = mail._prepare_outgoing_list()
        message = self.env["ir.mail_server"].build_email(
            email_from=mail.email_from,
            email_to=outgoing["email_to"],
            subject=outgoing["subject"],
            body=outgoing["body"],
            body_alternative=outgoing["body_alternative"],
            headers=outgoing["headers"],
            subtype="html",
            subtype_alternative="plain",
        )
        parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
        return parsed.get_body(preferencelist=("html",)).get_content()

    @staticmethod
    def _links_to(page, receipt):
        """The href of every link of ``page`` (HTML text) that names ``receipt``."""
        tree = html.fromstring(page)
        return [
            anchor.get("href")
            for anchor in tree.iter("a")
            if receipt.name in (anchor.text_content() + (anchor.get("title") or ""))
        ]

    def _path(self, url):
        """A link as the browser follows it here (the email has absolute ones)."""
        parts = urlsplit(url)
        self.assertIn(parts.netloc, ("", urlsplit(self.base_url()).netloc), url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _open_receipt(self, url, receipt):
        """``url`` opens the receipt's page: 200, its number shown, its links real."""
        self.assertFalse(url.startswith("#"), url)
        self.assertEqual(urlsplit(url).path, f"/my/invoices/{receipt.id}", url)
        page = self._get(self._path(url)).text
        self.assertIn(receipt.name, page)
        self.assertNotIn("#?access_token", page)
        return page

    def _check_receipt_page(self, page, receipt, token=None):
        """The receipt page's report, download link and quick reorder work."""
        tree = html.fromstring(page)
        # The document itself, in its iframe: Odoo's HTML report of the receipt.
        (report_url,) = tree.xpath("//iframe[@id='invoice_html']/@src")
        self.assertEqual(urlsplit(report_url).path, f"/my/invoices/{receipt.id}")
        self.assertEqual(parse_qs(urlsplit(report_url).query)["report_type"], ["html"])
        report = self._get(report_url).text
        self.assertIn(receipt.name, report)
        self.assertIn("Sales Receipt", report)
        for product in receipt.invoice_line_ids.product_id:
            self.assertIn(product.name, report)
        # Download: the same route, as a PDF (which wkhtmltopdf would render).
        (download_url,) = tree.xpath("//a[hasclass('o_download_btn')]/@href")
        download = urlsplit(download_url)
        self.assertEqual(download.path, f"/my/invoices/{receipt.id}")
        query = parse_qs(download.query)
        self.assertEqual(query["report_type"], ["pdf"])
        self.assertEqual(query["download"], ["true"])
        self.assertEqual(query["access_token"], [receipt.access_token])
        if token:
            self.assertEqual(token, receipt.access_token)
        return tree

    # -- Tests ---------------------------------------------------------------------

    def test_every_link_to_a_receipt_made_from_a_request_opens_it(self):
        request, receipt, mail = self._accept_as_receipt()
        self.authenticate("ann_portal", "ann_portal")
        sources = {
            "/my/invoices": self._get("/my/invoices").text,
            "the request page": self._get(request.access_url).text,
            "the Accepted email": self._as_sent(mail),
        }
        for source, page in sources.items():
            with self.subTest(source=source):
                self.assertNotIn("#?access_token", page)
                links = self._links_to(page, receipt)
                self.assertTrue(links, f"{source} links the receipt")
                for url in links:
                    self._check_receipt_page(self._open_receipt(url, receipt), receipt)

    def test_receipt_page_as_odoo_shows_an_invoice(self):
        """Breadcrumb back to the list, pager to the neighbours, quick reorder."""
        __, receipt, __ = self._accept_as_receipt()
        self.authenticate("ann_portal", "ann_portal")
        self._get("/my/invoices")  # the pager follows the list as last shown
        page = self._open_receipt(receipt.access_url, receipt)
        tree = self._check_receipt_page(page, receipt)
        breadcrumb = tree.xpath("//ol[hasclass('o_portal_submenu')]")[0]
        self.assertIn(receipt.name, breadcrumb.text_content())
        (back,) = breadcrumb.xpath(".//a[starts-with(@href, '/my/invoices')]/@href")
        self.assertIn(receipt.name, self._get(back).text)
        neighbours = tree.xpath(
            "//a[.//i[@aria-label='Previous' or @aria-label='Next']]/@href"
        )
        neighbours = [url for url in neighbours if url != "#"]
        self.assertTrue(neighbours, "the pager leads to the other documents")
        for url in neighbours:
            self.assertTrue(url.startswith("/my/invoices/"), url)
            self._get(url)
        (reorder_url,) = tree.xpath("//a[hasclass('o_sale_reorder_quick')]/@href")
        self.assertTrue(reorder_url.startswith(f"/my/invoices/{receipt.id}/reorder?"))
        step_2 = self._get(reorder_url, status=303).headers["Location"]
        self.assertIn(f"product_ids={self.bolt.id}", step_2)
        self.assertIn(f"quantity_{self.bolt.id}=12", step_2)
        self.assertIn("Bolt M8", self._get(self._path(step_2)).text)

    def test_a_colleague_and_a_token_holder_open_it_another_customer_does_not(self):
        __, receipt, mail = self._accept_as_receipt()
        email_url = self._links_to(self._as_sent(mail), receipt)[0]
        # Another portal contact of the same customer, from the list.
        self.authenticate("carl_portal", "carl_portal")
        (listed,) = self._links_to(self._get("/my/invoices").text, receipt)
        self._check_receipt_page(self._open_receipt(listed, receipt), receipt)
        # Logged out, with the email's link (its access token).
        self.authenticate(None, None)
        page = self._open_receipt(email_url, receipt)
        self._check_receipt_page(page, receipt, token=receipt.access_token)
        # Another customer: refused as Odoo refuses an invoice, nothing shown.
        self.authenticate("rita_portal", "rita_portal")
        self.assertNotIn(receipt.name, self._get("/my/invoices").text)
        for url in (
            receipt.access_url,
            f"{receipt.access_url}?report_type=html",
            f"{receipt.access_url}?access_token=wrong&report_type=html",
            f"{receipt.access_url}/reorder",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 404), url)
                self.assertNotIn(receipt.name, response.text)

    def test_receipts_we_do_not_list_do_not_open(self):
        """A draft or an unpaid receipt is not the customer's document yet: not in
        the list, refused on its URL (as another customer's invoice is)."""
        draft = self._post_move(
            self.customer, [(self.nut, 2, 1.0)], move_type="out_receipt", post=False
        )
        unpaid = self._post_move(
            self.customer, [(self.nut, 3, 1.0)], move_type="out_receipt"
        )
        self.authenticate("ann_portal", "ann_portal")
        listed = self._get("/my/invoices").text
        for receipt in (draft, unpaid):
            with self.subTest(receipt=receipt.name or receipt.id):
                if receipt.name and receipt.name != "/":
                    self.assertNotIn(receipt.name, listed)
                for url in (
                    receipt.access_url,
                    f"{receipt.access_url}?report_type=html",
                ):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertEqual(response.status_code, 303, url)
                    self.assertEqual(urlsplit(response.headers["Location"]).path, "/my")
        # Paid later: the customer's now.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=unpaid.ids
        ).create({})._create_payments()
        (link,) = self._links_to(self._get("/my/invoices").text, unpaid)
        self._open_receipt(link, unpaid)

    def test_a_paid_receipt_not_made_from_a_request_opens_too(self):
        self.assertFalse(self.receipt.reorder_request_id)
        self.authenticate("ann_portal", "ann_portal")
        (link,) = self._links_to(self._get("/my/invoices").text, self.receipt)
        page = self._open_receipt(link, self.receipt)
        tree = self._check_receipt_page(page, self.receipt)
        (reorder_url,) = tree.xpath("//a[hasclass('o_sale_reorder_quick')]/@href")
        step_2 = self._get(reorder_url, status=303).headers["Location"]
        self.assertIn(f"product_ids={self.nut.id}", step_2)
