"""Checking a workbook: the header, the rows within the row limit, and the checks across rows.

The checks across rows find the same person twice in the file, villages outside the user's jurisdiction
and people already registered, in bulk. A file is checked as a whole; its valid rows become unsaved
nominations, which the write module saves.
"""

import datetime
import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

import openpyxl
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.models import User
from candidates import services
from candidates.choices import PARTY_MEMBERSHIP, Status, Track
from candidates.imports.cells import (
    CellError,
    Choice,
    as_text,
    is_empty,
    read_date,
    read_ethnicity,
    read_identity,
    read_income,
    read_industry,
    read_name,
    read_phone,
    read_village_code,
)
from candidates.imports.columns import (
    ALIASES,
    BIRTH_DATE,
    CHOICE_COLUMNS,
    EDUCATION,
    ETHNICITY,
    EXAMPLE_ID_NUMBER,
    GENDER,
    HEADERS,
    ID_NUMBER,
    INCOME,
    INDUSTRY,
    MAY_BE_EMPTY,
    NAME,
    OPTIONAL_HEADERS,
    PHONE,
    POLITICAL_STATUS,
    REASON,
    RECOMMENDER,
    SOURCE,
    VILLAGE_CODE,
)
from candidates.imports.upload import damaged_message
from candidates.models import Candidate, Certification
from candidates.validators import IdentityNumber, compact, identity_mismatches, normalize_text
from villages.models import Village

# Bulk lookups and inserts go by this many rows (well below every database's parameter limit).
CHUNK = 1000


class RowError(NamedTuple):
    """A problem in the file: the row as Excel numbers it (None: the whole file), the column header
    ("" when no column), and what to fix."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportRow:
    """A valid row: the candidate and the step-1 certification it becomes, not yet saved.

    Both are built when first asked for: a preview shows the first rows of a file of ten thousand.
    """

    row: int
    values: dict[str, Any]
    village: Village
    by: User
    today: datetime.date

    @cached_property
    def candidate(self) -> Candidate:
        """The person, as the row gives them."""
        values = self.values
        return Candidate(
            name=values[NAME],
            name_initials=services.pinyin_initials(values[NAME]),
            gender=values[GENDER],
            ethnicity=values[ETHNICITY],
            id_number=values[ID_NUMBER].number,
            birth_date=values[ID_NUMBER].birth_date,
            phone=values[PHONE],
            education=values[EDUCATION],
            political_status=values[POLITICAL_STATUS],
            source=values[SOURCE],
            village=self.village,
            industry=values.get(INDUSTRY, ""),
            household_income=values[INCOME],
            status=Status.CERTIFYING,
            created_by=self.by,
        )

    @cached_property
    def certification(self) -> Certification:
        """The person's nomination: step 1 of the track their political status leads to."""
        values = self.values
        return services.nomination(
            by=self.by,
            candidate=self.candidate,
            track=Track.PARTY_MEMBER
            if values[POLITICAL_STATUS] in PARTY_MEMBERSHIP
            else Track.WEALTH_CREATOR,
            recommender=values[RECOMMENDER],
            reason=values[REASON],
            today=self.today,
        )

    def kept(self) -> list:
        """The row as JSON, for `check_kept` to check again without reading the file: its number, then
        the value of each column of HEADERS (the ID number with its birth date and gender)."""
        values, identity = self.values, self.values[ID_NUMBER]
        kept = {
            ID_NUMBER: [identity.number, identity.birth_date.isoformat(), identity.gender],
            VILLAGE_CODE: values[VILLAGE_CODE][0],
            INDUSTRY: values.get(INDUSTRY, ""),
            INCOME: str(values[INCOME]),
        }
        return [self.row, *(kept.get(header, values.get(header)) for header in HEADERS)]


@dataclass
class ImportCheck:
    """The outcome of checking a file: its valid rows, its errors, and warnings that do not block."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported: rows, and no error."""
        return not self.errors and bool(self.rows)


