"""The spreadsheets the portal hands out, written by one function: user text always as text.

A cell whose text starts with =, +, -, @, a tab or a carriage return would be run as a formula by a
spreadsheet program (OWASP: CSV and formula injection; `=HYPERLINK(...)` in a name becomes a link
to anywhere). Such text is written as a text cell with Excel's quote prefix, so it shows as typed
and stays text when edited.
"""

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from candidates.validators import FORMULA_TRIGGERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def xlsx_workbook(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An .xlsx file of one sheet: a header row, then `rows`, every text cell written as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([_cell(sheet, str(header)) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """The workbook of `xlsx_workbook` as a download named `filename`."""
    response = HttpResponse(xlsx_workbook(title=title, headers=headers, rows=rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
