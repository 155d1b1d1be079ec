"""The downloadable template: the columns in order with one example row, as CSV
(UTF-8 with a byte-order mark, so spreadsheets read accents) and as XLSX with the
column guide on a second sheet."""

import csv
import io

from states.imports.columns import COLUMNS
from states.imports.reading import SHEET

GUIDE_HEADER = ("column", "required", "what it holds", "example")


def guide_rows():
    return [
        (c.name, "required" if c.required else "optional", c.guide, c.example)
        for c in COLUMNS
    ]


def template_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.name for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx():
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([c.name for c in COLUMNS])
    # Written as text: an example starting with "=" would otherwise be a formula.
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[2]:
        cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("column guide")
    guide.append(GUIDE_HEADER)
    for row in guide_rows():
        guide.append(row)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
