from odoo import Command, api, fields, models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    reorder_request_ids = fields.One2many(
        "sale.reorder.request", "opportunity_id", string="Reorder Requests"
    )
    reorder_request_count = fields.Integer(compute="_compute_reorder_request_count")
    # Set by the Due for Reorder report's Create Opportunity only (as the company):
    # an item on an open opportunity is not proposed again, so no one else may say
    # which items an opportunity holds (see _check_reorder_due_products_access).
    reorder_due_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_sale_reorder_due_product_rel",
        string="Items Due For Reorder",
        readonly=True,
        copy=False,
        help="The items due for reorder this opportunity was created for (Due for "
        "Reorder report): not proposed again while it is open.",
    )

    @api.depends("reorder_request_ids")
    def _compute_reorder_request_count(self):
        for lead in self:
            lead.reorder_request_count = len(lead.reorder_request_ids)

    @api.model_create_multi
    def create(self, vals_list):
        if any("reorder_due_product_ids" in vals for vals in vals_list):
            self._check_reorder_due_products_access()
        return super().create(vals_list)

    def write(self, vals):
        if "reorder_due_product_ids" in vals:
            self._check_reorder_due_products_access()
        return super().write(vals)

    def action_view_reorder_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.reorder.request",
            "view_mode": "form",
            "res_id": self.reorder_request_ids[:1].id,
        }

    def _check_reorder_due_products_access(self):
        """Refuse to set an opportunity's items due for reorder other than through
        _set_reorder_due_products: an item on an open opportunity is never
        proposed again, so whoever set them could keep a colleague's customer from
        being offered its due items."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The items due for reorder of an opportunity are set by Create "
                    "Opportunity in CRM > Reporting > Due for Reorder only."
                )
            )

    def _set_reorder_due_products(self, products):
        """The items due for reorder this opportunity was created for (Create
        Opportunity of the Due for Reorder report), set as the company."""
        self.sudo().write({"reorder_due_product_ids": [Command.set(products.ids)]})
