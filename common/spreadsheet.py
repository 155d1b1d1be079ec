"""CSV that is safe and readable in a spreadsheet: formula cells neutralised, an
opt-in byte-order mark, and file names that say what a download holds."""

import csv
import io

from django.utils.text import slugify

from common.errors import ParameterError

# OWASP "CSV injection": a cell starting with one of these is read as a formula by
# Excel, LibreOffice and Google Sheets. A leading single quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a UTF-8 file without it as the local code page ("CÃ´te d'Ivoire").
BOM = "\ufeff"
BOM_PARAM = "bom"


def safe_cell(value):
    """The value, with a text that a spreadsheet would run as a formula quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]


def csv_line(values):
    """One CSV record (with its line end), its cells neutralised."""
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(values))
    return out.getvalue()


def wants_bom(query_params):
    """Whether `?bom=1` asks for a byte-order mark; another value is a 400."""
    raw = query_params.get(BOM_PARAM)
    if raw is None:
        return False
    if raw != "1":
        raise ParameterError(BOM_PARAM, "Use bom=1 (for spreadsheets) or leave it out.")
    return True


def with_bom(text, bom):
    return BOM + text if bom else text


def filename(*parts, extension="csv"):
    """`un-cybercrime-matrix-session-8.csv` from ("un-cybercrime", "matrix", …);
    empty parts are left out and each part is made safe for a header."""
    words = [slugify(str(part)) for part in parts if part not in (None, "")]
    return "-".join(word for word in words if word) + f".{extension}"


def attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
