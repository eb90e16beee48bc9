from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    reorder_request_ids = fields.One2many(
        "sale.reorder.request", "opportunity_id", string="Reorder Requests"
    )
    reorder_request_count = fields.Integer(compute="_compute_reorder_request_count")
    reorder_due_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_sale_reorder_due_product_rel",
        string="Items Due For Reorder",
        readonly=True,
        help="The items due for reorder this opportunity was created for (Due for "
        "Reorder report): not proposed again while it is open.",
    )

    @api.depends("reorder_request_ids")
    def _compute_reorder_request_count(self):
        for lead in self:
            lead.reorder_request_count = len(lead.reorder_request_ids)

    def action_view_reorder_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.reorder.request",
            "view_mode": "form",
            "res_id": self.reorder_request_ids[:1].id,
        }
