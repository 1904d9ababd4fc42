"""The spreadsheets the portal hands out, written by one function: user text always as text.

A cell whose text starts with =, +, -, @, a tab or a carriage return would be run as a formula by a
spreadsheet program (OWASP: CSV and formula injection; `=HYPERLINK(...)` in a name becomes a link
to anywhere). Such text is written as a text cell with Excel's quote prefix, so it shows as typed
and stays text when edited.
"""

import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from candidates.validators import FORMULA_TRIGGERS
from config.tables import list_query

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# An export's columns: (header, the cell of a record).
Columns = Sequence[tuple[str, Callable]]


def column_rows(
    columns: Columns, records: Iterable, *, only: Sequence[str] = ()
) -> tuple[list[str], Iterator]:
    """The header and the rows of `records` by `columns`.

    With `only` (field paths, through relations), `records` is a queryset loading just those fields and
    the relations they cross: a city-wide export of tens of thousands of records otherwise spends most of
    its time building model instances of columns it never writes.
    """
    if only:
        relations = {path.rsplit("__", 1)[0] for path in only if "__" in path}
        records = records.select_related(None).select_related(*relations).only(*only)
    return [str(header) for header, _get in columns], ([get(r) for _h, get in columns] for r in records)


def _cell(sheet, value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


@dataclass
class Sheet:
    """One sheet of a workbook: its title, a header row and `rows`; `formats` maps a column's index to
    the number format of its figures (e.g. "0.0%" for a share written as a fraction)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    formats: dict[int, str] = field(default_factory=dict)


# Characters a sheet's title may not hold, and its greatest length (Excel's rules).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def _formatted(sheet, value, number_format: str | None):
    if number_format is None or not isinstance(value, int | float):
        return _cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def xlsx_workbook_sheets(sheets: Iterable[Sheet]) -> bytes:
    """An .xlsx file of `sheets` in order, each a header row then its rows, every text cell as text."""
    workbook = Workbook(write_only=True)
    for part in sheets:
        sheet = workbook.create_sheet(SHEET_TITLE_FORBIDDEN.sub("-", str(part.title))[:SHEET_TITLE_MAX])
        sheet.append([_cell(sheet, str(header)) for header in part.headers])
        for row in part.rows:
            sheet.append([_formatted(sheet, value, part.formats.get(i)) for i, value in enumerate(row)])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def xlsx_workbook(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An .xlsx file of one sheet: a header row, then `rows`, every text cell written as text."""
    return xlsx_workbook_sheets([Sheet(title=title, headers=headers, rows=rows)])


def xlsx_download(content: bytes, *, filename: str) -> HttpResponse:
    """An .xlsx file as a download named `filename`."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """The workbook of `xlsx_workbook` as a download named `filename`."""
    return xlsx_download(xlsx_workbook(title=title, headers=headers, rows=rows), filename=filename)


def list_export(request, records, *, rows: Callable, title: str, list_url: str) -> HttpResponse:
    """The records of a list page (filtered, scoped and sorted like it) as `title`.xlsx, written by
    `rows(records)` -> (headers, rows). Past settings.EXPORT_MAX_ROWS records, a page asks to narrow the
    filters instead and leads back to the list (URL name `list_url`) with them: a user waits for the file,
    and tens of thousands of rows take tens of seconds (a background job replaces this in a later issue).
    """
    count = records.count()
    if count > settings.EXPORT_MAX_ROWS:
        page = {
            "count": count,
            "limit": settings.EXPORT_MAX_ROWS,
            "list_url": list_url,
            "list_query": list_query(request),
        }
        return render(request, "export_too_large.html", page)
    headers, data = rows(records)
    return xlsx_response(filename=f"{title}.xlsx", title=title, headers=headers, rows=data)
