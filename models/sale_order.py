from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sale.reorder.source.mixin"]

    reorder_request_id = fields.Many2one(
        "sale.reorder.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's reorder request this order was created from.",
    )

    # ------------------------------------------------------------------------------
    # Reorder from the portal
    # ------------------------------------------------------------------------------

    def _is_reorder_source(self):
        """A confirmed order."""
        self.ensure_one()
        return self.state == "sale"

    def _get_reorder_source_lines(self):
        return self.order_line, "product_uom_qty", "product_uom"

    def _can_reorder_from_portal(self, user=None, company=None):
        """On an order, unless the company offers eCommerce's Order Again only
        (``reorder_order_page_button``)."""
        return (
            super()._can_reorder_from_portal(user, company)
            and self.company_id.reorder_order_page_button
        )

    def _is_order_again_offered(self):
        """Whether eCommerce's Order Again (website_sale: it fills the cart) is on
        this order's portal page too, by website_sale's own condition, read
        without depending on it: the page then says how the two differ."""
        self.ensure_one()
        if "website" not in self.env:
            return False
        website = self.env["website"].get_current_website()
        return bool(
            "enabled_portal_reorder_button" in website._fields
            and website.enabled_portal_reorder_button
            and hasattr(self, "_is_reorder_allowed")
            and self._is_reorder_allowed()
        )

    # ------------------------------------------------------------------------------
    # Related items requested from the portal
    # ------------------------------------------------------------------------------

    def _can_request_related_items(self, user=None, company=None):
        """Whether ``user`` may ask for items related to this order on ``company``'s
        portal pages (default: the environment's; the order's portal page passes the
        visitor's, its record being the superuser's): a logged-in user, a confirmed
        order of that company, where reorder requests are taken."""
        self.ensure_one()
        user = user or self.env.user
        company = company or self.env.company
        return (
            self.state == "sale"
            and self.company_id == company
            and self.company_id.reorder_request_enabled
            and not user._is_public()
        )

    def _get_related_request_items(self, history):
        """The items a request related to this order offers beside the customer's
        reorderable ``history`` (res.partner._get_reorderable_products): the
        order's own products (at the order's quantity, unit and price) and their
        optional products (Odoo's add-ons of a product, at 1 unit), active,
        sellable and of the order's company, whether or not available for
        reorder, as history items {product: {...}} with ``related`` "order" or
        "optional" (no date of a last purchase for an optional product). An item
        of the history keeps its history."""
        self.ensure_one()
        items = {}
        company = self.company_id

        def offered(product):
            return (
                product
                and product not in history
                and product not in items
                and product.active
                and product.sale_ok
                and product.company_id in (company, product.company_id.browse())
            )

        for line in self.order_line:
            if line.display_type or not offered(line.product_id):
                continue
            items[line.product_id] = self._related_request_item(
                line.product_id,
                "order",
                line.product_uom_qty,
                line.product_uom,
                line.price_unit,
                self.date_order.date(),
            )
        optional = self.order_line.product_template_id.optional_product_ids
        for product in optional.product_variant_ids.filtered(offered):
            items[product] = self._related_request_item(
                product, "optional", 1.0, product.uom_id, None, None
            )
        return items

    def _related_request_item(self, product, related, quantity, uom, price, date):
        return {
            "product": product,
            "related": related,
            "last_date": date,
            "last_quantity": quantity,
            "last_price": price,
            "currency": self.currency_id,
            "uom": uom,
            "interval_days": None,
            "next_date": None,
            "usual_quantity": None,
            "on_order": False,
            "due_status": None,
            "due_days": None,
            "due_label": "",
            "interval_label": "",
        }
