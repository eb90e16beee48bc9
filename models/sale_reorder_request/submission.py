import math
import re

from psycopg2.errors import UniqueViolation

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero, float_round

from ...tools import FORBIDDEN_CHARACTERS_RE

# Above this a quantity is a typing error, not an order.
MAX_QUANTITY = 100000
# A number once read in the customer's language: "12", "-3", "2.5", ".5", "1e3".
NUMBER_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
LONG_INTEGER_RE = re.compile(r"[-+]?\d+", re.ASCII)
# Every kind of space that may separate groups of thousands: the space, the no-break
# spaces (French writes U+202F or U+00A0), the thin and other typographic spaces.
NUMBER_SPACES = "\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
NUMBER_SPACES_RE = re.compile(f"[{NUMBER_SPACES}]")
# "1 000", "12 500,5": groups of exactly three digits separated by spaces.
SPACE_GROUPED_NUMBER_RE = re.compile(
    rf"[-+]?\d{{1,3}}(?:[{NUMBER_SPACES}]\d{{3}})+(?:[.,]\d+)?", re.ASCII
)
# A dot followed by exactly three digits ("1.000", "12.500", "1 000.500"): where the
# decimal point is a comma, thousands or a decimal number? ("1.5", "1.25" are decimals.)
AMBIGUOUS_DOT_RE = re.compile(r"\.\d{3}(?!\d)", re.ASCII)
MAX_COMMENT_LENGTH = 4000
# A submission token is the hex uuid4 the form was given.
SUBMISSION_TOKEN_RE = re.compile(r"[0-9a-f]{32}")


class ReorderAlreadySentError(UserError):
    """The same form was posted twice at the same moment: the other post made it."""


