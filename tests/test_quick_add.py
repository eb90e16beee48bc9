"""Big buyers order fast: items added by code (typed, pasted line by line, or in an
uploaded CSV or XLSX file), matched on the server against what the customer may
reorder, every line that names nothing given back as typed with why; and the
customer's items downloaded as a file to fill in and upload again."""

import codecs
import csv
import io
import json
import re
import zipfile

import openpyxl
from lxml import html

from odoo.http import Request as HttpRequest
from odoo.tests import tagged

from ..models.sale_reorder_request.quick_entry import ItemFileError
from ..tools.item_file import MAX_FILE_ROWS, read_item_file, write_item_file
from .common import TRACEBACK, ReorderCase, ReorderHttpCase


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class QuickAddMixin:
    @classmethod
    def _setup_codes(cls):
        cls.bolt.default_code = "BOLT-M8"
        cls.nut.write({"default_code": "NUT-M8", "barcode": "4006381333931"})
        cls.washer.default_code = "WSH-M8"  # offered, never bought
        cls.unflagged.default_code = "GSK-1"  # bought, not offered
        cls.dozen = cls.env.ref("uom.product_uom_dozen")

    def _match(self, text):
        Request = self.env["sale.reorder.request"]
        entries = Request._parse_quick_lines(text)
        return Request._match_reorder_entries(self.contact, self.company, entries)


