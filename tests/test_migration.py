"""What the upgrade to 18.0.1.4.0 does to an installed database's data: the emails no
one changed get this release's text, an administrator's own wording is kept, and every
request gets its access token. (make test-upgrade runs the whole upgrade from an
earlier release; this checks each case of the migration on its own.)"""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.4.0"
    / "post-migrate.py"
)


def load_migration():
    spec = importlib.util.spec_from_file_location("sale_reorder_1_4_0", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrationOfThisRelease(TransactionCase):
    OLD_BODY = "<p>2 item(s), as an earlier release shipped it.</p>"

    def setUp(self):
        super().setUp()
        self.migration = load_migration()
        self.notification = self.env.ref(
            "sale_reorder.mail_template_reorder_notification"
        )
        # An earlier release's body, as the install left it (written in SQL: the
        # record was never written since it was created).
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s),"
            " write_date = create_date WHERE id = %s",
            [self.OLD_BODY, self.notification.id],
        )
        self.notification.invalidate_recordset()
        self.migration.SHIPPED_BODIES = {
            "mail_template_reorder_notification": {
                self.migration.fingerprint(self.OLD_BODY)
            }
        }

    def test_an_email_no_one_changed_gets_this_releases_text(self):
        self.migration.migrate(self.env.cr, "18.0.1.3.1")
        self.notification.invalidate_recordset()
        self.assertIn("line_count == 1", str(self.notification.body_html))
        self.assertEqual(
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "sale_reorder"),
                    ("name", "=", "mail_template_reorder_notification"),
                ]
            )
            .noupdate,
            True,
            "still the administrator's to change",
        )

    def test_an_administrators_wording_is_kept(self):
        # Only the subject changed: the body is still a shipped one.
        self.notification.subject = "New request {{ object.name }}"
        self.migration.migrate(self.env.cr, "18.0.1.3.1")
        self.notification.invalidate_recordset()
        self.assertEqual(str(self.notification.body_html), self.OLD_BODY)
        self.assertEqual(self.notification.subject, "New request {{ object.name }}")

    def test_every_request_gets_its_token(self):
        partner = self.env["res.partner"].create({"name": "Old Customer"})
        request = self.env["sale.reorder.request"].create({"partner_id": partner.id})
        self.env.cr.execute(
            "UPDATE sale_reorder_request SET access_token = NULL WHERE id = %s",
            [request.id],
        )
        self.migration.migrate(self.env.cr, "18.0.1.3.1")
        request.invalidate_recordset()
        self.assertTrue(request.access_token)

    def test_a_new_install_is_left_alone(self):
        self.migration.migrate(self.env.cr, None)
        self.notification.invalidate_recordset()
        self.assertEqual(str(self.notification.body_html), self.OLD_BODY)
