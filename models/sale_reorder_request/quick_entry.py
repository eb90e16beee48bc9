import re

from odoo import api, models
from odoo.tools import SQL, float_round

from ...tools import FORBIDDEN_CHARACTERS_RE, format_form_quantity
from ...tools.item_file import MAX_FILE_ROWS, ItemFileError, write_item_file
from ...tools.quantity import FORM_DIGITS
from .submission import NUMBER_SPACES

# A pasted line: "SCR-M8 20", "LED-5M; 3", "LED-5M<tab>3", "SCR-M8, 2,5" (the last
# separator before a quantity), or a code alone.
QUICK_LINE_SEPARATORS_RE = re.compile(r"\s*[;\t,]\s*|\s+")
MAX_QUICK_TEXT_LENGTH = 100000
MAX_CODE_LENGTH = 100
# A code, a separator and a quantity: a longer line is no item (and is not split).
MAX_QUICK_LINE_LENGTH = MAX_CODE_LENGTH + 40
# Lines matched by name (a search of the catalogue each) in one post; the others by
# their code only.
MAX_NAME_MATCHES = 20
# What a column of an uploaded file holds, by its header (compared without case,
# spaces or punctuation), beside the translated headers of "Download my items".
HEADER_NAMES = {
    "code": {
        "code",
        "productcode",
        "itemcode",
        "internalreference",
        "reference",
        "ref",
        "sku",
        "defaultcode",
        "partnumber",
    },
    "barcode": {"barcode", "ean", "ean13", "upc", "gtin"},
    "quantity": {"quantity", "qty", "quantityordered"},
    "unit": {"unit", "uom", "unitofmeasure", "units"},
}


def _header_key(text):
    return re.sub(r"[\W_]+", "", str(text or "")).casefold()


