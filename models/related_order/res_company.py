from odoo import fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    related_order_pin_required = fields.Boolean(
        string="Require Security PIN To Create Related Order"
    )
    related_order_pin_set = fields.Boolean(
        string="Related Order PIN Is Set", compute="_compute_related_order_pin_set"
    )

    # ------------------------------------------------------------------------------
    # Security PIN for related orders. Only its hash is kept, in a column that is no
    # ORM field: it never reaches a browser, an RPC client or an export.
    # ------------------------------------------------------------------------------

    def init(self):  # pylint: disable=missing-return
        super().init()
        self.env.cr.execute(
            "ALTER TABLE res_company "
            "ADD COLUMN IF NOT EXISTS related_order_pin_hash VARCHAR"
        )

    def _get_related_order_pin_hash(self):
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT related_order_pin_hash FROM res_company WHERE id = %s", self.id)
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _compute_related_order_pin_set(self):
        for company in self:
            company.related_order_pin_set = bool(
                company.id and company._get_related_order_pin_hash()
            )

    def _set_related_order_pin(self, pin):
        """Set (or, with no pin, remove) the company's security PIN: 4 to 8 digits,
        kept hashed. Settings administrators only."""
        if not self.env.is_system():
            raise AccessError(
                self.env._("Only a Settings administrator can set the security PIN.")
            )
        pin = (pin or "").strip()
        if pin and not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise ValidationError(self.env._("The security PIN must be 4 to 8 digits."))
        hashed = self.env["res.users"]._crypt_context().hash(pin) if pin else None
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET related_order_pin_hash = %s WHERE id IN %s",
                hashed,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["related_order_pin_set"])

    def _verify_related_order_pin(self, pin):
        self.ensure_one()
        hashed = self._get_related_order_pin_hash()
        if not hashed or not pin:
            return False
        return self.env["res.users"]._crypt_context().verify(str(pin), hashed)
