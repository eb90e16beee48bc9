from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    related_order_pin_required = fields.Boolean(
        related="company_id.related_order_pin_required", readonly=False
    )
    related_order_pin_set = fields.Boolean(related="company_id.related_order_pin_set")
    # Never stored, never read back: typed in the settings, hashed onto the company.
    related_order_pin = fields.Char(
        string="New Security PIN",
        compute="_compute_related_order_pin",
        inverse="_inverse_related_order_pin",
        groups="base.group_system",
    )

    def _compute_related_order_pin(self):
        self.related_order_pin = False

    def _inverse_related_order_pin(self):
        for settings in self:
            if settings.related_order_pin:
                settings.company_id._set_related_order_pin(settings.related_order_pin)
