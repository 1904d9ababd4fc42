"""The monthly import of online-learning hours (云端学习): reading and checking a file, and its preview.

The file is an .xlsx workbook or a CSV file (UTF-8 or GB18030) with the columns 身份证号, 月份 (e.g.
2025-03) and 学时, and optionally 姓名. It is checked as a whole, like the candidate import
(candidates/imports/): every problem is reported by row and column, and while any row is wrong nothing is
written (mentoring.services.training writes). A person must be a candidate the importer may see; a month
already imported for a person is replaced. People are looked up in bulk, a query per thousand rows, and
reading stops past settings.IMPORT_MAX_ROWS.
"""

import csv
import datetime
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from accounts.models import User
from candidates.imports import EXAMPLE_ID_NUMBER, ImportRefused, RowError, read_upload
from candidates.imports.cells import CellError, as_text, is_empty, read_decimal, read_identity
from candidates.imports.rows import sheet_rows
from candidates.models import Candidate
from candidates.validators import compact, normalize_text
from mentoring.models import OnlineLearning

# The file's columns (DESIGN §6). The header texts are the file format: never translated.
ID_NUMBER, MONTH, HOURS, NAME = "身份证号", "月份", "学时", "姓名"
HEADERS = (ID_NUMBER, MONTH, HOURS)
OPTIONAL_HEADERS = (NAME,)
# What the learning platform's own exports call the same columns (compared after NFKC, without spaces).
HEADER_ALIASES = {
    "身份证号码": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "学习月份": MONTH,
    "年月": MONTH,
    "学时(小时)": HOURS,
    "学习学时": HOURS,
    "学习时长": HOURS,
    "学习时长(小时)": HOURS,
}
EXAMPLE_MONTH = "2025-03"

# A month holds at most 31 × 24 hours; the platform's records start long after 2000.
MAX_HOURS = Decimal(744)
EARLIEST_MONTH = datetime.date(2000, 1, 1)
# Lookups go by this many rows (well below every database's parameter limit).
CHUNK = 1000

_WORKBOOK_MAGIC = b"PK\x03\x04"
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]?\s*(\d{1,2})\s*日?)?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
_HOURS_SUFFIXES = ("小时", "学时", "hours", "h")


@dataclass
class HoursRow:
    """A valid row: whose hours, for which month, how many, and the hours it replaces (None: a new month)."""

    row: int
    candidate: Candidate
    month: datetime.date
    hours: Decimal
    replaces: Decimal | None = None


