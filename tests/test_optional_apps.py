"""What the addon does with the apps it does not depend on: Inventory (stock on hand
in the request) and Manufacturing (manufacturing orders made from a request), and what
it does without them. Each class says which database it is for: `make test` runs the
first in the full database and the second in one with the hard dependencies only."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ReorderCase, ReorderHttpCase


@tagged("post_install", "-at_install", "sale_reorder_optional_apps")
class TestWithInventoryAndManufacturing(ReorderCase):
    """Needs stock and mrp installed (left out of the minimal database)."""

    def test_stock_shown_to_staff_when_inventory_installed(self):
        """Every requested item is kept, whether the stock suffices or not."""
        self.bolt.is_storable = True
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            self.bolt, warehouse.lot_stock_id, 5
        )
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 12},
                {"product_id": self.nut.id, "quantity": 1},
            ]
        )
        bolt_line, nut_line = request.line_ids
        self.assertEqual((bolt_line.product_uom_qty, bolt_line.qty_available), (12, 5))
        self.assertTrue(bolt_line.show_stock)
        self.assertFalse(nut_line.show_stock)  # a consumable: no stock to show

    def test_accept_manufacturing_order(self):
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 5},
                {"product_id": self.nut.id, "quantity": 2},
            ]
        )
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.bolt.product_tmpl_id.id,
                "bom_line_ids": [Command.create({"product_id": self.washer.id})],
            }
        )
        self._accept(request, "manufacturing_order")
        productions = self.env["mrp.production"].search([("origin", "=", request.name)])
        self.assertEqual(productions.product_id, self.bolt)  # the nut has no BoM
        self.assertEqual(productions.product_qty, 5)
        self.assertEqual(productions.state, "draft")
        self.assertEqual(request.production_count, 1)
        self._check_accepted(request)

    def test_manufacturing_order_needs_a_bill_of_materials(self):
        request = self._submit()
        with self.assertRaises(UserError):
            self._accept(request, "manufacturing_order")
        self.assertEqual(request.state, "pending")

    def test_accept_offers_manufacturing_orders_and_lists_what_is_left_out(self):
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 5},
                {"product_id": self.nut.id, "quantity": 2},
            ]
        )
        self.assertNotIn("manufacturing_order", self._offered(request, self.manager))
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.bolt.product_tmpl_id.id,
                "bom_line_ids": [Command.create({"product_id": self.washer.id})],
            }
        )
        self.assertIn("manufacturing_order", self._offered(request, self.manager))
        wizard = Form(
            self.env["sale.reorder.accept"]
            .with_user(self.manager)
            .with_context(default_request_id=request.id)
        )
        self.assertFalse(wizard.production_note)
        wizard.document_type = "manufacturing_order"
        self.assertIn("left out", wizard.production_note)
        self.assertIn("Nut M8", wizard.production_note)
        self.assertNotIn("Bolt M8", wizard.production_note)


@tagged("post_install", "-at_install", "sale_reorder_optional_apps")
class TestManufacturingLeavesItemsOut(ReorderHttpCase):
    """A manufacturing order makes the items that have a bill of materials: the
    customer is told which items it leaves out, on the request's page and in the
    Accepted email, and staff read it in the chatter."""

    def test_the_customer_is_told_which_items_are_left_out(self):
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.bolt.product_tmpl_id.id,
                "bom_line_ids": [Command.create({"product_id": self.washer.id})],
            }
        )
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 5},
                {"product_id": self.nut.id, "quantity": 2},
            ],
            partner=self.contact,
        )
        before = self.env["mail.mail"].search([]).ids
        self._accept(request, "manufacturing_order")
        bolt_line, nut_line = request.line_ids
        self.assertEqual((bolt_line.left_out, nut_line.left_out), (False, True))
        # The Accepted email, as queued for the customer.
        email = self.env["mail.mail"].search(
            [("id", "not in", before), ("recipient_ids", "in", self.contact.ids)]
        )
        self.assertEqual(len(email), 1)
        self.assertIn("Not included in what we are making for you", email.body_html)
        self.assertIn("Nut M8", email.body_html)
        # Staff: the chatter's Accepted note.
        note = request.message_ids.filtered(lambda m: "Accepted:" in (m.body or ""))
        self.assertIn("Left out (no bill of materials): Nut M8", note.body)
        # The customer's page.
        self.authenticate("ann_portal", "ann_portal")
        page = self._get(request.access_url).text
        self.assertIn("o_sale_reorder_left_out_badge", page)
        self.assertRegex(page, r"This item is\s+not included in what we are making")
        self.assertIn("Nut M8", page.split("o_sale_reorder_left_out", 2)[-1])

    def test_only_accept_marks_items_left_out(self):
        request = self._submit()
        for user in (self.salesman, self.manager):
            with self.assertRaisesRegex(UserError, "Accept & Create only"):
                request.line_ids.with_user(user).write({"left_out": True})
            with self.assertRaisesRegex(UserError, "Accept & Create only"):
                request.with_user(user).write(
                    {
                        "line_ids": [
                            Command.create(
                                {"product_id": self.nut.id, "left_out": True}
                            )
                        ]
                    }
                )
        self.assertFalse(request.line_ids.filtered("left_out"))

    def test_an_rpc_client_asking_for_what_cannot_be_made_is_told_why(self):
        request = self._submit()
        with self.assertRaisesRegex(UserError, "None of the requested products"):
            request.with_user(self.manager)._accept("manufacturing_order")
        with self.assertRaisesRegex(UserError, "invoicing rights"):
            request.with_user(self.salesman)._accept("invoice")
        with self.assertRaisesRegex(UserError, "cannot be created here"):
            request.with_user(self.manager)._accept("spaceship")
        self.assertEqual(request.state, "pending")


@tagged("post_install", "-at_install", "sale_reorder_minimal")
class TestWithoutInventoryAndManufacturing(ReorderCase):
    """For a database with the hard dependencies only (no stock, no mrp): the
    branches for "not installed" (left out of the full database)."""

    def test_no_stock_columns_nor_manufacturing(self):
        self.assertNotIn("mrp.production", self.env)
        self.assertNotIn("is_storable", self.env["product.product"]._fields)
        request = self._submit()
        self.assertFalse(request.line_ids.show_stock)
        self.assertEqual(request.line_ids.qty_available, 0)
        kinds = dict(request._selection_document_type())
        self.assertNotIn("manufacturing_order", kinds)
        self.assertFalse(request._get_lines_with_bom())
        self.assertEqual(request.production_count, 0)
        with self.assertRaisesRegex(UserError, "Manufacturing app"):
            request.action_view_productions()
        with self.assertRaises(UserError):
            request._accept("manufacturing_order")
        self._accept(request, "sale_order")
        self.assertEqual(request.state, "accepted")
