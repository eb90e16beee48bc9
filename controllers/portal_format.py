import hashlib

import babel.dates

from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from ..tools import format_number, format_quantity

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"


class PortalFormatter:
    """Quantities, amounts and dates of the new-request steps, written as Odoo's
    QWeb widgets (float, monetary, date) write them, in the page's language. The
    language, its separators and date format are read once per page: the widgets look
    them up again for every value, a quarter of step 1's time with 20 items."""

    def __init__(self, env):
        self._env = env
        self._lang = get_lang(env)
        self._locale = babel_locale_parse(self._lang.code)
        self._date_format = posix_to_ldml(self._lang.date_format, locale=self._locale)
        self._quantity_digits = env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )

    def quantity(self, value):
        """As the float widget with the Product Unit of Measure precision."""
        return format_quantity(
            self._env,
            value,
            self._quantity_digits,
            lang=self._lang,
            trailing_zeros=True,
        ).replace("-", MINUS)

    def amount(self, value, currency):
        """As the monetary widget, in ``currency``."""
        number = format_number(
            currency.round(value), currency.decimal_places, self._lang
        ).replace("-", MINUS)
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