class ImportRefused(Exception):
    """The file cannot be imported (now): `errors` says why. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors[:3]))
        self.errors = errors


def sheet_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the first sheet of an .xlsx file, every row, gaps included; a damaged
    file is refused. Close the iterator (`contextlib.closing`) when stopping early."""
    try:
        # Through the module, not imported by name: a test replaces openpyxl.load_workbook to count reads.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign zip
        raise ImportRefused([RowError(None, "", damaged_message())]) from None
    try:
        sheet = workbook.worksheets[0]
        # Files written by some programs declare a wrong size; read every row that is there.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except Exception:  # a sheet whose XML breaks off midway
        raise ImportRefused([RowError(None, "", damaged_message())]) from None
    finally:
        workbook.close()


@dataclass
class _Parsed:
    """One row's values once each cell is read; `bad` holds the columns that have an error."""

    row: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)


def _parsed_from_kept(kept: list) -> _Parsed:
    """The values of a row that ImportRow.kept wrote."""
    number, *cells = kept
    values = dict(zip(HEADERS, cells, strict=True))
    identity, birth_date, gender = values[ID_NUMBER]
    values[ID_NUMBER] = IdentityNumber(identity, datetime.date.fromisoformat(birth_date), gender)
    values[VILLAGE_CODE] = (values[VILLAGE_CODE], "")
    values[INCOME] = Decimal(values[INCOME])
    return _Parsed(number, values)


def _header_positions(number: int, cells: tuple, check: ImportCheck) -> dict[str, int]:
    """Where each column is; errors for missing, unknown and repeated headers."""
    known = HEADERS + OPTIONAL_HEADERS
    positions: dict[str, list[int]] = defaultdict(list)
    for index, value in enumerate(cells):
        # Headers are fixed labels: full-width brackets and the like count as their ASCII forms.
        header = compact(unicodedata.normalize("NFKC", as_text(value)))
        if not header:
            continue
        if header in known:
            positions[header].append(index)
        else:
            check.errors.append(
                RowError(
                    number,
                    as_text(value),
                    _(
                        "Column %(letter)s has the header “%(header)s”, which the template does not have. "
                        "Remove the column or correct its header; the columns are: %(columns)s."
                    )
                    % {
                        "letter": get_column_letter(index + 1),
                        "header": as_text(value),
                        "columns": "、".join(HEADERS),
                    },
                )
            )
    for header in HEADERS:
        if header not in positions:
            check.errors.append(
                RowError(
                    number,
                    header,
                    _(
                        "This column is missing from the header row (row %(row)d). "
                        "Copy the header row from the template."
                    )
                    % {"row": number},
                )
            )
    for header, indexes in positions.items():
        if len(indexes) > 1:
            check.errors.append(
                RowError(
                    number,
                    header,
                    _("This header appears in columns %(letters)s; keep only one of them.")
                    % {"letters": "、".join(get_column_letter(i + 1) for i in indexes)},
                )
            )
    return {header: indexes[0] for header, indexes in positions.items()}


class _RowReader:
    """Reads one row's cells into values, collecting one error per bad cell."""

    def __init__(self, positions: dict[str, int]):
        self.positions = positions
        self.parsers = {
            NAME: read_name,
            ETHNICITY: read_ethnicity,
            ID_NUMBER: read_identity,
            PHONE: read_phone,
            VILLAGE_CODE: read_village_code,
            INDUSTRY: read_industry,
            INCOME: read_income,
            REASON: normalize_text,
            BIRTH_DATE: read_date,
        } | {header: Choice(choices, ALIASES.get(header, {})) for header, choices in CHOICE_COLUMNS.items()}

    def read(self, number: int, cells: tuple, errors: list[RowError]) -> _Parsed:
        """The values of row `number`; an error in `errors` for each cell that cannot be read."""
        parsed = _Parsed(number, {})
        for header, index in self.positions.items():
            value = cells[index] if index < len(cells) else None
            if is_empty(value):
                if header not in MAY_BE_EMPTY:
                    errors.append(RowError(number, header, _("This cell is empty; fill it in.")))
                    parsed.bad.add(header)
                continue
            try:
                parsed.values[header] = self.parsers[header](value)
            except CellError as error:
                errors.append(RowError(number, header, str(error)))
                parsed.bad.add(header)
        return parsed