@tagged("post_install", "-at_install")
class TestQuickEntries(QuickAddMixin, ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_codes()

    def test_pasted_lines(self):
        Request = self.env["sale.reorder.request"]
        entries = Request._parse_quick_lines(
            "SCR-M8 20\nLED-5M; 3\n\nLED-5M\t4\nBolt M8 2\nNUT-M8, 2,5\nX 1 000\nSOLO"
        )
        self.assertEqual(
            [(e["ref"], e["code"], e["quantity"]) for e in entries],
            [
                (1, "SCR-M8", "20"),
                (2, "LED-5M", "3"),
                (4, "LED-5M", "4"),
                (5, "Bolt M8", "2"),
                (6, "NUT-M8", "2,5"),
                (7, "X", "1 000"),
                (8, "SOLO", None),
            ],
        )

    def test_codes_barcodes_names_and_quantities(self):
        quantities, rejected = self._match(
            "bolt-m8 5\n4006381333931 2\nbolt-m8 1\nNut M8\nWSH-M8 3\nGSK-1 2\n"
            "NOPE 4\nM8 2\nBOLT-M8 0\nBOLT-M8 2.5"
        )
        # Codes in any case, barcodes, a name naming one item; one item's lines
        # added up; without a quantity the usual one, or 1.
        self.assertEqual(quantities, {self.bolt: 6.0, self.nut: 3.0})
        self.assertEqual(
            [(line["ref"], line["text"]) for line in rejected],
            [
                (5, "WSH-M8 3"),
                (6, "GSK-1 2"),
                (7, "NOPE 4"),
                (8, "M8 2"),
                (9, "BOLT-M8 0"),
                (10, "BOLT-M8 2.5"),
            ],
        )
        reasons = [line["reason"] for line in rejected]
        # A code with a NUL byte (which PostgreSQL refuses) is no code.
        self.assertEqual(
            self._match("BOLT\x00M8 2")[1][0]["reason"], "This is not a product code."
        )
        not_reorderable = self.Request._not_reorderable_message()
        self.assertEqual(reasons[0], not_reorderable)  # never bought
        self.assertEqual(reasons[1], not_reorderable)  # not available for reorder
        self.assertEqual(reasons[2], 'No item has the code "NOPE".')
        self.assertIn("Several items match", reasons[3])
        self.assertEqual(reasons[4], "The quantity must be more than zero.")
        self.assertIn("whole numbers", reasons[5])

    def test_long_lines_and_many_names_stay_cheap(self):
        """A line longer than a code and a quantity is not split (splitting it at
        each space would take seconds); at most 20 lines are matched by name in one
        post (a search of the catalogue each), the others by their code only."""
        quantities, rejected = self._match("a" + " 1" * 20000 + " x")
        self.assertFalse(quantities)
        self.assertEqual(rejected[0]["reason"], "This is not a product code.")
        quantities, rejected = self._match("Nut M8\n" * 25)
        self.assertEqual(quantities, {self.nut: 20.0})
        self.assertEqual(
            {line["reason"] for line in rejected}, {'No item has the code "Nut M8".'}
        )
        self.assertEqual(len(rejected), 5)

    def test_headers_in_any_installed_language(self):
        """A file downloaded by a French colleague reads the same for an English
        contact; headers without a quantity column are refused, not guessed."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["sale_reorder"], ["fr_FR"])
        french = self.Request.with_context(lang="fr_FR")._get_item_file_headers()
        self.assertNotEqual(french["quantity"], "Quantity")
        columns = self.Request._get_item_file_columns(
            [french["code"], french["name"], french["quantity"]]
        )
        self.assertEqual(columns, {"code": 0, "quantity": 2})
        with self.assertRaises(ItemFileError) as caught:
            self.Request._read_item_rows(read_item_file(b"Code,Menge\nBOLT-M8,3\n"))
        self.assertEqual(caught.exception.code, "no_quantity_column")

    def test_downloaded_items_upload_again(self):
        """An item without a code is written by its name, and a code a spreadsheet
        would run as a formula is quoted: both read back as they were."""
        self.bolt.default_code = "-BOLT"
        self.nut.write({"default_code": False, "barcode": False})
        reorderable = self.contact._get_reorderable_products(self.company)
        content = self.Request._get_item_file(reorderable, "csv")
        text = content.decode("utf-8-sig")
        self.assertIn("'-BOLT", text)
        filled = text.replace("\r\n", "9\r\n").replace("Quantity9", "Quantity")
        entries, _skipped = self.Request._read_item_rows(
            read_item_file(filled.encode())
        )
        quantities, rejected = self.Request._match_reorder_entries(
            self.contact, self.company, entries
        )
        self.assertFalse(rejected)
        self.assertEqual(quantities, {self.bolt: 9.0, self.nut: 9.0})

    def test_a_sheet_claiming_huge_dimensions(self):
        """An XLSX whose sheet claims 16,384 columns and a million rows is read by
        its own cells, at once."""
        data = xlsx([["Code", "Quantity"], ["BOLT-M8", 3]])
        source = zipfile.ZipFile(io.BytesIO(data))
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    content = re.sub(
                        rb'<dimension ref="[^"]+"/>',
                        b'<dimension ref="A1:XFD1048576"/>',
                        content,
                    )
                target.writestr(info, content)
        rows = read_item_file(output.getvalue())
        self.assertEqual(rows, [(1, ["Code", "Quantity"]), (2, ["BOLT-M8", 3])])

    def test_another_customers_items_are_not_found(self):
        """A code of an item only another customer bought is not reorderable for
        this one, and says nothing of the other customer."""
        self._post_move(self.other_customer, [(self.washer, 3, 1.0)])
        quantities, rejected = self._match("WSH-M8 3")
        self.assertFalse(quantities)
        self.assertEqual(rejected[0]["reason"], self.Request._not_reorderable_message())
        # Nor suggested.
        self.assertFalse(self.contact._search_reorderable_products(self.company, "WSH"))

    def test_suggestions(self):
        found = self.contact._search_reorderable_products(self.company, "m8")
        self.assertEqual(set(found), {self.bolt, self.nut})
        # An exact code first, then by name.
        self.assertEqual(
            list(self.contact._search_reorderable_products(self.company, "NUT-M8")),
            [self.nut],
        )
        self.assertEqual(
            list(self.contact._search_reorderable_products(self.company, "3339")),
            [self.nut],
        )
        self.assertEqual(
            list(self.contact._search_reorderable_products(self.company, "m8", 1)),
            [self.bolt],
        )
        for term in ("", "   ", "%", "_", "GSK"):
            self.assertFalse(
                self.contact._search_reorderable_products(self.company, term), term
            )

    def test_rows_of_a_file(self):
        Request = self.env["sale.reorder.request"]
        rows = read_item_file(
            "\ufeffCode;Name;Unit;Quantity\n"
            "BOLT-M8;Bolt;Dozens;2\n"
            "NUT-M8;Nut;;\n"
            "NUT-M8;Nut;kg;3\n"
            ";;;4\n"
            "NUT-M8;Nut;Units;-1\n".encode()
        )
        entries, skipped = Request._read_item_rows(rows)
        self.assertEqual(skipped, 1)  # a line of "Download my items" left empty
        quantities, rejected = Request._match_reorder_entries(
            self.contact, self.company, entries
        )
        self.assertEqual(quantities, {self.bolt: 24.0})  # 2 dozens, in Units
        self.assertEqual([line["ref"] for line in rejected], [4, 5, 6])
        self.assertIn(
            'The unit "kg" cannot be converted to Units', rejected[0]["reason"]
        )
        self.assertEqual(rejected[1]["reason"], "No code on this line.")
        self.assertEqual(rejected[2]["reason"], "The quantity must be more than zero.")
        # Without a header: code, quantity, unit.
        entries, skipped = Request._read_item_rows(read_item_file(b"BOLT-M8,3\n"))
        self.assertEqual(
            Request._match_reorder_entries(self.contact, self.company, entries)[0],
            {self.bolt: 3.0},
        )
        # A header without a code column.
        with self.assertRaises(ItemFileError) as caught:
            Request._read_item_rows(read_item_file(b"Name,Quantity\nBolt,3\n"))
        self.assertEqual(caught.exception.code, "no_code_column")

    def test_files_that_cannot_be_read(self):
        cases = {
            b"": "empty",
            b"\n\n;;\n": "empty",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "not_a_table",
            b"BOLT-M8,1\n\x00\x00": "not_a_table",
            b"PK\x03\x04 not a zip": "not_a_table",
            b"x" * (1024 * 1024 + 1): "too_large",
            b"BOLT-M8,1\n" * (MAX_FILE_ROWS + 2): "too_many_rows",
            b"BOLT-M8,1\n" * 10000: "too_many_rows",
        }
        for data, code in cases.items():
            with (
                self.subTest(data=data[:20]),
                self.assertRaises(ItemFileError) as caught,
            ):
                read_item_file(data)
            self.assertEqual(caught.exception.code, code)
            # Each has its message.
            self.assertTrue(self.Request._get_item_file_error_message(caught.exception))

    def test_csv_encodings_and_separators(self):
        for data in (
            b"code,quantity\nBOLT-M8,3\n",
            b"code;quantity\r\nBOLT-M8;3\r\n",
            b"code\tquantity\nBOLT-M8\t3\n",
            codecs.BOM_UTF8 + b"code,quantity\nBOLT-M8,3\n",
            "code;quantity\nBOLT-M8;3\n".encode("utf-16"),
            "Code;Quantité\nBOLT-M8;3\n".encode("latin-1"),
        ):
            with self.subTest(data=data[:12]):
                rows = read_item_file(data)
                self.assertEqual(rows[-1], (2, ["BOLT-M8", "3"]))

    def test_xlsx_values_and_formulas(self):
        data = xlsx(
            [
                ["Code", "Quantity"],
                ["BOLT-M8", 3],
                ["NUT-M8", "=1+1"],  # a formula never computed: no value
                [4006381333931, 2.0],  # a barcode typed as a number
            ]
        )
        entries, _skipped = self.Request._read_item_rows(read_item_file(data))
        quantities, rejected = self.Request._match_reorder_entries(
            self.contact, self.company, entries
        )
        self.assertEqual(quantities, {self.bolt: 3.0, self.nut: 2.0})
        # The formula's row has no value: skipped as a row without quantity.
        self.assertFalse(rejected)

    def test_written_files_run_no_formula(self):
        rows = [['=HYPERLINK("http://evil")', "+1", "@SUM(A1)", 2.5]]
        content = write_item_file(["a", "b", "c", "d"], rows, "csv")
        text = content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK", text)
        self.assertIn("'+1", text)
        workbook = openpyxl.load_workbook(
            io.BytesIO(write_item_file(["a"], rows, "xlsx"))
        )
        cell = workbook.active["A2"]
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://evil")')
        self.assertEqual(workbook.active["D2"].value, 2.5)


@tagged("post_install", "-at_install")
class TestQuickAddInThePortal(QuickAddMixin, ReorderHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_codes()

    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def _suggest(self, term, **params):
        response = self.url_open(
            "/my/reorders/suggest",
            data=json.dumps({"params": {"term": term, **params}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_suggestions_route(self):
        items = self._suggest("m8")["result"]["items"]
        self.assertEqual(
            {item["name"] for item in items}, {"[BOLT-M8] Bolt M8", "[NUT-M8] Nut M8"}
        )
        bolt = next(item for item in items if item["id"] == self.bolt.id)
        self.assertEqual(bolt["uom"], "Units")
        self.assertEqual(bolt["quantity"], "1")
        self.assertEqual(self._get(bolt["image"]).status_code, 200)
        for term in ("", "b", None, 12, ["x"], "\x00\x00", "GSK"):
            self.assertEqual(self._suggest(term)["result"]["items"], [], term)
        self.assertIn("error", self._suggest("m8", related_order=999999))

    def test_quick_add_without_javascript(self):
        response = self._post(
            "/my/reorders/new",
            [
                ("product_ids", str(self.nut.id)),
                ("quick_add", "BOLT-M8 20\nNOPE 3\nWSH-M8"),
                ("quick", "1"),
            ],
            csrf=False,
            status=200,
        )
        page = html.fromstring(response.text)
        added = page.xpath("//div[contains(@class, 'o_sale_reorder_quick_added')]")
        self.assertIn("Bolt M8", added[0].text_content())
        self.assertIn("20", added[0].text_content())
        # What named nothing: listed with why, and given back to correct.
        left_out = page.xpath("//div[contains(@class, 'o_sale_reorder_left_out')]")[0]
        self.assertIn('No item has the code "NOPE"', left_out.text_content())
        self.assertIn("Line 2", left_out.text_content())
        self.assertEqual(
            page.xpath("//textarea[@name='quick_add']")[0].text, "NOPE 3\nWSH-M8"
        )
        # The selection kept the ticked nut and the bolt at 20.
        self.assertEqual(
            page.xpath(f"//input[@name='quantity_{self.bolt.id}']/@value"), ["20"]
        )
        self.assertEqual(
            sorted(page.xpath("//input[@name='product_ids'][@checked]/@value")),
            sorted([str(self.bolt.id), str(self.nut.id)]),
        )
        self.assertIn("2 items chosen", response.text)
        # Step 2 opens with both.
        step_2 = self._post(
            "/my/reorders/new",
            [
                ("product_ids", str(self.nut.id)),
                ("product_ids", str(self.bolt.id)),
                (f"quantity_{self.bolt.id}", "20"),
                ("step", "2"),
            ],
            csrf=False,
            status=200,
        ).text
        self.assertRegex(step_2, rf'name="quantity_{self.bolt.id}"\s+value="20"')
        self.assertRegex(step_2, rf'name="quantity_{self.nut.id}"\s+value="7"')

    def test_a_chosen_suggestion_is_added(self):
        response = self._post(
            "/my/reorders/new",
            [("quick_product", str(self.bolt.id)), ("quick", "1"), ("quick_add", "")],
            csrf=False,
            status=200,
        )
        self.assertIn("Added to your selection", response.text)
        for product_id in (self.unflagged.id, self.washer.id, "abc", "-1"):
            response = self._post(
                "/my/reorders/new",
                [("quick_product", str(product_id)), ("quick", "1")],
                csrf=False,
                status=200,
            )
            self.assertNotIn("Added to your selection", response.text)

    def test_quick_add_of_nothing(self):
        for text in ("", "   \n  ", None):
            data = [("quick", "1")] + (
                [("quick_add", text)] if text is not None else []
            )
            response = self._post("/my/reorders/new", data, csrf=False, status=200)
            self.assertIn("Type a code, a barcode or a name", response.text)
        response = self._post(
            "/my/reorders/new",
            [("quick", "1"), ("quick_add", "BOLT-M8 1\n" * (MAX_FILE_ROWS + 1))],
            csrf=False,
            status=200,
        )
        self.assertIn("More than 1000 rows", response.text)

    def _upload(self, name, content, extra=(), csrf=True):
        data = list(extra)
        if csrf:
            data.append(("csrf_token", HttpRequest.csrf_token(self)))
        response = self.url_open(
            "/my/reorders/upload",
            data=data,
            files={"item_file": (name, content)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotRegex(response.text, TRACEBACK)
        return response

    def test_upload_with_two_bad_rows(self):
        content = b"code,quantity,unit\nBOLT-M8,2,Dozens\nNOPE,1,\nNUT-M8,abc,\n"
        response = self._upload(
            "order.csv", content, extra=[("product_ids", str(self.nut.id))]
        )
        page = html.fromstring(response.text)
        self.assertIn("2. Set the quantities", response.text)
        self.assertEqual(
            page.xpath(f"//input[@name='quantity_{self.bolt.id}']/@value"), ["24"]
        )
        # The nut chosen in step 1 stays, at its last quantity.
        self.assertEqual(
            page.xpath(f"//input[@name='quantity_{self.nut.id}']/@value"), ["7"]
        )
        left_out = page.xpath("//div[contains(@class, 'o_sale_reorder_left_out')]")[0]
        text = left_out.text_content()
        self.assertIn("Row 3", text)
        self.assertIn('No item has the code "NOPE"', text)
        self.assertIn("Row 4", text)
        self.assertIn("Enter the quantity as a number.", text)
        self.assertFalse(self.Request.search([("partner_id", "=", self.contact.id)]))

    def test_upload_of_an_xlsx(self):
        response = self._upload(
            "order.xlsx", xlsx([["Code", "Quantity"], ["NUT-M8", 5], ["=1+1", "=2"]])
        )
        self.assertRegex(response.text, rf'name="quantity_{self.nut.id}"\s+value="5"')

    def test_bad_uploads_get_a_message_each(self):
        cases = [
            ("empty.csv", b"", "The file is empty"),
            ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cannot be read"),
            ("big.csv", b"x" * (1024 * 1024 + 10), "too large"),
            ("rows.csv", b"BOLT-M8,1\n" * 10000, "More than 1000 rows"),
            ("nul.csv", b"BOLT-M8,1\x00\n", "cannot be read"),
            ("fake.xlsx", b"PK\x03\x04garbage", "cannot be read"),
            ("names.csv", b"Name,Quantity\nBolt,2\n", "no code column"),
            ("others.csv", b"WSH-M8,2\nGSK-1,1\n", "No row of the file names"),
        ]
        for name, content, message in cases:
            with self.subTest(name=name):
                response = self._upload(name, content)
                self.assertIn(message, response.text)
                self.assertIn("1. Choose the items", response.text)
        # No file, or an expired session: asked again, the selection kept.
        response = self.url_open(
            "/my/reorders/upload",
            data=[
                ("csrf_token", HttpRequest.csrf_token(self)),
                ("product_ids", str(self.bolt.id)),
            ],
            allow_redirects=False,
        )
        self.assertIn("Choose a file to upload.", response.text)
        self.assertIn("1 item chosen", response.text)
        response = self._upload("order.csv", b"BOLT-M8,2\n", csrf=False)
        self.assertIn("Your session expired", response.text)

    def test_download_my_items(self):
        response = self._get("/my/reorders/items.csv")
        self.assertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            rows[0],
            ["Code", "Name", "Unit", "Last Quantity", "Usual Quantity", "Quantity"],
        )
        self.assertEqual(
            sorted(rows[1:]),
            [
                ["BOLT-M8", "Bolt M8", "Units", "4", "", ""],
                ["NUT-M8", "Nut M8", "Units", "7", "", ""],
            ],
        )
        response = self._get("/my/reorders/items.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 3)
        # Filled in and uploaded again.
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        for row in workbook.active.iter_rows(min_row=2):
            row[5].value = 9 if row[0].value == "BOLT-M8" else None
        output = io.BytesIO()
        workbook.save(output)
        response = self._upload("my-items.xlsx", output.getvalue())
        self.assertRegex(response.text, rf'name="quantity_{self.bolt.id}"\s+value="9"')
        self.assertNotIn(f'name="quantity_{self.nut.id}"', response.text)
        self.assertIn("1 row without a quantity was skipped.", response.text)
        # Nobody else's: the public user logs in first.
        self.authenticate(None, None)
        self.assertIn(
            "/web/login",
            self._get("/my/reorders/items.csv", status=303).headers["Location"],
        )

    def test_the_feature_off_is_not_found(self):
        self.company.reorder_request_enabled = False
        self._get("/my/reorders/items.csv", status=404)
        self.assertIn("error", self._suggest("m8"))
        response = self._upload_raw()
        self.assertEqual(response.status_code, 404)

    def _upload_raw(self):
        return self.url_open(
            "/my/reorders/upload",
            data=[("csrf_token", HttpRequest.csrf_token(self))],
            files={"item_file": ("a.csv", b"BOLT-M8,1\n")},
            allow_redirects=False,
        )

    def test_step_1_shows_quick_add_and_upload(self):
        page = html.fromstring(self._get("/my/reorders/new").text)
        self.assertTrue(page.xpath("//textarea[@name='quick_add']"))
        self.assertTrue(page.xpath("//input[@type='file'][@name='item_file']"))
        links = page.xpath("//a[contains(@class, 'o_sale_reorder_download_csv')]/@href")
        self.assertEqual(links, ["/my/reorders/items.csv"])
        self.assertTrue(re.search(r"My lists", self._get("/my/reorders/new").text))