@dataclass
class HoursCheck:
    """The outcome of checking a file: its valid rows and its errors."""

    rows: list[HoursRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported: rows, and no error."""
        return not self.errors and bool(self.rows)


# Reading the file ---------------------------------------------------------------------------------


def is_workbook(content: bytes) -> bool:
    """Whether `content` is an .xlsx workbook (a zip); anything else that was accepted is CSV text."""
    return content.startswith(_WORKBOOK_MAGIC)


def _decode(content: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without a byte-order mark), else GB18030 (Excel's Chinese CSV)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _(
            "The CSV file is neither UTF-8 nor GB18030 text. Save it again from Excel as "
            "“CSV UTF-8 (comma delimited)” or as an Excel workbook (.xlsx)."
        ),
        code="encoding",
    )


def read_hours_upload(uploaded_file) -> bytes:
    """The bytes of an uploaded .xlsx or CSV file within the size limit; ValidationError otherwise."""
    try:
        return read_upload(uploaded_file)  # size, emptiness, old .xls, zip bombs, .xlsx
    except ValidationError as error:
        if getattr(error, "code", None) != "csv":
            raise
    uploaded_file.seek(0)
    content = uploaded_file.read()
    _decode(content)
    return content


def _csv_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of a CSV file, as a spreadsheet program numbers its rows; the separator
    (comma, tab or semicolon) is the one the first line uses most."""
    try:
        text = _decode(content)
    except ValidationError as error:
        raise ImportRefused([RowError(None, "", error.messages[0])]) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error:
        raise ImportRefused(
            [RowError(None, "", _("The CSV file cannot be read; save it again from Excel and upload it."))]
        ) from None


# Reading one cell ---------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# Excel's day numbers of 2000-01-01 and 2099-12-31: a number between them is a date whose format was lost.
_EXCEL_DAYS = (36526, 73050)


def _month_from_text(text: str) -> datetime.date:
    match = _MONTH_TEXT.match(text.split(" ")[0].split("T")[0]) or _MONTH_DIGITS.match(text)
    if match is not None:
        year, number, *day = (int(part) if part else None for part in match.groups())
        try:
            if day and day[0]:
                datetime.date(year, number, day[0])  # a whole date must be a real one
            return datetime.date(year, number, 1)
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a month; write it as 2025-03.") % {"value": text})


def read_month(value, *, today: datetime.date) -> datetime.date:
    """The first day of the month a cell names: an Excel date, 2025-03, 2025/3, 2025年3月 or 202503."""
    if _is_number(value) and _EXCEL_DAYS[0] <= value <= _EXCEL_DAYS[1] and float(value).is_integer():
        value = from_excel(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    month = value.replace(day=1) if isinstance(value, datetime.date) else _month_from_text(as_text(value))
    if not EARLIEST_MONTH <= month <= today.replace(day=1):
        raise CellError(
            _("The month must lie between %(earliest)s and this month, %(latest)s; this cell has %(value)s.")
            % {"earliest": f"{EARLIEST_MONTH:%Y-%m}", "latest": f"{today:%Y-%m}", "value": f"{month:%Y-%m}"}
        )
    return month


def read_hours(value) -> Decimal:
    """A month's hours, 0 to 744, rounded to a tenth of an hour."""
    amount = read_decimal(value, suffixes=_HOURS_SUFFIXES)
    if amount is None:
        raise CellError(
            _("“%(value)s” is not a number of hours; write the hours as a number, e.g. 12.5.")
            % {"value": as_text(value)}
        )
    if amount < 0:
        raise CellError(_("The hours cannot be negative."))
    if amount > MAX_HOURS:
        raise CellError(
            _("%(value)s hours is more than a month holds (%(limit)s hours).")
            % {"value": as_text(value), "limit": MAX_HOURS}
        )
    return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _read_name(value) -> str:
    return re.sub(r"\s+", "", normalize_text(value))


# Reading the rows ---------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """One row's values once each cell is read; `bad` holds the columns that have an error."""

    row: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)


def _header(value) -> str:
    """A header cell as the format names it: full-width forms and spaces do not count; aliases do."""
    header = compact(unicodedata.normalize("NFKC", as_text(value)))
    return HEADER_ALIASES.get(header, header)


def _header_positions(number: int, cells: tuple, errors: list[RowError]) -> dict[str, int]:
    """Where each column is; errors for missing and repeated headers. Other columns are not read."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, value in enumerate(cells):
        header = _header(value)
        if header in HEADERS + OPTIONAL_HEADERS:
            positions[header].append(index)
    for header in HEADERS:
        if header not in positions:
            errors.append(
                RowError(
                    number,
                    header,
                    _(
                        "This column is missing from the header row (row %(row)d); the file needs the "
                        "columns %(columns)s."
                    )
                    % {"row": number, "columns": "、".join(HEADERS)},
                )
            )
    for header, indexes in positions.items():
        if len(indexes) > 1:
            errors.append(
                RowError(
                    number,
                    header,
                    _("This header appears in columns %(letters)s; keep only one of them.")
                    % {"letters": "、".join(get_column_letter(i + 1) for i in indexes)},
                )
            )
    return {header: indexes[0] for header, indexes in positions.items()}


def _read_row(number: int, cells: tuple, positions: dict[str, int], today, errors) -> _Parsed:
    """The values of row `number`; an error in `errors` for each cell that cannot be read."""
    parsers = {
        ID_NUMBER: read_identity,
        MONTH: lambda value: read_month(value, today=today),
        HOURS: read_hours,
        NAME: _read_name,
    }
    parsed = _Parsed(number, {})
    for header, index in positions.items():
        value = cells[index] if index < len(cells) else None
        if is_empty(value):
            if header != NAME:
                errors.append(RowError(number, header, _("This cell is empty; fill it in.")))
                parsed.bad.add(header)
            continue
        try:
            parsed.values[header] = parsers[header](value)
        except CellError as error:
            errors.append(RowError(number, header, str(error)))
            parsed.bad.add(header)
    return parsed


def _too_many_rows() -> RowError:
    return RowError(
        None,
        "",
        _(
            "The file holds more than %(limit)d rows; the import takes up to %(limit)d rows at a time. "
            "Split it into several files."
        )
        % {"limit": settings.IMPORT_MAX_ROWS},
    )


def _read_rows(content: bytes, check: HoursCheck, today: datetime.date) -> list[_Parsed] | None:
    """The non-empty rows under the header, each cell read; None when the file or its header is wrong.
    Reading stops past settings.IMPORT_MAX_ROWS rows (or twice as many, empty ones included)."""
    limit = settings.IMPORT_MAX_ROWS
    source = sheet_rows(content) if is_workbook(content) else _csv_rows(content)
    with closing(source) as rows:
        header = next(((number, cells) for number, cells in rows if not all(map(is_empty, cells))), None)
        if header is None:
            check.errors.append(
                RowError(
                    None, "", _("The file is empty. Its first row holds the headers 身份证号, 月份 and 学时.")
                )
            )
            return None
        positions = _header_positions(*header, check.errors)
        if check.errors:
            return None  # with the wrong columns, every row would only repeat the same problem
        parsed = []
        for read, (number, cells) in enumerate(rows, start=1):
            if read > 2 * limit or (len(parsed) == limit and not all(map(is_empty, cells))):
                check.errors.append(_too_many_rows())
                return None
            if not all(map(is_empty, cells)):
                parsed.append(_read_row(number, cells, positions, today, check.errors))
        return parsed


# Checks across rows -------------------------------------------------------------------------------


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_example(parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
    for parsed in parsed_rows:
        identity = parsed.values.get(ID_NUMBER)
        if identity is not None and identity.number == EXAMPLE_ID_NUMBER:
            errors.append(
                RowError(
                    parsed.row,
                    ID_NUMBER,
                    _("This is the template's example row; delete it before importing."),
                )
            )
            parsed.bad.add(ID_NUMBER)


def _check_duplicates(parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
    """Errors on every row of a person and month that is in the file more than once."""
    rows_by_key: dict[tuple, list[_Parsed]] = defaultdict(list)
    for parsed in parsed_rows:
        if ID_NUMBER in parsed.values and MONTH in parsed.values:
            rows_by_key[(parsed.values[ID_NUMBER].number, parsed.values[MONTH])].append(parsed)
    for same in rows_by_key.values():
        if len(same) < 2:
            continue
        rows = "、".join(str(p.row) for p in same)
        for parsed in same:
            errors.append(
                RowError(
                    parsed.row,
                    ID_NUMBER,
                    _(
                        "Rows %(rows)s give hours for the same person and month; keep one row per person "
                        "and month."
                    )
                    % {"rows": rows},
                )
            )
            parsed.bad.add(ID_NUMBER)


def _people(*, by: User, parsed_rows: list[_Parsed], errors: list[RowError]) -> dict[str, Candidate]:
    """The candidates the rows name, among those `by` may see; an error for every other ID number.

    A number outside the jurisdiction reads like an unknown one: the import does not tell whether
    someone is registered elsewhere."""
    numbers = sorted(
        {p.values[ID_NUMBER].number for p in parsed_rows if ID_NUMBER not in p.bad and ID_NUMBER in p.values}
    )
    people = {}
    for chunk in _chunks(numbers):
        people |= {
            c.id_number: c
            for c in Candidate.objects.visible_to(by)
            .filter(id_number__in=chunk)
            .select_related("village__region")
        }
    jurisdiction = by.jurisdiction.name if by.jurisdiction_id else "—"
    for parsed in parsed_rows:
        identity = parsed.values.get(ID_NUMBER)
        if identity is None or ID_NUMBER in parsed.bad or identity.number in people:
            continue
        errors.append(
            RowError(
                parsed.row,
                ID_NUMBER,
                _(
                    "No candidate of your jurisdiction (%(jurisdiction)s) has this ID card number. Check the "
                    "number; hours are imported only for registered candidates of your own region."
                )
                % {"jurisdiction": jurisdiction},
            )
        )
        parsed.bad.add(ID_NUMBER)
    return people


def _check_names(parsed_rows: list[_Parsed], people: dict[str, Candidate], errors: list[RowError]) -> None:
    """Where the file gives a name, it must be the name registered for the ID number."""
    for parsed in parsed_rows:
        identity, name = parsed.values.get(ID_NUMBER), parsed.values.get(NAME)
        person = people.get(identity.number) if identity is not None else None
        if person is None or not name or name == _read_name(person.name):
            continue
        errors.append(
            RowError(
                parsed.row,
                NAME,
                _("The ID card number of this row is registered for %(registered)s, not %(name)s; check it.")
                % {"registered": person.name, "name": name},
            )
        )


def _existing_hours(pairs: set[tuple[int, datetime.date]]) -> dict[tuple[int, datetime.date], Decimal]:
    """The hours already recorded for these (candidate, month) pairs."""
    found = {}
    months = sorted({month for _pk, month in pairs})
    for chunk in _chunks(sorted({pk for pk, _month in pairs})):
        for pk, month, hours in OnlineLearning.objects.filter(
            candidate_id__in=chunk, month__in=months
        ).values_list("candidate_id", "month", "hours"):
            found[(pk, month)] = hours
    return {pair: hours for pair, hours in found.items() if pair in pairs}


def check_hours_file(*, by: User, content: bytes, today: datetime.date | None = None) -> HoursCheck:
    """Read and check a file of hours: every error by row and column, or the rows it would write."""
    today = today or timezone.localdate()
    check = HoursCheck()
    try:
        parsed_rows = _read_rows(content, check, today)
    except ImportRefused as refused:
        check.errors = refused.errors
        return check
    if parsed_rows is None:
        return check
    if not parsed_rows:
        check.errors.append(
            RowError(
                None, "", _("The file has no rows under the header. Fill in one row per person and month.")
            )
        )
        return check
    _check_example(parsed_rows, check.errors)
    _check_duplicates(parsed_rows, check.errors)
    people = _people(by=by, parsed_rows=parsed_rows, errors=check.errors)
    _check_names(parsed_rows, people, check.errors)
    order = {header: index for index, header in enumerate(HEADERS + OPTIONAL_HEADERS)}
    check.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    if not check.errors:
        rows = [
            HoursRow(p.row, people[p.values[ID_NUMBER].number], p.values[MONTH], p.values[HOURS])
            for p in parsed_rows
        ]
        existing = _existing_hours({(row.candidate.pk, row.month) for row in rows})
        for row in rows:
            row.replaces = existing.get((row.candidate.pk, row.month))
        check.rows = rows
    return check
