"""Reading a positions file (CSV or XLSX) into its header and rows of text.

Every refusal is a FileRefused with a message saying what to do; nothing here
touches the database.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from states.imports.columns import NAMES, REQUIRED

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 64
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t")
# The sheet read from a workbook when it has one of this name (the template's).
SHEET = "positions"
_NOT_XLSX = "The file cannot be read as an Excel workbook (.xlsx)."


class FileRefused(Exception):
    """The file cannot be read as a positions file; the message says why."""


@dataclass
class Table:
    """A file's rows as {column: text}, each with its row number as a spreadsheet
    shows it (the header is row 1)."""

    columns: list
    rows: list  # [(row number, {column: text})]


def too_large(size):
    """The refusal of a file of `size` bytes, over the limit."""
    return (
        f"The file is {size / 1_048_576:.1f} MB; at most {MAX_BYTES // 1_048_576} MB "
        "can be imported at once: split it."
    )


def read_table(content, filename=""):
    """The Table of a CSV or XLSX file's bytes; raises FileRefused."""
    if not content:
        raise FileRefused("The file is empty.")
    if len(content) > MAX_BYTES:
        raise FileRefused(too_large(len(content)))
    name = filename.lower()
    if name.endswith(".xls"):
        raise FileRefused(
            "Old Excel files (.xls) are not read: save it as .xlsx or as CSV UTF-8."
        )
    if content.startswith(_XLSX_MAGIC):
        header, rows = _xlsx_rows(content)
    else:
        header, rows = _csv_rows(content)
    return _table(header, rows)


def _csv_rows(content):
    if b"\x00" in content[:4096]:
        raise FileRefused("This is not a CSV or XLSX file.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read): "
            "save it as “CSV UTF-8” or as .xlsx."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise FileRefused(f"The CSV cannot be read: {error}.") from None
    if not lines:
        raise FileRefused("The file is empty.")
    return lines[0], [(number, line) for number, line in enumerate(lines[1:], 2)]


def _unpacked_size(content):
    """The workbook's size once unzipped (a small file can unpack to gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(_NOT_XLSX) from None


def _sheet_lines(sheet):
    """The sheet's rows as text, refusing more columns or rows than a file may have
    (rather than reading them all first)."""
    lines, filled = [], 0
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
        line = [_cell_text(value) for value in row]
        if len(line) > MAX_COLUMNS and line[MAX_COLUMNS].strip():
            raise FileRefused(f"The sheet has more than {MAX_COLUMNS} columns.")
        filled += any(cell.strip() for cell in line)
        if filled > MAX_ROWS + 1:
            raise FileRefused(
                f"The file has more than {MAX_ROWS} rows; at most {MAX_ROWS} are "
                "imported at once: split it."
            )
        lines.append(line[:MAX_COLUMNS])
    return lines


def _xlsx_rows(content):
    # Imported here: only workbooks need openpyxl.
    import openpyxl

    if _unpacked_size(content) > MAX_UNPACKED_BYTES:
        raise FileRefused(
            "The workbook unpacks to more than "
            f"{MAX_UNPACKED_BYTES // 1_048_576} MB: save it as CSV, or split it."
        )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise FileRefused(_NOT_XLSX) from None
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.active
        lines = _sheet_lines(sheet)
    finally:
        workbook.close()
    if not lines:
        raise FileRefused("The workbook's first sheet is empty.")
    return lines[0], [(number, line) for number, line in enumerate(lines[1:], 2)]


def _cell_text(value):
    """A cell as the text a CSV would hold (dates as ISO, 7.0 as 7)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header(cells):
    names = [cell.strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise FileRefused("The first row must name the columns; it is empty.")
    problems = []
    unknown = [
        n or f"(column {i + 1} has no name)"
        for i, n in enumerate(names)
        if n not in NAMES
    ]
    if unknown:
        problems.append(
            "Unknown column(s): "
            + ", ".join(f"“{n}”" for n in unknown)
            + ". The columns are: "
            + ", ".join(NAMES)
            + "."
        )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        problems.append("Column(s) named twice: " + ", ".join(repeated) + ".")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        problems.append("Missing required column(s): " + ", ".join(missing) + ".")
    if problems:
        raise FileRefused(" ".join(problems))
    return names


def _table(header, rows):
    columns = _header(header)
    table = Table(columns=columns, rows=[])
    for number, cells in rows:
        values = [cell.strip() for cell in cells]
        if not any(values):
            continue  # blank lines between blocks of rows
        extra = [v for v in values[len(columns) :] if v]
        if extra:
            raise FileRefused(
                f"Row {number} has more cells than the header names columns: "
                f"“{extra[0][:40]}” has no column."
            )
        values += [""] * (len(columns) - len(values))
        table.rows.append((number, dict(zip(columns, values, strict=False))))
    if not table.rows:
        raise FileRefused("The file has a header but no rows.")
    if len(table.rows) > MAX_ROWS:
        raise FileRefused(
            f"The file has {len(table.rows)} rows; at most {MAX_ROWS} are imported "
            "at once: split it."
        )
    return table
