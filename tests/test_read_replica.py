from odoo import Command
from odoo.http import Request as HttpRequest
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sale_reorder.controllers.portal import read_only_unless_just_written

from .common import ReorderHttpCase

# The routes of the addon that a read replica may serve.
READ_ONLY_ROUTES = {
    "/my/reorders": read_only_unless_just_written,
    "/my/reorders/page/<int:page>": read_only_unless_just_written,
    "/my/reorders/<int:request_id>": read_only_unless_just_written,
    "/my/reorders/new": True,
    "/my/reorders/usual": True,
    "/my/reorders/image/<int:product_id>": True,
    "/my/invoices/<int:invoice_id>/reorder": True,
    "/my/orders/<int:order_id>/reorder": True,
    "/my/reorders/from/<string:model>/<int:document_id>": True,
    # JSON, posted by step 2 (test_portal_estimate checks it writes nothing).
    "/my/reorders/estimate": True,
    # Quick add's suggestions (JSON), the upload (renders step 2, stores nothing),
    # the download, the lists and a list's request (step 2 prefilled).
    "/my/reorders/suggest": True,
    "/my/reorders/upload": True,
    "/my/reorders/items.csv": True,
    "/my/reorders/items.xlsx": True,
    "/my/reorders/lists": True,
    "/my/reorders/lists/page/<int:page>": True,
    "/my/reorders/lists/<int:list_id>": True,
    "/my/reorders/lists/<int:list_id>/request": True,
}


