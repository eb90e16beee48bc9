import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAppsPage(HttpCase):
    """Apps > Sale Reorder > Module Info, as an administrator reads it."""

    def test_module_info_is_whole(self):
        self.authenticate("admin", "admin")
        module = self.env["ir.module.module"].search([("name", "=", "sale_reorder")])
        # What the Module Info tab shows, read as the web client reads it.
        page = self.make_jsonrpc_request(
            "/web/dataset/call_kw/ir.module.module/web_read",
            {
                "model": "ir.module.module",
                "method": "web_read",
                "args": [module.ids],
                "kwargs": {"specification": {"description_html": {}, "icon": {}}},
            },
        )[0]
        html = page["description_html"]
        self.assertIn("Reorder Requests", html)
        self.assertIn("Related Orders", html)
        # Installing, configuring and using: not how to work on the addon.
        for developer_text in ("make test", "make run", ".cache", "pytest"):
            self.assertNotIn(developer_text, html)
        images = re.findall(r'<img[^>]* src="([^"]+)"', html) + [page["icon"]]
        self.assertGreaterEqual(len(images), 9)
        for src in images:
            with self.subTest(src=src):
                self.assertTrue(src.startswith("/sale_reorder/static/description/"))
                response = self.url_open(src)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "image/png")
