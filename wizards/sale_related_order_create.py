from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
    # Typed by the user, cleared as soon as it was checked (as res.users.identitycheck
    # does with a password); the company's PIN itself is only ever kept hashed.
    pin = fields.Char(string="Security PIN", copy=False)

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

    def _forget_pin(self):
        """Clear the typed PIN in a transaction of its own: a refusal rolls this one
        back (this transaction never writes the row, so nothing waits on it)."""
        if not self.pin:
            return
        with self.env.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            cr.execute(
                SQL(
                    "UPDATE sale_related_order_create SET pin = NULL WHERE id = %s",
                    self.id,
                )
            )

    def action_create(self):
        self.ensure_one()
        try:
            child = self.order_id._create_related_order(
                self.customer_service_note,
                self.line_ids.filtered("to_copy").order_line_id,
                self.pin,
            )
        finally:
            self._forget_pin()
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
