from odoo import Command, api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    available_for_reorder = fields.Boolean(
        string="Available for Reorder",
        help="Portal customers who bought this product before may ask to reorder it. "
        "Archived or not sellable products are never offered.",
    )

    def write(self, vals):
        """Another unit: the usual quantities of the buying rhythms are counted in the
        product's unit, so they are computed again."""
        if "uom_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda template: template.uom_id.id != vals["uom_id"])
        res = super().write(vals)
        if changed:
            self.env["sale.reorder.rhythm"].sudo()._refresh_products(
                changed.with_context(active_test=False).product_variant_ids
            )
        return res

    @api.model
    def _demo_reorder_manufacturing_and_stock(self):
        """Demo data for the apps the addon does not depend on: the LED strip is
        made from a reel (a bill of materials, with Manufacturing) and the hinges are
        stored with 40 pairs on hand (with Inventory), so that every Accept choice and
        the On Hand / Forecast columns show something."""
        led = self.env.ref("sale_reorder.product_led", raise_if_not_found=False)
        hinge = self.env.ref("sale_reorder.product_hinge", raise_if_not_found=False)
        if led and "mrp.bom" in self.env:
            reel = self.env["product.product"].create(
                {"name": "LED Reel 50 m", "type": "consu", "standard_price": 150.0}
            )
            self.env["mrp.bom"].create(
                {
                    "product_tmpl_id": led.product_tmpl_id.id,
                    "product_qty": 25,
                    "bom_line_ids": [
                        Command.create({"product_id": reel.id, "product_qty": 1})
                    ],
                }
            )
        if hinge and "is_storable" in hinge._fields:
            hinge.is_storable = True
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", self.env.company.id)], limit=1
            )
            if warehouse:
                self.env["stock.quant"].with_context(inventory_mode=True).create(
                    {
                        "product_id": hinge.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": 40,
                    }
                ).action_apply_inventory()
