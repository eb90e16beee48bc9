import ast
import hashlib

import babel.dates

from odoo.tools import float_round
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from odoo.addons.base.models.res_lang import intersperse

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"


class PortalFormatter:
    """Quantities, amounts and dates of the new-request steps, written as Odoo's
    QWeb widgets (float, monetary, date) write them, in the page's language. The
    language, its separators and date format are read once per page: the widgets look
    them up again for every value, a quarter of step 1's time with 20 items."""

    def __init__(self, env):
        lang = get_lang(env)
        self._grouping = ast.literal_eval(lang.grouping)
        self._thousands_sep = lang.thousands_sep or ""
        self._decimal_point = lang.decimal_point
        self._locale = babel_locale_parse(lang.code)
        self._date_format = posix_to_ldml(lang.date_format, locale=self._locale)
        self._quantity_digits = env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )

    def _number(self, value, digits):
        integer, _dot, decimals = (f"%.{digits}f" % value).partition(".")
        integer = intersperse(integer, self._grouping, self._thousands_sep)[0]
        number = f"{integer}{self._decimal_point}{decimals}" if decimals else integer
        return number.replace("-", MINUS)

    def quantity(self, value):
        """As the float widget with the Product Unit of Measure precision."""
        digits = self._quantity_digits
        return self._number(float_round(value, precision_digits=digits), digits)

    def amount(self, value, currency):
        """As the monetary widget, in ``currency``."""
        number = self._number(currency.round(value), currency.decimal_places)
        number = number.replace(" ", NO_BREAK_SPACE)
        symbol = currency.symbol or ""
        if currency.position == "before":
            return f"{symbol}{NO_BREAK_SPACE}{number}"
        return f"{number}{NO_BREAK_SPACE}{symbol}"

    @staticmethod
    def unique(product):
        """What changes with a product's picture (its variant's or its template's),
        for the browser's cache of /my/reorders/image."""
        stamps = (product.write_date, product.product_tmpl_id.write_date)
        return hashlib.sha1(str(stamps).encode()).hexdigest()[:8]

    def date(self, value):
        """As the date widget."""
        if not value:
            return ""
        return babel.dates.format_date(
            value, format=self._date_format, locale=self._locale
        )