class SaleReorderRequest(models.Model):
    """The fast ways to fill a request: items added by their code (typed, pasted
    line by line, or in an uploaded file) and matched on the server against what the
    customer may reorder, with each line that names nothing given back as typed,
    with why. Step 2 then opens with the items found; nothing is saved here."""

    _inherit = "sale.reorder.request"

    # === BUSINESS METHODS ===#

    @api.model
    def _get_item_file_headers(self):
        """The columns of "Download my items", in the customer's language: the
        same names an upload recognises."""
        return {
            "code": self.env._("Code"),
            "name": self.env._("Name"),
            "unit": self.env._("Unit"),
            "last_quantity": self.env._("Last Quantity"),
            "usual_quantity": self.env._("Usual Quantity"),
            "quantity": self.env._("Quantity"),
        }

    @api.model
    def _get_item_file(self, reorderable, file_format):
        """Download my items: the customer's ``reorderable`` items (code, name,
        unit, last and usual quantity, and an empty quantity to fill in) as a CSV
        or XLSX file (tools.item_file), in the customer's language: an upload
        reads it back. A CSV writes its quantities as the portal's forms do and
        is delimited by semicolons where the decimal point is a comma."""
        headers = self._get_item_file_headers()

        def number(value):
            if value in (None, False):
                return None
            if file_format == "xlsx":
                return value
            return format_form_quantity(self.env, value)

        rows = [
            [
                # Its name for an item without a code: an upload finds it by name.
                product.default_code or product.barcode or product.name,
                product.name,
                item["uom"].name,
                number(item["last_quantity"]),
                number(item["usual_quantity"]),
                None,
            ]
            for product, item in reorderable.items()
        ]
        _thousands, decimal = self._get_number_separators()
        return write_item_file(
            [
                headers[key]
                for key in (
                    "code",
                    "name",
                    "unit",
                    "last_quantity",
                    "usual_quantity",
                    "quantity",
                )
            ],
            rows,
            file_format,
            delimiter=";" if decimal == "," else ",",
        )

    @api.model
    def _get_item_file_error_message(self, error):
        """The message of an uploaded file that cannot be read (ItemFileError)."""
        env = self.env
        return {
            "empty": env._("The file is empty: it has no rows of items."),
            "too_large": env._(
                "The file is too large: at most 1 MB. Split it into several files."
            ),
            "too_many_rows": env._(
                "More than %(max)s rows of items at once: split them into several "
                "files (or pastes).",
                max=MAX_FILE_ROWS,
            ),
            "not_a_table": env._(
                "This file cannot be read: upload a CSV file or an Excel workbook "
                "(.xlsx), with the columns code and quantity."
            ),
            "no_sheet": env._("The workbook has no sheet to read."),
            "no_quantity_column": env._(
                "The file has no quantity column: name its columns code (or "
                "barcode) and quantity."
            ),
            "no_code_column": env._(
                "The file has no code column: name its columns code (or "
                "barcode) and quantity, or put the codes in the first column and "
                "the quantities in the second."
            ),
        }[error.code]

    @api.model
    def _parse_quick_lines(self, text):
        """Pasted lines, each a code with an optional quantity after it.

        :return: [{"ref": line number, "text": the line as typed, "code",
            "quantity": text or None}], the empty lines left out
        :raise ItemFileError: "too_many_rows" above ``MAX_FILE_ROWS`` lines
        """
        if not isinstance(text, str):
            return []
        text = text[:MAX_QUICK_TEXT_LENGTH]
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            if len(entries) >= MAX_FILE_ROWS:
                raise ItemFileError("too_many_rows")
            code, quantity = line, None
            if len(line) > MAX_QUICK_LINE_LENGTH:
                entries.append(
                    {"ref": number, "text": line, "code": line, "quantity": None}
                )
                continue
            # The first separator whose right side is a quantity: "Bolt M8 20" is
            # the code "Bolt M8" and 20, "SCR-M8 1 000" a thousand.
            for separator in QUICK_LINE_SEPARATORS_RE.finditer(line):
                left, right = line[: separator.start()], line[separator.end() :]
                if left and right and self._looks_like_quantity(right):
                    code, quantity = left.strip(" ;,\t"), right
                    break
            entries.append(
                {
                    "ref": number,
                    "text": line,
                    "code": code,
                    "quantity": quantity,
                    # A line typed by hand may name the item instead.
                    "by_name": True,
                }
            )
        return entries

    @api.model
    def _looks_like_quantity(self, text):
        return bool(re.fullmatch(rf"[-+]?[\d.,{NUMBER_SPACES}]*\d[\d.,]*", text))

    @api.model
    def _read_item_rows(self, rows):
        """The entries of an uploaded file's rows (tools.item_file): by its header
        row (code or barcode, quantity, unit) when it has one, else the code in
        the first column, the quantity in the second and the unit in the third.
        A row with a code and no quantity (a line of "Download my items" not
        filled in) is skipped.

        :return: (entries as _parse_quick_lines gives them, with "unit" and the
            row number as "ref"; the number of rows skipped)
        :raise ItemFileError: "no_code_column", or "too_many_rows"
        """
        columns = self._get_item_file_columns(rows[0][1])
        if columns:
            rows = rows[1:]
            if "code" not in columns and "barcode" not in columns:
                raise ItemFileError("no_code_column")
            if "quantity" not in columns:
                # Headers, but none read as the quantity (a language not
                # installed?): not every item at its usual quantity by guess.
                raise ItemFileError("no_quantity_column")
        else:
            columns = {"code": 0, "quantity": 1, "unit": 2}
        if len(rows) > MAX_FILE_ROWS:
            raise ItemFileError("too_many_rows")

        def cell(row, kind):
            index = columns.get(kind)
            return row[index] if index is not None and index < len(row) else None

        entries = []
        skipped = 0
        for number, row in rows:
            code = self._cell_text(cell(row, "code")) or self._cell_text(
                cell(row, "barcode")
            )
            quantity = cell(row, "quantity")
            if quantity in (None, "") and "quantity" in columns:
                skipped += 1
                continue
            entries.append(
                {
                    "ref": number,
                    "text": " · ".join(self._cell_text(value) for value in row),
                    "code": code,
                    "quantity": quantity,
                    "unit": self._cell_text(cell(row, "unit")),
                    # "Download my items" names an item without a code.
                    "by_name": True,
                }
            )
        return entries, skipped

    @api.model
    def _get_item_file_columns(self, first_row):
        """{kind: column index} of a header row, or {} when the row is no header."""
        names = {kind: set(keys) for kind, keys in HEADER_NAMES.items()}
        # As "Download my items" writes them in any of the database's languages: a
        # file a colleague downloaded in French reads the same for everyone.
        for code, _name in self.env["res.lang"].get_installed():
            translated = self.with_context(lang=code)._get_item_file_headers()
            for kind in ("code", "quantity", "unit"):
                names[kind].add(_header_key(translated[kind]))
        columns = {}
        for index, value in enumerate(first_row):
            key = _header_key(value) if isinstance(value, str) else None
            for kind, keys in names.items():
                if key and key in keys and kind not in columns:
                    columns[kind] = index
        return columns

    @staticmethod
    def _cell_text(value):
        """A cell as text: 12.0 read from a spreadsheet is the code "12"."""
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    @api.model
    def _match_reorder_entries(self, partner, company, entries, offered=None):
        """Match entries (_parse_quick_lines, _read_item_rows) with the items the
        customer may reorder: by internal reference (any case) or barcode, then,
        for a code alone that names no product, by the one item whose name holds
        it; each at its quantity (in its unit, converted to the unit of the last
        purchase), or the usual quantity, or 1.

        :param offered: callable(product ids) -> {product: item}, the items the
            customer may ask for among those (default: their reorderable products)
        :return: ({product.product: quantity}, [{"ref", "text", "reason"}] of the
            entries matching nothing, in the order given); the quantities of one
            item on several entries are added up
        """
        env = self.env
        if offered is None:

            def offered(product_ids):
                return partner.sudo()._get_reorderable_products(company, product_ids)

        codes = {
            entry["code"].lower()
            for entry in entries
            if entry.get("code") and self._is_code(entry["code"])
        }
        by_code = self._get_products_by_code(company, codes)
        reorderable = (
            offered(list({p.id for ps in by_code.values() for p in ps}))
            if by_code
            else {}
        )
        quantities = {}
        rejected = []
        # Read once, not for each entry's quantity.
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        name_matches = 0

        def reject(entry, reason):
            rejected.append(
                {"ref": entry["ref"], "text": entry["text"], "reason": reason}
            )

        for entry in entries:
            code = entry.get("code") or ""
            if not code:
                reject(entry, env._("No code on this line."))
                continue
            if not self._is_code(code):
                reject(entry, env._("This is not a product code."))
                continue
            products = by_code.get(code.lower())
            if (
                not products
                and entry.get("by_name")
                and name_matches < MAX_NAME_MATCHES
            ):
                name_matches += 1
                named = self._match_by_name(partner, company, code)
                if isinstance(named, str):
                    reject(entry, named)
                    continue
                products = list(named)
                reorderable.update(named)
            elif not products:
                reject(entry, self._unknown_code_message(code))
                continue
            product = next((p for p in products if p in reorderable), None)
            if not product:
                reject(entry, self._not_reorderable_message())
                continue
            item = reorderable[product]
            message, quantity = self._get_entry_quantity(entry, item, unit_category)
            if message:
                reject(entry, message)
                continue
            quantities[product] = quantities.get(product, 0.0) + quantity
        return quantities, rejected

    @api.model
    def _is_code(self, text):
        """Whether ``text`` may be a product's code: not too long, and without the
        control characters no code has (a NUL byte cannot even reach PostgreSQL)."""
        return len(text) <= MAX_CODE_LENGTH and not FORBIDDEN_CHARACTERS_RE.search(text)

    @api.model
    def _unknown_code_message(self, code):
        return self.env._('No item has the code "%(code)s".', code=code)

    @api.model
    def _match_by_name(self, partner, company, text):
        """The one item whose name holds ``text`` ({product: item}), or why not."""
        found = partner.sudo()._search_reorderable_products(company, text, limit=2)
        if len(found) == 1:
            return found
        if found:
            return self.env._(
                'Several items match "%(text)s": type the code of the one you want.',
                text=text,
            )
        return self._unknown_code_message(text)

    @api.model
    def _get_products_by_code(self, company, codes):
        """{code in lower case: product.product records} of the catalogue's active
        products of ``company`` (or shared) with that internal reference (any
        case) or barcode."""
        if not codes:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT LOWER(pp.default_code), LOWER(pp.barcode), pp.id
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE (LOWER(pp.default_code) = ANY(%(codes)s)
                        OR LOWER(pp.barcode) = ANY(%(codes)s))
                   AND pp.active
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
              ORDER BY pp.id
                """,
                codes=list(codes),
                company=company.id,
            )
        )
        Product = self.env["product.product"].sudo()
        by_code = {}
        for default_code, barcode, product_id in self.env.cr.fetchall():
            for code in {default_code, barcode} & codes:
                by_code[code] = by_code.get(code, Product) | Product.browse(product_id)
        return by_code

    @api.model
    def _get_entry_quantity(self, entry, item, unit_category=None):
        """(message or None, the entry's quantity in the unit of ``item``, the
        reorderable item): its quantity as typed, in its unit when it names one,
        or the item's usual quantity, or 1."""
        uom = item["uom"]
        value = entry.get("quantity")
        if value in (None, ""):
            return None, item["usual_quantity"] or 1.0
        unit_text = entry.get("unit") or ""
        if not unit_text:
            return self._check_quantity(value, uom, unit_category)
        unit = self._find_unit(unit_text, uom)
        if not unit:
            return self.env._(
                'The unit "%(unit)s" cannot be converted to %(uom)s.',
                unit=unit_text,
                uom=uom.name,
            ), 0.0
        if unit == uom:
            return self._check_quantity(value, uom, unit_category)
        message, quantity = self._check_quantity(value, unit, unit_category)
        if message:
            return message, 0.0
        converted = float_round(
            unit._compute_quantity(quantity, uom, round=False),
            precision_digits=FORM_DIGITS,
        )
        return self._check_quantity(converted, uom, unit_category)

    @api.model
    def _find_unit(self, text, uom):
        """The unit of ``uom``'s category named ``text`` (in the customer's language
        or in English, any case), or None."""
        key = text.strip().casefold()
        units = uom.sudo().category_id.uom_ids
        for lang_units in (units, units.with_context(lang="en_US")):
            for unit in lang_units:
                if (unit.name or "").casefold() == key:
                    return uom.browse(unit.id)
        return None
