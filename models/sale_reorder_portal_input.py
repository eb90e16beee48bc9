import math
import re

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero, float_round

# Above this a quantity is a typing error, not an order.
MAX_QUANTITY = 100000
MAX_COMMENT_LENGTH = 4000
# A submission token is the hex uuid4 the form was given.
SUBMISSION_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# Characters PostgreSQL cannot store, or that no customer types in a comment.
FORBIDDEN_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReorderAlreadySentError(UserError):
    """The same form was posted twice at the same moment: the other post made it."""


class ReorderInputError(ValidationError):
    """Invalid input of a customer's request. ``errors`` maps each faulty input
    (``product_<id>``, ``quantity_<id>``, ``lines``, ``comment``, ``rate``,
    ``submission_token``) to its message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


class SaleReorderPortalInput(models.AbstractModel):
    """What a customer posts (items, quantities, comment, the form's token), checked
    against their own purchase history before anything is saved, with a message per
    faulty input; and the estimate step 2 shows. The portal, RPC clients and tests
    all go through these checks (the request inherits them)."""

    _name = "sale.reorder.portal.input"
    _description = "Reorder Request Input From the Portal"

    @api.model
    def _check_portal_input(self, reorderable, lines, comment):
        """Check what a customer posted against their own purchase history.

        :return: ({product.product: quantity}, cleaned comment)
        :raise ReorderInputError: with a message per invalid input
        """
        errors = {}
        by_id = {product.id: product for product in reorderable}
        quantities = {}
        if lines is None or lines is False:
            lines = []
        if not isinstance(lines, (list, tuple)) or not all(
            isinstance(line, dict) for line in lines
        ):
            raise ReorderInputError(
                {
                    "lines": self.env._(
                        "Send the items as a list of {product_id, quantity}."
                    )
                }
            )
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        for line in lines:
            product_key = str(line.get("product_id", "")).strip()[:20]
            product = (
                by_id.get(int(product_key))
                if product_key.isascii() and product_key.isdecimal()
                else None
            )
            if not product:
                errors[f"product_{product_key}"] = self.env._(
                    "This item cannot be reordered: it is not among your previous "
                    "purchases available for reorder."
                )
                continue
            message, quantity = self._check_quantity(
                line.get("quantity"), reorderable[product]["uom"], unit_category
            )
            if message:
                errors[f"quantity_{product.id}"] = message
                continue
            quantities[product] = quantities.get(product, 0.0) + quantity
        for product, quantity in quantities.items():
            if quantity > MAX_QUANTITY:
                errors[f"quantity_{product.id}"] = self._max_quantity_message()
        if not quantities and not errors:
            errors["lines"] = self.env._("Choose at least one item to reorder.")
        if comment in (None, False):
            comment = ""
        if not isinstance(comment, str):
            errors["comment"] = self.env._("The comment must be text.")
            comment = ""
        comment = comment.strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            errors["comment"] = self.env._(
                "The comment is too long (%(length)s characters, at most %(max)s).",
                length=len(comment),
                max=MAX_COMMENT_LENGTH,
            )
        elif FORBIDDEN_CHARACTERS_RE.search(comment):
            errors["comment"] = self.env._(
                "The comment contains invisible control characters: remove them "
                "(or type it again) and submit."
            )
        if errors:
            raise ReorderInputError(errors)
        return quantities, comment

    @api.model
    def _normalize_number(self, text):
        """A number as typed in the customer's language, in Python's notation:
        "1,000" is a thousand in English and "1 000,5" a thousand and a half in
        French. A comma that is no thousands separator there is a decimal point."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        thousands, decimal = lang.thousands_sep or "", lang.decimal_point or "."
        if thousands and re.fullmatch(
            rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?",
            text,
        ):
            text = text.replace(thousands, "")
        return text.replace(decimal, ".").replace(",", ".")

    @api.model
    def _max_quantity_message(self):
        return self.env._(
            "The quantity cannot be more than %(max)s; contact us for larger orders.",
            max=MAX_QUANTITY,
        )

    @api.model
    def _check_quantity(self, value, uom, unit_category=None):
        """:return: (error message or None, quantity as a float)"""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return self.env._("Enter the quantity as a number."), 0.0
        text = self._normalize_number(str(value).strip())
        try:
            quantity = float(text) if text.isascii() and len(text) <= 32 else None
        except ValueError:
            quantity = None
        if quantity is None or not math.isfinite(quantity):
            return self.env._("Enter the quantity as a number."), 0.0
        if quantity > MAX_QUANTITY:
            return self._max_quantity_message(), 0.0
        if quantity <= 0 or float_is_zero(quantity, precision_rounding=uom.rounding):
            return self.env._("The quantity must be more than zero."), 0.0
        unit_category = unit_category or self.env.ref("uom.product_uom_categ_unit")
        if uom.category_id == unit_category and quantity != int(quantity):
            return self.env._(
                "%(uom)s are counted in whole numbers.", uom=uom.name
            ), 0.0
        if float_round(quantity, precision_rounding=uom.rounding) != quantity:
            return self.env._(
                "The quantity is more precise than %(uom)s allow.", uom=uom.name
            ), 0.0
        return None, quantity

    @api.model
    def _check_submission_token(self, token):
        """The token of the customer's form, or None. Only the hex uuid the form
        was given is a token: anything else is refused with a message."""
        if token in (None, False, ""):
            return None
        if not isinstance(token, str) or not SUBMISSION_TOKEN_RE.fullmatch(token):
            raise ReorderInputError(
                {
                    "submission_token": self.env._(
                        "This form is out of date: please submit it again."
                    )
                }
            )
        return token

    @api.model
    def _estimate_portal_prices(self, partner, company, reorderable, quantities):
        """Step 2's estimate before submitting: {"lines": {product id: (unit price,
        subtotal)}, "total": float, "currency": res.currency}. A quantity that is
        not (yet) a valid number counts as nothing."""
        partner = partner.with_company(company)
        pricelist = partner.property_product_pricelist
        currency = pricelist.currency_id or company.currency_id
        Line = self.env["sale.reorder.request.line"]
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        lines = {}
        for product, history in reorderable.items():
            if product.id not in quantities:
                continue
            error, quantity = self._check_quantity(
                quantities[product.id], history["uom"], unit_category
            )
            unit_price = Line._get_estimated_unit_price(
                product, quantity or 1.0, history["uom"], pricelist, currency, company
            )
            lines[product.id] = (unit_price, 0.0 if error else unit_price * quantity)
        return {
            "lines": lines,
            "total": sum(subtotal for _unit, subtotal in lines.values()),
            "currency": currency,
        }
