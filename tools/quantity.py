import ast
from functools import lru_cache

from odoo.tools import float_round, get_lang

from odoo.addons.base.models.res_lang import intersperse

# The decimals of a quantity a form field or a URL carries (step 2's "quantity_<id>"):
# enough for any unit conversion, read back by the portal in every language.
FORM_DIGITS = 6


@lru_cache(maxsize=32)
def _parse_grouping(grouping):
    """A language's grouping ("[3,0]"), read once per process."""
    return ast.literal_eval(grouping)


def format_number(value, digits, lang=False):
    """``value`` written with ``digits`` decimals (not rounded here): in Python's
    notation without ``lang``, else grouped with the thousands separator and the
    decimal point of ``lang`` (res.lang data, as ``get_lang`` gives it), as Odoo's
    float and monetary widgets write numbers."""
    text = f"%.{max(digits, 0)}f" % value
    if not lang:
        return text
    integer, _dot, decimals = text.partition(".")
    integer = intersperse(
        integer, _parse_grouping(lang.grouping), lang.thousands_sep or ""
    )[0]
    return f"{integer}{lang.decimal_point}{decimals}" if decimals else integer


def format_quantity(env, quantity, digits=3, lang=None, trailing_zeros=False):
    """A quantity as text: the one way the addon writes one.

    Rounded to ``digits`` decimals and written

    - in a reader's language (``lang``, res.lang data; by default the language of
      ``env``): "1,000", "2.5", in French "1 000", "2,5": the usual quantities of
      the reminder, the due report and step 1;
    - with ``lang=False``, in Python's notation: "1000", "2.5", what the
      salesperson's emails show (a form field or a URL of the portal carries
      ``format_form_quantity``);

    without trailing zeros ("2.5", "12"), unless ``trailing_zeros`` ("2.50", "12.00"
    with two digits: a column of figures, as Odoo's float widget writes them).
    """
    if lang is None:
        lang = get_lang(env)
    text = format_number(float_round(quantity, precision_digits=digits), digits, lang)
    if trailing_zeros or digits <= 0:
        return text
    return text.rstrip("0").rstrip(lang.decimal_point if lang else ".")


def format_form_quantity(env, quantity):
    """A quantity as a field of the portal's forms, or its URLs, carries it for the
    portal to read back in the customer's language (the request's
    ``_parse_quantity``): the decimal point of the language of ``env`` and no
    thousands separator: "1000", "0.125", in French or Spanish "0,125". Never
    ambiguous: in Python's notation, a French customer's "0.125" would be asked
    again (an eighth, or a hundred and twenty-five?), and a Spanish "1.000"."""
    text = format_number(
        float_round(quantity, precision_digits=FORM_DIGITS), FORM_DIGITS
    )
    text = text.rstrip("0").rstrip(".")
    return text.replace(".", get_lang(env).decimal_point or ".")
