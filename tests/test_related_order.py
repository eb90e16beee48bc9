from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.sale_reorder.models.related_order.sale_order import RELATED_ORDER_KEY

RELATING = {"sale_reorder_relating": RELATED_ORDER_KEY}


@tagged("post_install", "-at_install")
class TestRelatedOrder(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Wrong PINs are recorded in a transaction of their own: in test mode that
        # "transaction" is a savepoint of the test's, which sees the test's records.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.company = cls.env.company
        cls.company.related_order_pin_required = False
        cls.salesman = new_test_user(
            cls.env,
            login="alice",
            name="Alice Seller",
            email="alice@example.com",
            tz="Europe/Brussels",
            groups="sales_team.group_sale_salesman",
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="bob",
            email="bob@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.customer = cls.env["res.partner"].create({"name": "Gadget Shop"})
        cls.invoice_address = cls.env["res.partner"].create(
            {"name": "Gadget Accounts", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.delivery_address = cls.env["res.partner"].create(
            {"name": "Gadget Depot", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.lamp, cls.bulb = cls.env["product.product"].create(
            [
                {"name": "Desk Lamp", "list_price": 40.0},
                {"name": "Spare Bulb", "list_price": 4.0},
            ]
        )
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        cls.fiscal_position = cls.env["account.fiscal.position"].create(
            {"name": "Export"}
        )
        cls.parent = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "partner_invoice_id": cls.invoice_address.id,
                "partner_shipping_id": cls.delivery_address.id,
                "payment_term_id": cls.payment_term.id,
                "fiscal_position_id": cls.fiscal_position.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create({"product_id": cls.lamp.id, "product_uom_qty": 2}),
                    Command.create({"product_id": cls.bulb.id, "product_uom_qty": 6}),
                ],
            }
        )
        cls.parent.action_confirm()

    def _wizard(self, order=None, user=None, **values):
        order = order or self.parent
        form = Form(
            self.env["sale.related.order.create"]
            .with_user(user or self.salesman)
            .with_context(default_order_id=order.id)
        )
        for field, value in values.items():
            setattr(form, field, value)
        return form.save()

    def _set_pin(self, pin="2468", required=True):
        self.company.related_order_pin_required = required
        self.company._set_related_order_pin(pin)

    def test_related_order_copies_the_parent(self):
        self.lamp.list_price = 45.0  # today's price, not the parent's
        wizard = self._wizard(customer_service_note="Kept the wrong lamp")
        self.assertEqual(wizard.line_ids.order_line_id, self.parent.order_line)
        self.assertFalse(wizard.line_ids.filtered("to_copy"), "none ticked by default")
        wizard.line_ids.filtered(lambda l: l.product_id == self.lamp).to_copy = True
        action = wizard.action_create()
        child = self.parent.related_order_ids
        self.assertEqual(action["res_id"], child.id)
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(child.state, "draft")
        for field in (
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "pricelist_id",
            "payment_term_id",
            "fiscal_position_id",
            "user_id",
            "team_id",
            "company_id",
        ):
            self.assertEqual(child[field], self.parent[field], field)
        self.assertEqual(child.origin, self.parent.name)
        self.assertEqual(child.parent_order_id, self.parent)
        self.assertEqual(child.customer_service_note, "Kept the wrong lamp")
        self.assertEqual(child.order_line.product_id, self.lamp)
        self.assertEqual(child.order_line.product_uom_qty, 2)
        self.assertEqual(child.order_line.price_unit, 45.0)
        self.assertFalse(wizard.pin)

    def test_empty_related_order_and_children_of_children(self):
        child = self.parent.with_user(self.salesman)._create_related_order()
        self.assertFalse(child.order_line)
        grandchild = child._create_related_order("Upgrade")
        self.assertEqual(grandchild.parent_order_id, child)
        self.assertEqual(self.parent.related_order_ids, child)

    @freeze_time("2026-11-23 09:15:02")
    def test_chatter_notes_on_both_orders(self):
        child = self.parent.with_user(self.salesman)._create_related_order(
            "Needs two extra bulbs <b>asap</b>"
        )
        expected = (
            f"Related order {child.name} created by alice@example.com "
            "on 11/23/2026 10:15:02"
        )
        for order in (self.parent, child):
            bodies = order.message_ids.mapped("body")
            self.assertTrue(any(expected in body for body in bodies), order.name)
        # The child links back to its parent and keeps the notes as an internal note.
        origin = child.message_ids.filtered(lambda m: "has been created from" in m.body)
        self.assertIn(f'data-oe-id="{self.parent.id}"', origin.body)
        note = child.message_ids.filtered(lambda m: "Customer Service Notes" in m.body)
        self.assertTrue(note.subtype_id.internal)
        self.assertIn("&lt;b&gt;asap&lt;/b&gt;", note.body)

    def test_smart_button_tab_and_search(self):
        first = self.parent._create_related_order()
        second = self.parent._create_related_order()
        self.assertEqual(self.parent.related_order_count, 2)
        action = self.parent.action_view_related_orders()
        self.assertEqual(
            self.env["sale.order"].search(action["domain"]), first | second
        )
        self.assertEqual(first.action_view_related_orders()["domain"][0][2], first.id)
        form = self.env["sale.order"].get_view(view_type="form")["arch"]
        self.assertIn('name="related_orders"', form)
        self.assertIn('name="action_open_related_order_wizard"', form)
        search = self.env["sale.order"].get_view(view_type="search")["arch"]
        for name in ("related_orders", "has_related_orders", "group_parent_order"):
            self.assertIn(f'name="{name}"', search)
        Order = self.env["sale.order"]
        self.assertEqual(
            Order.search(
                [
                    ("parent_order_id", "!=", False),
                    ("id", "in", [first.id, second.id, self.parent.id]),
                ]
            ),
            first | second,
        )
        self.assertIn(self.parent, Order.search([("related_order_ids", "!=", False)]))
        by_reference = Order.search(
            [
                "|",
                ("name", "ilike", self.parent.name),
                ("parent_order_id.name", "ilike", self.parent.name),
            ]
        )
        self.assertTrue(self.parent | first | second <= by_reference)

    def test_gear_menu_action(self):
        action = self.env.ref("sale_reorder.action_create_related_order")
        self.assertEqual(action.binding_model_id.model, "sale.order")
        result = action.with_context(
            active_model="sale.order",
            active_id=self.parent.id,
            active_ids=self.parent.ids,
        ).run()
        self.assertEqual(result["res_model"], "sale.related.order.create")

    def test_cancelled_orders_and_cycles_are_refused(self):
        child = self.parent._create_related_order()
        with self.assertRaises(ValidationError):
            self.parent.with_context(**RELATING).parent_order_id = child
        with self.assertRaises(ValidationError):
            child.with_context(**RELATING).parent_order_id = child
        self.parent._action_cancel()
        with self.assertRaises(UserError):
            self.parent._create_related_order()

    def test_orders_are_related_through_the_wizard_only(self):
        """Writing parent_order_id directly (RPC) would skip the PIN: refused."""
        self._set_pin("2468")
        Order = self.env["sale.order"].with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "Use Create Related Order"):
            Order.create(
                {"partner_id": self.customer.id, "parent_order_id": self.parent.id}
            )
        other = Order.create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "Use Create Related Order"):
            other.write({"parent_order_id": self.parent.id})
        with self.assertRaisesRegex(UserError, "Use Create Related Order"):
            other.with_context(
                sale_reorder_relating="forged"
            ).parent_order_id = self.parent
        self.assertFalse(self.parent.related_order_ids)

    def test_salesman_without_access_to_the_parent(self):
        with self.assertRaises(AccessError):
            self.parent.with_user(self.other_salesman)._create_related_order()

    # -- The PIN -------------------------------------------------------------------

    def test_pin_off(self):
        self.company.related_order_pin_required = False
        self.assertTrue(self.parent.with_user(self.salesman).create_related_order())

    def test_pin_required_but_not_set(self):
        self.company.related_order_pin_required = True
        wizard = self._wizard()
        self.assertFalse(wizard.pin_set)
        wizard.pin = "1234"
        with self.assertRaisesRegex(UserError, "none is set yet"):
            wizard.action_create()
        self.assertFalse(self.parent.related_order_ids)

    def _assert_pin_refused(self, wizard, message):
        """The dialog stays open (the wizard again), the reason above an empty PIN
        field, and nothing is created."""
        related = self.parent.related_order_ids
        action = wizard.action_create()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            (wizard._name, wizard.id, "new"),
        )
        self.assertIn(message, action["context"]["sale_related_order_pin_error"])
        # The dialog, opened again with that context, says why above an empty field.
        shown = wizard.with_context(**action["context"])
        shown.invalidate_recordset()
        self.assertIn(message, shown.pin_error)
        self.assertFalse(shown.pin)
        self.assertEqual(self.parent.related_order_ids, related)

    def test_pin_right_and_wrong(self):
        self._set_pin("2468")
        wizard = self._wizard(pin="1111")
        self._assert_pin_refused(wizard, "Wrong security PIN")
        self.assertFalse(self.parent.related_order_ids)
        # Typed again in the same dialog.
        wizard.pin = "2468"
        wizard.action_create()
        self.assertEqual(len(self.parent.related_order_ids), 1)

    def _typed_pins(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT typed_pin FROM sale_related_order_create"
            " WHERE typed_pin IS NOT NULL"
        )
        return self.env.cr.fetchall()

    def test_a_second_salesperson_never_reads_the_typed_pin(self):
        """The web client saves the wizard (PIN included) before its button runs: a
        colleague polling the wizards sees no wizard of Alice's, no PIN in any of
        them, and nothing remains once the button ran, right PIN or wrong."""
        self._set_pin("2468")
        Wizard = self.env["sale.related.order.create"]
        self.assertFalse(Wizard._fields["pin"].store)
        for typed, error in (("1111", "Wrong security PIN"), ("2468", None)):
            wizard = self._wizard(pin=typed)
            self.assertEqual(self._typed_pins(), [(typed,)])
            spied = Wizard.with_user(self.other_salesman).search_read([], ["pin"])
            self.assertEqual(spied, [], "another user's wizards are not readable")
            own = Wizard.with_user(self.salesman).search_read(
                [("id", "=", wizard.id)], ["pin"]
            )
            self.assertEqual(own, [{"id": wizard.id, "pin": False}])
            if error:
                self._assert_pin_refused(wizard, error)
            else:
                wizard.action_create()
            self.assertEqual(self._typed_pins(), [], "cleared, whatever the verdict")

    def test_rpc_without_pin_is_refused(self):
        self._set_pin("2468")
        parent = self.parent.with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "Enter the security PIN"):
            parent.create_related_order(note="no pin")
        self.assertFalse(
            self.env["sale.related.order.pin.failure"].search_count([]),
            "no PIN is no guess: not counted",
        )
        self.assertTrue(parent.create_related_order(note="with pin", pin="2468"))

    def test_pin_lockout(self):
        self._set_pin("2468")
        start = fields.Datetime.now()
        with freeze_time(start) as frozen:
            for _attempt in range(5):
                self._assert_pin_refused(self._wizard(pin="0000"), "Wrong security PIN")
                frozen.tick(timedelta(seconds=30))
            for _attempt in range(2):
                self._assert_pin_refused(self._wizard(pin="2468"), "try again after")
            refusal = self.parent.message_ids.filtered(
                lambda m: "too many wrong security PINs" in m.body
            )
            self.assertEqual(len(refusal), 1, "logged once per lock-out")
            # Another user is not locked out.
            manager = new_test_user(
                self.env, login="carol", groups="sales_team.group_sale_manager"
            )
            self._wizard(user=manager, pin="2468").action_create()
            frozen.tick(timedelta(minutes=16))
            self._wizard(pin="2468").action_create()
        self.assertEqual(len(self.parent.related_order_ids), 2)

    def test_pin_is_kept_hashed_and_set_by_admins_only(self):
        with self.assertRaises(ValidationError):
            self.company._set_related_order_pin("12ab")
        with self.assertRaises(ValidationError):
            self.company._set_related_order_pin("123")
        settings = self.env["res.config.settings"].create(
            {"related_order_pin": "97531", "related_order_pin_required": True}
        )
        settings.execute()
        self.assertTrue(self.company.related_order_pin_set)
        settings.invalidate_recordset()
        self.assertFalse(settings.related_order_pin)
        self.env.cr.execute(
            SQL(
                "SELECT related_order_pin_hash FROM res_company WHERE id = %s",
                self.company.id,
            )
        )
        stored = self.env.cr.fetchone()[0]
        self.assertNotIn("97531", stored)
        self.assertTrue(stored.startswith("$pbkdf2"))
        self.assertTrue(self.company._verify_related_order_pin("97531"))
        self.assertNotIn("related_order_pin_hash", self.company._fields)
        manager = new_test_user(
            self.env, login="dave", groups="sales_team.group_sale_manager"
        )
        with self.assertRaises(AccessError):
            self.company.with_user(manager)._set_related_order_pin("1234")
