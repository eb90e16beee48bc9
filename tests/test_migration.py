"""What the upgrades do to an installed database's data. To 18.0.1.4.0: the emails no
one changed get this release's text, an administrator's own wording is kept, and every
request gets its access token. To 18.0.1.5.0: the stored rhythms are computed again
with the one rule of a purchase (an invoice credited in full no longer counts). To
18.0.1.6.0: each item gets its request's decision, and the Accepted email its items'
outcomes where no person changed it, even after an earlier upgrade loaded it. (make
test-upgrade runs the whole upgrade from an earlier release; this checks each case of
the migrations on its own.)"""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from ..tools import fingerprint
from .common import ReorderCase

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load_migration(version="18.0.1.4.0", script="post-migrate"):
    path = MIGRATIONS / version / f"{script}.py"
    spec = importlib.util.spec_from_file_location(
        f"sale_reorder_{version}_{script}", path
    )
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
            "mail_template_reorder_notification": {fingerprint(self.OLD_BODY)}
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
        # Only the subject changed, in the web client: the body is still a shipped
        # one.
        self.notification.with_user(
            self.env.ref("base.user_admin")
        ).subject = "New request {{ object.name }}"
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


@tagged("post_install", "-at_install")
class TestMigrationToOnePurchaseRule(ReorderCase):
    """18.0.1.5.0: an invoice credited in full no longer counts; the stored rhythms
    are computed again with the rule."""

    def test_a_rhythm_counting_a_credited_invoice_is_computed_again(self):
        invoices = [
            self._post_move(self.customer, [(self.washer, 5, 0.5)], date=day)
            for day in ("2026-01-01", "2026-02-01", "2026-03-01")
        ]
        self._credit(invoices[-1])
        Rhythm = self.env["sale.reorder.rhythm"]
        Rhythm._refresh_pending()
        # A rhythm stored as if the credited invoice still counted.
        self.env.cr.execute(
            """
            INSERT INTO sale_reorder_rhythm (company_id, partner_id, product_id,
                   purchase_count, last_date, interval_days, usual_quantity, next_date)
            VALUES (%s, %s, %s, 3, '2026-03-01', 29.5, 5, '2026-03-31')
            """,
            [self.company.id, self.customer.id, self.washer.id],
        )
        load_migration("18.0.1.5.0").migrate(self.env.cr, "18.0.1.4.0")
        self.assertFalse(
            Rhythm.search(
                [
                    ("partner_id", "=", self.customer.id),
                    ("product_id", "=", self.washer.id),
                ]
            ),
            "two purchases left",
        )
        history = self.customer._get_reorderable_products()
        self.assertEqual(str(history[self.washer]["last_date"]), "2026-02-01")


@tagged("post_install", "-at_install")
class TestMigrationToItemDecisions(ReorderCase):
    """18.0.1.6.0: the items of requests decided before get their request's decision;
    the Accepted email tells each item's outcome."""

    def test_each_item_gets_its_requests_decision(self):
        accepted, declined, withdrawn, pending = (self._submit() for _i in range(4))
        self._accept(accepted, "quotation")
        declined._decline("No.")
        withdrawn.sudo()._withdraw_by_customer(
            self._make_portal_user(self.contact, "ann_migrates")
        )
        requests = accepted | declined | withdrawn | pending
        # As an earlier release left them: no decision column at all.
        self.env.cr.execute(
            "ALTER TABLE sale_reorder_request_line ALTER COLUMN decision DROP NOT NULL;"
            "UPDATE sale_reorder_request_line SET decision = NULL"
            " WHERE request_id IN %s",
            [tuple(requests.ids)],
        )
        load_migration("18.0.1.6.0", "pre-migrate").migrate(self.env.cr, "18.0.1.5.0")
        requests.line_ids.invalidate_recordset(["decision"])
        self.assertEqual(
            [request.line_ids.decision for request in requests],
            ["accept", "decline", "decline", "accept"],
        )

    def test_the_accepted_email_loaded_again_after_an_earlier_upgrade(self):
        template = self.env.ref("sale_reorder.mail_template_reorder_accepted")
        old_body = "<p>Good news: we accepted it.</p>"
        # As 18.0.1.4.0's upgrade left it: written since its install, by the
        # superuser only.
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s),"
            " write_date = create_date + interval '1 day', write_uid = 1"
            " WHERE id = %s",
            [old_body, template.id],
        )
        template.invalidate_recordset()
        migration = load_migration("18.0.1.6.0")
        migration.SHIPPED_BODIES = {
            "mail_template_reorder_accepted": {fingerprint(old_body)}
        }
        migration.migrate(self.env.cr, "18.0.1.5.0")
        template.invalidate_recordset()
        self.assertIn("_get_customer_outcome", str(template.body_html))
        # Once an administrator changed it in the web client, it is theirs.
        template.with_user(self.env.ref("base.user_admin")).subject = "Accepted!"
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s)"
            " WHERE id = %s",
            [old_body, template.id],
        )
        template.invalidate_recordset()
        migration.migrate(self.env.cr, "18.0.1.5.0")
        template.invalidate_recordset()
        self.assertEqual(str(template.body_html), old_body)
