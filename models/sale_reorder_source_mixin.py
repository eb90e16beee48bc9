from odoo import models


class SaleReorderSourceMixin(models.AbstractModel):
    """A customer document the portal's quick reorder can start from (a posted
    invoice or sales receipt, a confirmed order). The documents say which of them
    qualify and where their lines are; the rest lives here once."""

    _name = "sale.reorder.source.mixin"
    _description = "Document a Reorder Can Start From"

    def action_view_reorder_request(self):
        """The reorder request the document was made from (its smart button)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.reorder.request",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": self.reorder_request_id.id,
        }

    def _is_reorder_source(self):
        """Whether the quick reorder may start from this document."""
        raise NotImplementedError

    def _get_reorder_source_lines(self):
        """(lines, quantity field, unit field) of the document."""
        raise NotImplementedError

    def _can_reorder_from_portal(self, user=None, company=None):
        """Whether the portal offers "Reorder these items" on this document to
        ``user`` on ``company``'s pages (default: the environment's; the portal's
        document pages pass the visitor's, their record being the superuser's): a
        logged-in user, the feature on in the document's company, that company the
        page's, and a product available for reorder (the portal re-checks the
        customer's history itself)."""
        self.ensure_one()
        user = user or self.env.user
        company = company or self.env.company
        lines = self._get_reorder_source_lines()[0]
        return (
            self._is_reorder_source()
            and self.company_id == company
            and self.company_id.reorder_request_enabled
            and not user._is_public()
            and any(lines.product_id.mapped("available_for_reorder"))
        )

    def _get_reorder_quantities(self):
        """{product.product: (quantity, unit)}: the document's quantities per product,
        in the product's unit (the portal keeps the reorderable ones)."""
        self.ensure_one()
        if not self._is_reorder_source():
            return {}
        lines, quantity_field, uom_field = self._get_reorder_source_lines()
        quantities = {}
        for line in lines.filtered("product_id"):
            product = line.product_id
            quantity = line[uom_field]._compute_quantity(
                line[quantity_field], product.uom_id, round=False
            )
            total = quantities.get(product, (0.0, product.uom_id))[0] + quantity
            quantities[product] = (total, product.uom_id)
        return quantities