def _blank(cells: tuple) -> bool:
    """Whether a row has nothing in any cell."""
    return all(is_empty(value) for value in cells)


def _check_identity(parsed: _Parsed, errors: list[RowError], warnings: list[RowError]) -> None:
    """Errors for the example's ID number and for a gender or birth date it contradicts; its warnings."""
    identity = parsed.values.get(ID_NUMBER)
    if identity is None:
        return
    if identity.number == EXAMPLE_ID_NUMBER:
        errors.append(
            RowError(
                parsed.row, ID_NUMBER, _("This is the template's example row; delete it before importing.")
            )
        )
        parsed.bad.add(ID_NUMBER)
    for warning in identity.warnings:
        warnings.append(RowError(parsed.row, ID_NUMBER, warning))
    mismatches = identity_mismatches(
        identity, gender=parsed.values.get(GENDER), birth_date=parsed.values.get(BIRTH_DATE)
    )
    for key, message in mismatches.items():
        header = GENDER if key == "gender" else BIRTH_DATE
        errors.append(RowError(parsed.row, header, message))
        parsed.bad.add(header)


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    """`items` in lists of `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_duplicates_in_file(parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
    """Errors on every row of an ID number that is in the file more than once."""
    rows_by_number: dict[str, list[_Parsed]] = defaultdict(list)
    for parsed in parsed_rows:
        identity = parsed.values.get(ID_NUMBER)
        if identity is not None:
            rows_by_number[identity.number].append(parsed)
    for same in rows_by_number.values():
        if len(same) < 2:
            continue
        rows = "、".join(str(p.row) for p in same)
        for parsed in same:
            errors.append(
                RowError(
                    parsed.row,
                    ID_NUMBER,
                    _("The same ID card number is in rows %(rows)s; each person can be imported only once.")
                    % {"rows": rows},
                )
            )
            parsed.bad.add(ID_NUMBER)


def _check_villages(*, by: User, parsed_rows: list[_Parsed], errors: list[RowError]) -> dict[str, Village]:
    """The villages the rows name that `by` may import into; errors for unknown and foreign codes."""
    codes = sorted({p.values[VILLAGE_CODE][0] for p in parsed_rows if VILLAGE_CODE in p.values})
    existing, visible = set(), {}
    for chunk in _chunks(codes):
        existing |= set(Village.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        visible |= Village.objects.visible_to(by).select_related("region").in_bulk(chunk)
    jurisdiction = by.jurisdiction.name if by.jurisdiction_id else "—"
    for parsed in parsed_rows:
        if VILLAGE_CODE not in parsed.values:
            continue
        code, scientific = parsed.values[VILLAGE_CODE]
        if code in visible:
            continue
        if code not in existing and scientific:
            message = _(
                "“%(value)s” is a number in scientific notation that has lost digits. Format the 村代码 "
                "column as text and type the 12-digit code again."
            ) % {"value": scientific}
        elif code not in existing:
            message = _("There is no village with the code %(code)s; check it against the village list.") % {
                "code": code
            }
        else:
            message = _(
                "The village %(code)s is not in your jurisdiction (%(jurisdiction)s); you can import only "
                "people of your own villages."
            ) % {"code": code, "jurisdiction": jurisdiction}
        errors.append(RowError(parsed.row, VILLAGE_CODE, message))
        parsed.bad.add(VILLAGE_CODE)
    return visible


def _check_registered(*, by: User, parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
    """Errors for people already in the database, naming the village only to those who may see it
    (the rule of services.duplicate_message, in a query per thousand rows and one per thousand found)."""
    numbers = sorted(
        {p.values[ID_NUMBER].number for p in parsed_rows if ID_NUMBER not in p.bad and ID_NUMBER in p.values}
    )
    registered, visible = {}, set()
    for chunk in _chunks(numbers):
        registered |= {
            number: (name, village)
            for number, name, village in Candidate.objects.filter(id_number__in=chunk).values_list(
                "id_number", "name", "village__region__name"
            )
        }
    # Which of those registered the user may see: usually none are, and this costs no query.
    for chunk in _chunks(sorted(registered)):
        visible |= set(
            Candidate.objects.visible_to(by).filter(id_number__in=chunk).values_list("id_number", flat=True)
        )
    for parsed in parsed_rows:
        identity = parsed.values.get(ID_NUMBER)
        if identity is None or identity.number not in registered:
            continue
        name, village = registered[identity.number]
        if identity.number in visible:
            message = _("This person is already registered, in %(village)s, as %(name)s.") % {
                "village": village,
                "name": name,
            }
        else:
            message = _("This person is already registered elsewhere.")
        errors.append(RowError(parsed.row, ID_NUMBER, message))
        parsed.bad.add(ID_NUMBER)


def _too_many_rows() -> RowError:
    """The refusal of a file with more rows than the import takes."""
    return RowError(
        None,
        "",
        _(
            "The file holds more than %(limit)d rows; the import takes up to %(limit)d people at a time. "
            "Split it into several files."
        )
        % {"limit": settings.IMPORT_MAX_ROWS},
    )


def _read_rows(content: bytes, check: ImportCheck) -> list[_Parsed] | None:
    """The non-empty rows under the header, each cell read; None when the file or its header is wrong.

    Reading stops past settings.IMPORT_MAX_ROWS rows of people (or twice as many rows in all, empty
    ones included): a file of a million junk rows costs no more than one at the limit (finding F6).
    """
    limit = settings.IMPORT_MAX_ROWS
    with closing(sheet_rows(content)) as rows:
        header = next(((number, cells) for number, cells in rows if not _blank(cells)), None)
        if header is None:
            check.errors.append(
                RowError(
                    None,
                    "",
                    _("The first sheet is empty. Use the template: its first row holds the headers."),
                )
            )
            return None
        positions = _header_positions(*header, check)
        if check.errors:
            return None  # with the wrong columns, every row would only repeat the same problem
        reader = _RowReader(positions)
        parsed, read = [], 0
        for number, cells in rows:
            read += 1
            if read > 2 * limit:
                check.errors.append(_too_many_rows())
                return None
            if _blank(cells):
                continue
            if len(parsed) == limit:
                check.errors.append(_too_many_rows())
                return None
            parsed.append(reader.read(number, cells, check.errors))
        return parsed


def check_workbook(*, by: User, content: bytes) -> ImportCheck:
    """Read and check a workbook: every error by row and column, and the nominations it would create."""
    check = ImportCheck()
    try:
        parsed_rows = _read_rows(content, check)
    except ImportRefused as refused:
        check.errors = refused.errors
        return check
    if parsed_rows is None:
        return check
    if not parsed_rows:
        check.errors.append(
            RowError(None, "", _("The first sheet has no rows under the header. Fill in one row per person."))
        )
        return check
    for parsed in parsed_rows:
        _check_identity(parsed, check.errors, check.warnings)
    return _check_across_rows(by=by, parsed_rows=parsed_rows, check=check)


def check_kept(*, by: User, kept: list[list]) -> ImportCheck:
    """Check again the rows of a file checked before (ImportRow.kept), against the database as it is
    now: the checks that a change in the database can fail (the villages `by` may import into, the people
    registered since), without reading the file again."""
    return _check_across_rows(
        by=by, parsed_rows=[_parsed_from_kept(row) for row in kept], check=ImportCheck()
    )


def _check_across_rows(*, by: User, parsed_rows: list[_Parsed], check: ImportCheck) -> ImportCheck:
    """The checks across rows and against the database; the nominations if nothing is wrong."""
    _check_duplicates_in_file(parsed_rows, check.errors)
    villages = _check_villages(by=by, parsed_rows=parsed_rows, errors=check.errors)
    _check_registered(by=by, parsed_rows=parsed_rows, errors=check.errors)
    order = {header: index for index, header in enumerate(HEADERS + OPTIONAL_HEADERS)}
    check.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    if not check.errors:
        today = timezone.localdate()
        check.rows = [
            ImportRow(parsed.row, parsed.values, villages[parsed.values[VILLAGE_CODE][0]], by, today)
            for parsed in parsed_rows
        ]
    return check