class ReorderInputError(ValidationError):
    """Invalid input of a customer's request. ``errors`` maps each faulty input
    (``product_<id>``, ``quantity_<id>``, ``lines``, ``comment``, ``rate``,
    ``submission_token``) to its message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


class SaleReorderRequest(models.Model):
    """The request as a customer submits it: what they post (items, quantities,
    comment, the form's token) checked against their own purchase history before
    anything is saved, with a message per faulty input, then the Pending request with
    its opportunity and notification. The portal, RPC clients and tests all go through
    ``_create_from_portal``. Also the estimate step 2 shows."""

    _inherit = "sale.reorder.request"

    # === ACTION METHODS ===#

    @api.model
    def create_from_portal(
        self,
        lines,
        comment=None,
        submission_token=None,
        related_order_id=None,
        related_reason=None,
    ):
        """RPC entry point: a reorder request for the calling user's own contact, in
        the current company (checked against the user's companies, as Odoo does for
        ``allowed_company_ids``, before switching to superuser); with
        ``related_order_id`` (the id of one of the customer's confirmed orders) and
        ``related_reason``, a request for items related to that order."""
        company = self.env.company
        partner = self.env.user.partner_id
        return (
            self.sudo()
            ._create_from_portal(
                partner,
                lines,
                comment,
                submission_token=submission_token,
                company=company,
                related_order=related_order_id,
                related_reason=related_reason,
            )
            .id
        )

    # === BUSINESS METHODS ===#

    @api.model
    def _create_from_portal(
        self,
        partner,
        lines,
        comment=None,
        submission_token=None,
        company=None,
        related_order=None,
        related_reason=None,
    ):
        """Create a Pending request for ``partner``, its opportunity and notification.

        Everything but the checks is done as the company (superuser): the customer is
        neither the author of the messages nor the one who assigns the salesperson,
        the opportunity or the to-do, and only the notification template mails the
        salesperson (queued, not sent while the customer waits).

        :param partner: the customer contact (res.partner, or its id) asking
        :param lines: [{"product_id": int|str, "quantity": float|str}, ...] as posted
        :param comment: the customer's comment (plain text)
        :param submission_token: the token of the submitted form: posting the same
            form twice returns the request of the first post instead of a second one
        :param company: the company asked (default: the environment's)
        :param related_order: the customer's confirmed order (sale.order or its id)
            the items are asked for, from its portal page: its products and their
            optional products are offered beside the history
        :param related_reason: why (RELATED_REASONS), with ``related_order``
        :raise ReorderInputError: (a ValidationError) naming every invalid input
        :return: the new sale.reorder.request (in the caller's environment)
        """
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        partner.ensure_one()
        company = company or self.env.company
        if not company.reorder_request_enabled:
            raise UserError(self.env._("Reorder requests are not available."))
        submission_token = self._check_submission_token(submission_token)
        # One submission at a time per customer, each seeing the ones before it: the
        # rate limit and the form's token hold across workers and parallel posts.
        self.env["sale.reorder.submission.lock"].sudo()._acquire(
            partner.commercial_partner_id, company
        )
        if submission_token:
            previous = self.sudo().search(
                [
                    ("submission_token", "=", submission_token),
                    ("partner_id", "=", partner.id),
                ],
                limit=1,
            )
            if previous:
                return self.browse(previous.id)
        self._check_submission_rate(partner, company)
        reorderable = partner._get_reorderable_products(company)
        related = {}
        if related_order is None and related_reason not in (None, False):
            raise ReorderInputError(
                {
                    "related_reason": self.env._(
                        "A reason is given for items related to one of your orders "
                        "only."
                    )
                }
            )
        if related_order is not None:
            related_order = self._check_related_order(
                partner, company, related_order, related_reason
            )
            reorderable = {
                **reorderable,
                **related_order._get_related_request_items(reorderable),
            }
            related = {
                "related_order_id": related_order.id,
                "related_reason": related_reason,
            }
        quantities, comment = self._check_portal_input(reorderable, lines, comment)

        Request = (
            self.with_user(SUPERUSER_ID)
            .with_company(company)
            .with_context(
                mail_create_nosubscribe=True,
                mail_create_nolog=True,
                mail_auto_subscribe_no_notify=True,
                mail_activity_quick_update=True,
                mail_notify_force_send=False,
            )
        )
        user = self._get_default_salesperson(partner, company)
        try:
            with self.env.cr.savepoint():
                request = Request._create_submitted(
                    {
                        **self._prepare_portal_request_values(
                            partner,
                            user,
                            comment,
                            submission_token,
                            quantities,
                            reorderable,
                            company,
                        ),
                        **related,
                    }
                )
        except UniqueViolation as error:
            # The database's own guarantee: the submission lock above already makes the
            # second post of a form find the first one's request.
            raise ReorderAlreadySentError(
                self.env._("This request was already sent.")
            ) from error
        request = request.with_env(Request.env)
        request.message_subscribe(partner_ids=partner.ids)
        request._log_customer_comment()
        request._create_opportunity()
        request._notify_salesperson()
        return self.browse(request.id)

    @api.model
    def _check_related_order(self, partner, company, order, reason):
        """The order a customer asks related items for: their company's own
        confirmed order, of this company, and a reason among RELATED_REASONS.

        :return: the sale.order (as superuser: the checks are the customer's)
        :raise ReorderInputError: naming what is wrong
        """
        if isinstance(order, int) and not isinstance(order, bool):
            order = self.env["sale.order"].browse(order)
        if not isinstance(order, models.BaseModel) or order._name != "sale.order":
            raise ReorderInputError(
                {"related_order": self.env._("Give the order as its id.")}
            )
        order = order.sudo().exists()
        if (
            len(order) != 1
            or order.partner_id.commercial_partner_id != partner.commercial_partner_id
            or order.company_id != company
            or not order._can_request_related_items()
        ):
            raise ReorderInputError(
                {
                    "related_order": self.env._(
                        "Related items can be asked for your own confirmed orders only."
                    )
                }
            )
        if not isinstance(reason, str) or reason not in dict(
            self._fields["related_reason"].selection
        ):
            raise ReorderInputError(
                {"related_reason": self.env._("Choose why you need related items.")}
            )
        return order

    @api.model
    def _check_submission_rate(self, partner, company):
        """At most N new requests per customer (company) in M minutes, as the
        company's settings say: a customer or a script cannot flood the sales team."""
        limit = company.reorder_rate_limit_count
        minutes = company.reorder_rate_limit_minutes
        if limit <= 0 or minutes <= 0:
            return
        since = fields.Datetime.subtract(fields.Datetime.now(), minutes=minutes)
        count = self.sudo().search_count(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("submission_date", ">=", since),
            ],
            limit=limit,
        )
        if count >= limit:
            raise ReorderInputError(
                {
                    "rate": self.env._(
                        "%(count)s reorder requests were sent for %(customer)s in "
                        "the last %(minutes)s minutes: please wait a few minutes "
                        "before sending another one, or contact your salesperson.",
                        count=count,
                        customer=partner.commercial_partner_id.name,
                        minutes=minutes,
                    )
                }
            )

    @api.model
    def _prepare_portal_request_values(
        self, partner, user, comment, submission_token, quantities, reorderable, company
    ):
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "user_id": user.id,
            "team_id": self._get_default_team(partner, user, company).id,
            "customer_comment": comment,
            "submission_token": submission_token or False,
            "line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom_id": reorderable[product]["uom"].id,
                        "last_ordered_date": reorderable[product]["last_date"],
                        "last_ordered_qty": reorderable[product]["last_quantity"],
                        "last_price_unit": reorderable[product]["last_price"],
                        "last_currency_id": reorderable[product]["currency"].id,
                    }
                )
                for product, quantity in quantities.items()
            ],
        }

    @api.model
    def _get_default_salesperson(self, partner, company):
        user = partner.user_id or partner.commercial_partner_id.user_id
        if not user or company not in user.company_ids:
            user = company.reorder_backup_user_id
        return user

    @api.model
    def _get_default_team(self, partner, user, company):
        return (
            self.env["crm.team"]
            .sudo()
            .with_company(company)
            ._get_default_team_id(
                user_id=user.id, domain=[("company_id", "in", [False, company.id])]
            )
        )

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
                errors[f"product_{product_key}"] = self._not_reorderable_message()
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
    def _get_number_separators(self):
        """(thousands separator, decimal point) of the customer's language."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return lang.thousands_sep or "", lang.decimal_point or "."

    @api.model
    def _normalize_number(self, text):
        """A number as typed in the customer's language, in Python's notation.

        - Groups of three digits separated by any kind of space are thousands in
          every language: "1 000", with an ordinary space or the no-break space
          French writes, is a thousand.
        - The language's own thousands separator too: "1,000" is a thousand in
          English. A dot never is where the decimal point is a comma: see
          ``_is_ambiguous_number``.
        - Any other comma is a decimal point: "2,5" is two and a half."""
        thousands, decimal = self._get_number_separators()
        if SPACE_GROUPED_NUMBER_RE.fullmatch(text):
            text = NUMBER_SPACES_RE.sub("", text)
        elif thousands not in ("", ".") and re.fullmatch(
            rf"[-+]?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+"
            rf"(?:{re.escape(decimal)}\d+)?",
            text,
        ):
            text = text.replace(thousands, "")
        return text.replace(decimal, ".").replace(",", ".")

    @api.model
    def _is_ambiguous_number(self, text):
        """Whether ``text`` could be a thousand or one, as "1.000" or "12.500" in a
        language whose decimal point is a comma (French, Spanish, German...): a dot
        followed by exactly three digits. Such a number is refused with a message
        saying how to type it, never read as 1 or as 1000 by guess."""
        _thousands, decimal = self._get_number_separators()
        return decimal == "," and bool(AMBIGUOUS_DOT_RE.search(text))

    @api.model
    def _not_reorderable_message(self):
        return self.env._(
            "This item cannot be reordered: it is not among your previous "
            "purchases available for reorder."
        )

    @api.model
    def _max_quantity_message(self):
        return self.env._(
            "The quantity cannot be more than %(max)s; contact us for larger orders.",
            max=MAX_QUANTITY,
        )

    @api.model
    def _check_quantity(self, value, uom, unit_category=None):
        """A quantity as posted (text typed in the customer's language, or a number
        over RPC) checked for ``uom``.

        :return: (error message or None, quantity as a float)"""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return self.env._("Enter the quantity as a number."), 0.0
        if isinstance(value, str):
            message, quantity = self._parse_quantity(value.strip())
            if message:
                return message, 0.0
        elif isinstance(value, float):
            if not math.isfinite(value):  # NaN and Infinity, which JSON may carry
                return self.env._("Enter the quantity as a number."), 0.0
            quantity = value
        else:
            # Python's integers have no limit, where a float overflows.
            if abs(value) <= MAX_QUANTITY:
                quantity = float(value)
            else:
                quantity = math.inf if value > 0 else -math.inf
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
    def _parse_quantity(self, text):
        """The number ``text`` writes in the customer's language.

        :return: (error message or None, the number; infinite when it has more
            digits than a float holds, which the caller refuses as too large)"""
        if self._is_ambiguous_number(text):
            return self.env._(
                'Is "%(typed)s" thousands or a decimal number? Type 1000 (or 1 000) '
                "for a thousand, or 1,5 for one and a half.",
                typed=text,
            ), 0.0
        text = self._normalize_number(text)
        if len(text) > 32 and LONG_INTEGER_RE.fullmatch(text):
            return None, -math.inf if text.startswith("-") else math.inf
        if len(text) > 32 or not NUMBER_RE.fullmatch(text):
            return self.env._("Enter the quantity as a number."), 0.0
        return None, float(text)

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
        """Step 2's estimate before submitting, at the prices the request will have:
        the customer's pricelist with its rules for each quantity (quantity breaks).

        :param reorderable: the customer's reorderable products (their history)
        :param quantities: {product id: quantity as typed or posted}
        :return: {"lines": {product id: {"unit_price": float or None, "amount":
            float, "message": why the line is not counted, or None}}, "total":
            float, "currency": res.currency}. A line whose quantity is not valid
            counts as nothing, with the message the submission would give (and the
            price of one unit); an id not among ``reorderable``, too (no price).
        """
        partner = partner.with_company(company)
        pricelist = partner.property_product_pricelist
        currency = pricelist.currency_id or company.currency_id
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        by_id = {product.id: product for product in reorderable}
        lines, items, checked = {}, [], []
        for product_id, typed in quantities.items():
            product = by_id.get(product_id)
            if not product:
                message = self._not_reorderable_message()
                lines[product_id] = {
                    "unit_price": None,
                    "amount": 0.0,
                    "message": message,
                }
                continue
            uom = reorderable[product]["uom"]
            message, quantity = self._check_quantity(typed, uom, unit_category)
            lines[product_id] = {"unit_price": None, "amount": 0.0, "message": message}
            items.append((product, quantity or 1.0, uom))
            checked.append((product_id, quantity))
        prices = (
            self.env["sale.reorder.request.line"]._get_estimated_unit_prices(
                items, pricelist, currency, company
            )
            if items
            else []
        )
        for (product_id, quantity), unit_price in zip(checked, prices, strict=True):
            # Rounded as the request's lines keep their subtotals.
            lines[product_id]["unit_price"] = unit_price
            lines[product_id]["amount"] = currency.round(unit_price * quantity)
        return {
            "lines": lines,
            "total": sum(line["amount"] for line in lines.values()),
            "currency": currency,
        }
