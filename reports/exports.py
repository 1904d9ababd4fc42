"""The spreadsheets the portal hands out, written by one function: user text always as text.

A cell whose text starts with =, +, -, @, a tab or a carriage return would be run as a formula by a
spreadsheet program (OWASP: CSV and formula injection; `=HYPERLINK(...)` in a name becomes a link
to anywhere). Such text is written as a text cell with Excel's quote prefix, so it shows as typed
and stays text when edited.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from openpyxl.utils import get_column_letter

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

# The writer -------------------------------------------------------------------------------------------
#
# An .xlsx file is a zip of XML parts. The sheets are written here, row by row as text, rather than by
# openpyxl: its write-only mode builds an XML element per cell, about 10 µs each, so a county's 20,000
# candidates (420,000 cells) took 4 s to write; the text of a row takes a microsecond or two a cell. The
# parts are the few that Excel, WPS and LibreOffice need; openpyxl reads the files back in the tests.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PACKAGE_RELATIONSHIPS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold (control characters but tab, line feed and carriage return): dropped.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What text must not hold as it is: those characters, and XML's markup.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel counts days from 1899-12-30 (so that 1900-03-01 is day 61, after its phantom 1900-02-29).
_EPOCH = datetime.datetime(1899, 12, 30)
_DATE_FORMAT, _DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd h:mm:ss"
# Rows of text gathered before they are compressed into the file.
_ROWS_PER_WRITE = 500


def _text(value: str) -> str:
    """`value` as the XML of a cell's text."""
    if _SPECIAL.search(value):
        value = escape(_ILLEGAL.sub("", value))
    if value[:1].isspace() or value[-1:].isspace():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


def _attribute(value: str) -> str:
    """`value` as the text of an XML attribute in double quotes."""
    return escape(_ILLEGAL.sub("", value), {'"': "&quot;"})


class _Styles:
    """The cell formats a workbook uses: 0 plain, 1 text with Excel's quote prefix, then one per number
    format (dates, shares), numbered as they first appear."""

    QUOTED = 1

    def __init__(self):
        self.formats: dict[str, int] = {}

    def of(self, number_format: str) -> int:
        """The style of figures shown with `number_format`."""
        return self.formats.setdefault(number_format, 2 + len(self.formats))

    def xml(self) -> str:
        number_formats = "".join(
            f'<numFmt numFmtId="{164 + i}" formatCode="{_attribute(code)}"/>'
            for i, code in enumerate(self.formats)
        )
        xf = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0"{}/>'
        cell_formats = [xf.format(0, ""), xf.format(0, ' quotePrefix="1"')]
        cell_formats += [xf.format(164 + i, ' applyNumberFormat="1"') for i in range(len(self.formats))]
        return (
            f'<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{len(self.formats)}">{number_formats}</numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(cell_formats)}">{"".join(cell_formats)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _cell(reference: str, value, styles: _Styles, number_format: str | None) -> str:
    """The XML of one cell (empty for None and ""): text as text (with the quote prefix when a
    spreadsheet would run it as a formula), numbers, booleans, dates and times."""
    if isinstance(value, str):
        if not value:
            return ""
        style = f' s="{_Styles.QUOTED}"' if value.startswith(FORMULA_TRIGGERS) else ""
        return f'<c r="{reference}"{style} t="inlineStr"><is>{_text(value)}</is></c>'
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        style = f' s="{styles.of(number_format)}"' if number_format else ""
        return f'<c r="{reference}"{style}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise TypeError("Excel has no time zones: give the local time, without its tzinfo.")
        days = (value - _EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{reference}" s="{styles.of(_DATETIME_FORMAT)}"><v>{days!r}</v></c>'
    if isinstance(value, datetime.date):
        days = (value - _EPOCH.date()).days
        return f'<c r="{reference}" s="{styles.of(_DATE_FORMAT)}"><v>{days}</v></c>'
    raise ValueError(f"Cannot write {value!r} ({type(value).__name__}) to a spreadsheet cell.")


def _write_sheet(stream, sheet: Sheet, styles: _Styles) -> None:
    """The XML of `sheet` into `stream`: the header row, then its rows."""
    letters: list[str] = []

    def row_xml(number: int, values: Sequence, formats: dict[int, str]) -> str:
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        cells = []
        for index, value in enumerate(values):
            # Plain text, the most common cell, written here; everything else by _cell.
            if type(value) is str and value and not value.startswith(FORMULA_TRIGGERS):
                cells.append(f'<c r="{letters[index]}{number}" t="inlineStr"><is>{_text(value)}</is></c>')
            else:
                cells.append(_cell(f"{letters[index]}{number}", value, styles, formats.get(index)))
        return f'<row r="{number}">{"".join(cells)}</row>'

    stream.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
    lines = [row_xml(1, [str(header) for header in sheet.headers], {})]
    for number, values in enumerate(sheet.rows, 2):
        lines.append(row_xml(number, values, sheet.formats))
        if len(lines) == _ROWS_PER_WRITE:
            stream.write("".join(lines).encode())
            lines = []
    stream.write(("".join(lines) + "</sheetData></worksheet>").encode())


def xlsx_workbook_sheets(sheets: Iterable[Sheet]) -> bytes:
    """An .xlsx file of `sheets` in order, each a header row then its rows, every text cell as text."""
    styles, titles = _Styles(), []
    content = io.BytesIO()
    # The fastest compression: a third of the time of the default level, the file a tenth bigger.
    with zipfile.ZipFile(content, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number, sheet in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as stream:
                _write_sheet(stream, sheet, styles)
            titles.append(SHEET_TITLE_FORBIDDEN.sub("-", str(sheet.title))[:SHEET_TITLE_MAX])
        if not titles:
            raise ValueError("A workbook needs at least one sheet.")
        for name, xml in _package_parts(titles, styles).items():
            archive.writestr(name, _XML + xml)
    return content.getvalue()


def _package_parts(titles: list[str], styles: _Styles) -> dict[str, str]:
    """The parts of an .xlsx file around its sheets: what each part is, the workbook naming its sheets
    (`titles`, in order), and the cell formats."""
    numbers = range(1, len(titles) + 1)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [("/xl/workbook.xml", f"{content_type}.sheet.main+xml")]
    overrides += [("/xl/styles.xml", f"{content_type}.styles+xml")]
    overrides += [(f"/xl/worksheets/sheet{n}.xml", f"{content_type}.worksheet+xml") for n in numbers]
    relationships = [(f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml") for n in numbers]
    relationships += [(f"rId{len(titles) + 1}", "styles", "styles.xml")]
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{_PACKAGE_RELATIONSHIPS_TYPE}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
            + "".join(
                f'<sheet name="{_attribute(title)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, title in zip(numbers, titles, strict=True)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            + "".join(
                f'<Relationship Id="{key}" Type="{_RELATIONSHIPS}/{kind}" Target="{target}"/>'
                for key, kind, target in relationships
            )
            + "</Relationships>"
        ),
        "xl/styles.xml": styles.xml(),
    }


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
