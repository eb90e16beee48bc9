from odoo.tests import tagged

from odoo.addons.sale_reorder.controllers.portal import read_only_unless_just_written

from .common import ReorderHttpCase


@tagged("post_install", "-at_install")
class TestReadReplicaPages(ReorderHttpCase):
    """The portal pages that only read are ``readonly`` routes: with Odoo's
    db_replica_* options a read replica serves them. In tests Odoo runs them in a
    read-only transaction, where a write would fail and be retried on the primary
    with a warning."""

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
        for url in urls:
            with self.subTest(url=url), self.assertNoLogs("odoo.http", "WARNING"):
                self._get(url, status=303 if "/my/invoices/" in url else 200)

    def test_routes_that_only_read_say_so(self):
        expected = {
            "/my/reorders": read_only_unless_just_written,
            "/my/reorders/<int:request_id>": read_only_unless_just_written,
            "/my/reorders/new": True,
            "/my/reorders/estimate": True,
            "/my/invoices/<int:invoice_id>/reorder": True,
            "/my/orders/<int:order_id>/reorder": True,
            "/my/reorders/submit": False,
            "/my/reorders/<int:request_id>/withdraw": False,
        }
        modules = sorted(self.env.registry._init_modules)
        found = {
            url: endpoint.routing["readonly"]
            for url, endpoint in self.env["ir.http"]._generate_routing_rules(
                modules, converters=self.env["ir.http"]._get_converters()
            )
            if url in expected
        }
        self.assertEqual(found, expected)

    def test_the_page_after_a_submission_reads_the_primary(self):
        """Right after a submission the customer lands on the new request, which a
        replica may not have yet: that page ("message=sent") is not read-only."""
        self.authenticate("ann_portal", "ann_portal")
        response = self._submit_form({self.bolt.id: 2}, token="replica")
        self.assertIn("message=sent", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertIn("was sent", page.text)
