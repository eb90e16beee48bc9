from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.related_order.sale_order import RelatedOrderPinError


class SaleRelatedOrderCreate(models.TransientModel):
    _name = "sale.related.order.create"
    _description = "Create Related Order"

    order_id = fields.Many2one(
        "sale.order", string="Parent Order", required=True, ondelete="cascade"
    )
    customer_service_note = fields.Text(string="Customer Service Notes")
    line_ids = fields.One2many(
        "sale.related.order.create.line",
        "wizard_id",
        string="Lines to Copy",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        help="Ticked lines are copied with their product, description and quantity, "
        "at today's prices.",
    )
    pin_required = fields.Boolean(
        related="order_id.company_id.related_order_pin_required"
    )
    pin_set = fields.Boolean(related="order_id.company_id.related_order_pin_set")
    # Typed by the user, never an ORM column: the web client saves the wizard before
    # its button runs, so the typed PIN waits in a column no view, RPC call or export
    # can read (see init), and is cleared, committed, before it is checked. Wizards are
    # readable by their creator only (record rule). The company's PIN is kept hashed.
    pin = fields.Char(
        string="Security PIN", compute="_compute_pin", inverse="_inverse_pin"
    )
    # Why the last PIN was refused: shown above the (empty) field when the dialog opens
    # again. From the context, never written: the row is the typed PIN's, which a side
    # transaction has just cleared (writing it here would be a concurrent update).
    pin_error = fields.Char(compute="_compute_pin_error")

    def init(self):  # pylint: disable=missing-return
        super().init()
        self.env.cr.execute(
            "ALTER TABLE sale_related_order_create "
            "ADD COLUMN IF NOT EXISTS typed_pin VARCHAR"
        )
        # Before 18.0.1.1.0 the typed PIN was an ORM column: nothing may remain of it.
        self.env.cr.execute(
            "ALTER TABLE sale_related_order_create DROP COLUMN IF EXISTS pin"
        )

    def _compute_pin(self):
        self.pin = False

    @api.depends_context("sale_related_order_pin_error")
    def _compute_pin_error(self):
        error = self.env.context.get("sale_related_order_pin_error")
        self.pin_error = str(error)[:200] if error else False

    def _inverse_pin(self):
        for wizard in self:
            if wizard.pin:
                self.env.cr.execute(
                    SQL(
                        "UPDATE sale_related_order_create SET typed_pin = %s "
                        "WHERE id = %s",
                        str(wizard.pin)[:64],
                        wizard.id,
                    )
                )

    @api.depends("order_id")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create({"order_line_id": line.id})
                for line in wizard.order_id.order_line
                if not line.display_type
            ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["sale.order"].browse(values.get("order_id"))
        if order.state == "cancel":
            raise UserError(self.env._("A cancelled order cannot have related orders."))
        return values

    def _take_typed_pin(self):
        """The PIN typed in this wizard, cleared at once in a transaction of its
        own (committed whatever the verdict: a refusal rolls the current one back,
        and this transaction never writes the row, so nothing waits on it)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT typed_pin FROM sale_related_order_create WHERE id = %s", self.id
            )
        )
        row = self.env.cr.fetchone()
        pin = row[0] if row else None
        if pin:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '10s'")
                cr.execute(
                    SQL(
                        "UPDATE sale_related_order_create SET typed_pin = NULL "
                        "WHERE id = %s",
                        self.id,
                    )
                )
        return pin

    def _create_related(self, pin):
        """Make the related order: the one hook for a module that makes it
        otherwise, through _create_related_order (which checks the PIN before
        anything is written)."""
        self.ensure_one()
        return self.order_id._create_related_order(
            self.customer_service_note,
            self.line_ids.filtered("to_copy").order_line_id,
            pin,
        )

    def action_create(self):
        """Create the related order; a refused PIN keeps the dialog open, its field
        empty and the reason above it (the refusal is already counted, in a
        transaction of its own)."""
        self.ensure_one()
        try:
            child = self._create_related(self._take_typed_pin())
        except RelatedOrderPinError as error:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Create Related Order"),
                "res_model": self._name,
                "res_id": self.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {
                    **self.env.context,
                    "sale_related_order_pin_error": error.args[0],
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Related Order"),
            "res_model": "sale.order",
            "res_id": child.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class SaleRelatedOrderCreateLine(models.TransientModel):
    _name = "sale.related.order.create.line"
    _description = "Line of the Parent Order to Copy"

    wizard_id = fields.Many2one(
        "sale.related.order.create", required=True, ondelete="cascade"
    )
    order_line_id = fields.Many2one(
        "sale.order.line", required=True, ondelete="cascade"
    )
    to_copy = fields.Boolean(string="Copy")
    product_id = fields.Many2one(related="order_line_id.product_id")
    name = fields.Text(related="order_line_id.name", string="Description")
    product_uom_qty = fields.Float(related="order_line_id.product_uom_qty")
    product_uom = fields.Many2one(related="order_line_id.product_uom")
