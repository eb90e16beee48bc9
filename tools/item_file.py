"""The files of items a customer uploads and downloads (CSV or XLSX), read and written
without storing them: rows of cells, within limits that hold whatever is sent."""

import codecs
import csv
import io
import zipfile

MAX_FILE_SIZE = 1024 * 1024  # 1 MB
MAX_FILE_ROWS = 1000  # rows of items, the header row not counted
# What an XLSX of at most 1 MB may hold once unzipped: a spreadsheet of 1,000 rows is a
# few hundred kilobytes; more is a file built to fill the server's memory.
MAX_XLSX_UNZIPPED_SIZE = 32 * 1024 * 1024
CSV_DELIMITERS = ",;\t"
# The columns of an XLSX read: "Download my items" writes 6.
MAX_XLSX_COLUMNS = 20
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting with one of these are formulas to a spreadsheet (CSV injection): a
# written cell starting with one is prefixed with a quote, as OWASP advises.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ItemFileError(ValueError):
    """A file that cannot be read as rows of items. ``code`` says why: "empty",
    "too_large", "too_many_rows", "not_a_table", "no_sheet"."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def read_item_file(data):
    """The rows of an uploaded CSV or XLSX file (its first sheet), each a list of
    cells (text, numbers, or None for an empty cell), without empty rows; each row
    with its number in the file (1 for the first).

    A CSV may be in UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
    "Unicode text"), or Latin-1, delimited by commas, semicolons or tabs. An XLSX
    gives its cells' values, formulas as their last computed value (none if the
    file never was opened in a spreadsheet).

    :param bytes data: the file's content (at most ``MAX_FILE_SIZE`` + 1 bytes read)
    :return: [(row number, [cell, ...]), ...] of at most ``MAX_FILE_ROWS`` + 1 rows
        (the header, if any, and the items)
    :raise ItemFileError: empty, too large, too many rows, not a CSV or an XLSX
    """
    if not data:
        raise ItemFileError("empty")
    if len(data) > MAX_FILE_SIZE:
        raise ItemFileError("too_large")
    if data.startswith(b"PK\x03\x04"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    kept = []
    for number, row in rows:
        cells = [_clean_cell(cell) for cell in row]
        while cells and cells[-1] in (None, ""):
            cells.pop()  # a sheet's empty columns on the right
        if not cells:
            continue
        kept.append((number, cells))
        if len(kept) > MAX_FILE_ROWS + 1:
            raise ItemFileError("too_many_rows")
    if not kept:
        raise ItemFileError("empty")
    return kept


def _clean_cell(cell):
    if isinstance(cell, str):
        cell = cell.strip()
        # A cell write_item_file quoted (it is text, not a formula) reads as written.
        if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
            cell = cell[1:]
        return cell
    if isinstance(cell, bool):  # a TRUE/FALSE cell is no quantity or code
        return str(cell)
    if isinstance(cell, (int, float)) or cell is None:
        return cell
    return str(cell)  # a date, a time: as text, which names nothing


def _decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ItemFileError("not_a_table") from None
    if b"\x00" in data:  # binary: an image, a PDF, an old .xls
        raise ItemFileError("not_a_table")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # Latin-1 decodes any bytes: a file that is no text has control characters.
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        raise ItemFileError("not_a_table")
    return text


def _read_csv(data):
    text = _decode(data)
    if "\x00" in text:
        raise ItemFileError("not_a_table")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        # One column (codes only), or nothing the sniffer can decide on: the most
        # frequent delimiter of the first line (a comma if none).
        first_line = next(iter(sample.splitlines()), "")
        dialect = csv.excel
        delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text), dialect, delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row
            if number > 20 * MAX_FILE_ROWS:  # mostly empty lines: still too many
                raise ItemFileError("too_many_rows")
    except csv.Error:
        raise ItemFileError("not_a_table") from None


def _read_xlsx(data):
    import openpyxl  # one of Odoo's requirements, loaded when an XLSX comes

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ItemFileError("not_a_table") from None
    if unzipped > MAX_XLSX_UNZIPPED_SIZE:
        raise ItemFileError("too_large")
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception:  # noqa: BLE001 - any file openpyxl cannot read is "not a table"
        raise ItemFileError("not_a_table") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ItemFileError("no_sheet")
        # The sheet's own dimensions are not trusted (a file may claim 16,384
        # columns): its cells are read as they come, in the first columns only.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, list(row)
            if number > 20 * MAX_FILE_ROWS:
                raise ItemFileError("too_many_rows")
    except ItemFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet, read lazily
        raise ItemFileError("not_a_table") from None
    finally:
        workbook.close()


def _safe_text(value):
    """A cell's text that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_item_file(header, rows, file_format, delimiter=","):
    """A CSV or XLSX file of ``rows`` under ``header`` (lists of text or numbers).

    :param file_format: "csv" or "xlsx"
    :param delimiter: the CSV's (a semicolon where the decimal point is a comma, as
        spreadsheets of those languages expect)
    :return: the file's bytes (a CSV in UTF-8 with a BOM: spreadsheets then read its
        accents)
    """
    if file_format == "xlsx":
        import openpyxl
        from openpyxl.cell import WriteOnlyCell

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    # As text: openpyxl would store "=..." as a formula.
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_text(value) for value in row])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")