@tagged("post_install", "-at_install")
class TestReadReplicaPages(ReorderHttpCase):
    """The portal pages that only read are ``readonly`` routes: with Odoo's
    db_replica_* options a read replica serves them. In tests Odoo runs them in a
    read-only transaction, where a write would fail and be retried on the primary
    with a warning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )

    def _assert_pages_write_nothing(self, urls):
        """{url: status}: each page answers without a write (no retry on the
        primary)."""
        for url, status in urls.items():
            with self.subTest(url=url), self.assertNoLogs("odoo.http", "WARNING"):
                self._get(url, status=status)

    def _import_request(self):
        """A request imported by staff with Odoo's import (a spreadsheet of items)."""
        columns = [
            "partner_id/.id",
            "line_ids/product_id/.id",
            "line_ids/product_uom_qty",
        ]
        rows = [[self.contact.id, self.bolt.id, 5], ["", self.nut.id, 2]]
        csv = "\n".join(",".join(map(str, row)) for row in [columns, *rows])
        wizard = (
            self.env["base_import.import"]
            .with_user(self.manager)
            .create(
                {
                    "res_model": "sale.reorder.request",
                    "file": csv.encode(),
                    "file_name": "requests.csv",
                    "file_type": "text/csv",
                }
            )
        )
        result = wizard.execute_import(
            columns, columns, {"has_headers": True, "quoting": '"', "separator": ","}
        )
        self.assertFalse(result["messages"])
        return self.Request.browse(result["ids"])

    def _requests_of_every_origin(self):
        """{origin: request} as each origin leaves them, before anyone opened them:
        made by staff in the backend, imported, submitted (the model call the portal
        makes; its redirect is what gives it a token), and accepted into each kind
        of document a customer can open."""
        requests = {
            "staff": self.Request.with_user(self.salesman).create(
                {
                    "partner_id": self.contact.id,
                    "line_ids": [
                        Command.create(
                            {"product_id": self.bolt.id, "product_uom_qty": 3}
                        )
                    ],
                }
            ),
            "import": self._import_request(),
            "portal": self._submit(),
        }
        for kind in ("quotation", "sale_order", "invoice", "receipt"):
            accepted = self._submit()
            journal = {"journal_id": self.cash} if kind == "receipt" else {}
            self._accept(accepted, kind, **journal)
            requests[kind] = accepted
        return requests

    def test_read_only_pages_never_write(self):
        self.authenticate("ann_portal", "ann_portal")
        request = self._submit()
        accepted = self._submit()
        accepted._accept("quotation")  # its page links the quotation
        urls = [
            "/my/reorders",
            "/my/reorders?filterby=pending&sortby=name&search=Bolt",
            request.get_portal_url(),
            accepted.get_portal_url(),
            "/my/reorders/new",
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}",
            f"/my/invoices/{self.invoice.id}/reorder",
        ]
        reorder_list = self.env["sale.reorder.list"]._create_from_portal(
            self.contact,
            self.company,
            "Weekly",
            [{"product_id": self.bolt.id, "quantity": 2}],
        )
        urls += [
            "/my/reorders/items.csv",
            "/my/reorders/items.xlsx",
            "/my/reorders/lists",
            "/my/reorders/lists/page/1",
            f"/my/reorders/lists/{reorder_list.id}",
            f"/my/reorders/lists/{reorder_list.id}/request",
        ]
        for url in urls:
            with self.subTest(url=url), self.assertNoLogs("odoo.http", "WARNING"):
                self._get(url, status=303 if "/my/invoices/" in url else 200)
        with self.assertNoLogs("odoo.http", "WARNING"):
            suggestions = self.make_jsonrpc_request(
                "/my/reorders/suggest", {"term": "Bolt"}
            )
            self.assertEqual(suggestions["items"][0]["id"], self.bolt.id)
            response = self.url_open(
                "/my/reorders/upload",
                data={"csrf_token": HttpRequest.csrf_token(self)},
                files={"item_file": ("a.csv", b"Bolt M8,2\n")},
            )
            self.assertEqual(response.status_code, 200)

    def test_no_request_nor_document_makes_a_read_only_page_write(self):
        """Requests of every origin, and the documents made from them: the list, each
        request's page (with its pager and its documents), the quick reorder from each
        document, the other read-only routes, and /my's counters."""
        requests = self._requests_of_every_origin()
        documents = requests["quotation"].sale_order_ids | (
            requests["sale_order"].sale_order_ids
        )
        moves = requests["invoice"].invoice_ids | requests["receipt"].invoice_ids
        self.authenticate("ann_portal", "ann_portal")
        tokens_before = {
            record: record.access_token
            for record in [*requests.values(), *documents, *moves]
        }
        # Opened from the list, as the customer does: the pager pages through it.
        self._assert_pages_write_nothing(
            {
                "/my/reorders": 200,
                "/my/reorders/page/1": 200,
                "/my/reorders?sortby=name&filterby=all": 200,
            }
        )
        self._assert_pages_write_nothing(
            {request.access_url: 200 for request in requests.values()}
        )
        self._assert_pages_write_nothing(
            {
                **{f"/my/orders/{order.id}/reorder": 303 for order in documents},
                **{f"/my/invoices/{move.id}/reorder": 303 for move in moves},
                f"/my/reorders/from/sale.order/{documents[-1:].id}": 303,
                "/my/reorders/new": 200,
                f"/my/reorders/new?step=2&product_ids={self.bolt.id}": 200,
                "/my/reorders/usual": 303,
                f"/my/reorders/image/{self.bolt.id}": 200,
            }
        )
        with self.assertNoLogs("odoo.http", "WARNING"):
            counters = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["reorder_request_count"]}
            )
        self.assertEqual(counters["reorder_request_count"], len(requests))
        self.env.invalidate_all()
        for record, token in tokens_before.items():
            self.assertEqual(record.access_token, token, "nothing was written")

    def test_a_request_or_document_without_a_token_is_still_read_only(self):
        """A request or a document made before tokens were given at creation (or
        whose token was cleared): the page links it without writing one."""
        requests = self._requests_of_every_origin()
        documents = (
            requests["quotation"].sale_order_ids | requests["sale_order"].sale_order_ids
        )
        moves = requests["invoice"].invoice_ids | requests["receipt"].invoice_ids
        for records in (documents, moves):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET access_token = NULL WHERE id IN %s",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
            records.invalidate_recordset(["access_token"])
        self.authenticate("ann_portal", "ann_portal")
        self._assert_pages_write_nothing(
            {request.access_url: 200 for request in requests.values()}
        )
        page = self._get(requests["receipt"].access_url).text
        receipt = requests["receipt"].invoice_ids
        self.assertIn(f'href="{receipt.access_url}"', page)
        self.assertFalse(receipt.access_token)
        self._get(receipt.access_url)  # the customer opens it with their own rights

    def test_routes_that_only_read_say_so(self):
        expected = {
            **READ_ONLY_ROUTES,
            "/my/reorders/submit": False,
            "/my/reorders/<int:request_id>/withdraw": False,
            "/reorder/reminders/stop/<int:partner_id>/<string:token>": False,
        }
        modules = sorted(self.env.registry._init_modules)
        rules = list(
            self.env["ir.http"]._generate_routing_rules(
                modules, converters=self.env["ir.http"]._get_converters()
            )
        )
        found = {
            url: endpoint.routing["readonly"]
            for url, endpoint in rules
            if url in expected
        }
        self.assertEqual(found, expected)
        # Every read-only route of the addon is in READ_ONLY_ROUTES, so the test
        # above visits it.
        ours = {
            url
            for url, endpoint in rules
            if endpoint.func.__module__.startswith("odoo.addons.sale_reorder.")
            and endpoint.routing["readonly"]
        }
        self.assertEqual(ours, set(READ_ONLY_ROUTES))

    def test_the_page_after_a_submission_reads_the_primary(self):
        """Right after a submission the customer lands on the new request, which a
        replica may not have yet: that page ("message=sent") is not read-only."""
        self.authenticate("ann_portal", "ann_portal")
        response = self._submit_form({self.bolt.id: 2}, token="replica")
        self.assertIn("message=sent", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertIn("was sent", page.text)
