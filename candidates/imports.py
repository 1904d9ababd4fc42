"""The Excel import of nominations (DESIGN §9 "Import template"): read, check, preview, write.

A file is checked as a whole: every problem is reported as (row as Excel shows it, column header,
message), and if there is one, nothing is written. Lookups are made in bulk, never one query per row,
so 10,000 rows check and import in seconds.
"""

import codecs
import datetime
import io
import os
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from candidates import permissions, services
from candidates.choices import (
    ETHNICITIES,
    PARTY_MEMBERSHIP,
    Education,
    Gender,
    PoliticalStatus,
    Recommender,
    Source,
    Status,
    Track,
)
from candidates.identity import synthetic_id_number
from candidates.models import Candidate, Certification, ImportBatch
from candidates.validators import (
    compact,
    identity_mismatches,
    normalize_phone,
    normalize_text,
    parse_id_number,
    validate_plain_text,
)
from villages.models import Village

# The template's columns, in order (DESIGN §9). The header texts are the file format: never translated.
NAME, GENDER, ETHNICITY, ID_NUMBER, PHONE = "姓名", "性别", "民族", "身份证号", "手机号"
EDUCATION, POLITICAL_STATUS, SOURCE, VILLAGE_CODE = "文化程度", "政治面貌", "人员类别", "村代码"
INDUSTRY, INCOME, RECOMMENDER, REASON = "主导产业", "家庭年收入(万元)", "推荐方式", "推荐理由"
BIRTH_DATE = "出生日期"
HEADERS = (
    NAME,
    GENDER,
    ETHNICITY,
    ID_NUMBER,
    PHONE,
    EDUCATION,
    POLITICAL_STATUS,
    SOURCE,
    VILLAGE_CODE,
    INDUSTRY,
    INCOME,
    RECOMMENDER,
    REASON,
)
# Accepted when present; then it must agree with the ID card number.
OPTIONAL_HEADERS = (BIRTH_DATE,)
# Columns whose cells may be left empty.
MAY_BE_EMPTY = {INDUSTRY, BIRTH_DATE}

# What clerks commonly write instead of the exact label; matched after the labels themselves.
ALIASES = {
    GENDER: {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE},
    EDUCATION: {
        "小学": Education.PRIMARY,
        "初中": Education.JUNIOR_HIGH,
        "高中": Education.SENIOR_HIGH,
        "中专": Education.SENIOR_HIGH,
        "职高": Education.SENIOR_HIGH,
        "技校": Education.SENIOR_HIGH,
        "高中/中专": Education.SENIOR_HIGH,
        "高中(中专)": Education.SENIOR_HIGH,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "大学专科": Education.COLLEGE,
        "本科": Education.BACHELOR,
        "大学本科": Education.BACHELOR,
        "研究生": Education.POSTGRADUATE,
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
    },
    POLITICAL_STATUS: {
        "中共党员": PoliticalStatus.MEMBER,
        "党员": PoliticalStatus.MEMBER,
        "中共预备党员": PoliticalStatus.PROBATIONARY,
        "预备党员": PoliticalStatus.PROBATIONARY,
        "共青团员": PoliticalStatus.LEAGUE,
        "团员": PoliticalStatus.LEAGUE,
        "民主党派": PoliticalStatus.DEMOCRATIC_PARTY,
        "群众": PoliticalStatus.MASSES,
    },
    SOURCE: {
        "种养大户": Source.GROWER,
        "种养殖户": Source.GROWER,
        "种养能手": Source.GROWER,
        "退役军人": Source.VETERAN,
        "返乡大学生": Source.GRADUATE,
        "回乡大学生": Source.GRADUATE,
        "个体工商户": Source.BUSINESS_OWNER,
        "企业主": Source.BUSINESS_OWNER,
        "外出务工返乡人员": Source.MIGRANT_RETURNEE,
        "返乡务工人员": Source.MIGRANT_RETURNEE,
        "返乡农民工": Source.MIGRANT_RETURNEE,
        "其他": Source.OTHER,
    },
    RECOMMENDER: {
        "村党组织": Recommender.VILLAGE_ORGANISATION,
        "党员群众": Recommender.MEMBERS_AND_VILLAGERS,
        "村党组织推荐": Recommender.VILLAGE_ORGANISATION,
        "党员群众推荐": Recommender.MEMBERS_AND_VILLAGERS,
        "个人自荐": Recommender.SELF,
        "自荐": Recommender.SELF,
    },
}
CHOICE_COLUMNS = {
    GENDER: Gender,
    EDUCATION: Education,
    POLITICAL_STATUS: PoliticalStatus,
    SOURCE: Source,
    RECOMMENDER: Recommender,
}

# The template's example row carries this ID number, so a forgotten example is refused, not imported.
EXAMPLE_ID_NUMBER = synthetic_id_number("210422", datetime.date(1985, 3, 4), 7, True)
EXAMPLE_VILLAGE_CODE = "210422202201"
# Rows of the template pre-formatted (text columns, dropdowns).
TEMPLATE_ROWS = 2000
# The largest household income accepted, in 万元: the model holds up to 10^10 yuan.
MAX_INCOME = Decimal(999_999)
# Bulk lookups and inserts go by this many rows (well below every database's parameter limit).
CHUNK = 1000
# An .xlsx is zipped XML; more than this many times the upload limit once unpacked is refused unread,
# so a small file that unpacks to gigabytes cannot tie up a web process.
MAX_UNPACKED_RATIO = 50

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E[+-]?\d+$", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·\s]+$")


class RowError(NamedTuple):
    """A problem in the file: the row as Excel numbers it (None: the whole file), the column header
    ("" when no column), and what to fix."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportRow:
    """A valid row: the candidate and the step-1 certification it becomes, not yet saved."""

    row: int
    candidate: Candidate
    certification: Certification


@dataclass
class ImportCheck:
    """The outcome of checking a file: its valid rows, its errors, and warnings that do not block."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class ImportRefused(Exception):
    """The file cannot be imported (now): `errors` says why. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors[:3]))
        self.errors = errors


# The file ----------------------------------------------------------------------------------------


def check_upload(*, name: str, content: bytes) -> None:
    """Refuse what is not an .xlsx workbook within the size limit, judging by the bytes, not the name."""
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise _too_big(len(content))
    if content.startswith(_OLE2_MAGIC):
        raise ValidationError(
            _(
                "This is an old-format Excel file (.xls) or a password-protected workbook. Open it in "
                "Excel, remove any password, save it as an Excel workbook (.xlsx) and upload that file."
            ),
            code="xls",
        )
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise ValidationError(_damaged(), code="damaged") from None
        unpacked = sum(member.file_size for member in members)
        if unpacked > settings.IMPORT_MAX_BYTES * MAX_UNPACKED_RATIO:
            raise ValidationError(
                _(
                    "The workbook holds %(size)s of data once unpacked; the import accepts up to %(limit)s. "
                    "Split it into smaller files."
                )
                % {
                    "size": filesizeformat(unpacked),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES * MAX_UNPACKED_RATIO),
                },
                code="too_big",
            )
        if any(member.filename == "xl/workbook.xml" for member in members):
            return
    elif name.lower().endswith((".csv", ".txt")) or _looks_like_text(content):
        raise ValidationError(
            _(
                "This is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as an "
                "Excel workbook (.xlsx), or copy the rows into the template."
            ),
            code="csv",
        )
    raise ValidationError(
        _("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it."),
        code="not_xlsx",
    )


def _too_big(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
        code="too_big",
    )


def _damaged() -> str:
    return _(
        "The workbook cannot be read; it may be damaged. Open it in Excel, save it again as .xlsx "
        "and upload it again."
    )


def _looks_like_text(content: bytes) -> bool:
    head = content[:4096]
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the cut at 4096 bytes may split a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def read_upload(uploaded_file) -> bytes:
    """The bytes of an uploaded file, once `check_upload` accepts them; a large file is refused unread."""
    if uploaded_file.size is not None and uploaded_file.size > settings.IMPORT_MAX_BYTES:
        raise _too_big(uploaded_file.size)
    uploaded_file.seek(0)
    content = uploaded_file.read()
    check_upload(name=uploaded_file.name or "", content=content)
    return content


def _sheet_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the first sheet, every row, gaps included."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign zip
        raise ImportRefused([RowError(None, "", _damaged())]) from None
    try:
        sheet = workbook.worksheets[0]
        # Files written by some programs declare a wrong size; read every row that is there.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except Exception:  # a sheet whose XML breaks off midway
        raise ImportRefused([RowError(None, "", _damaged())]) from None
    finally:
        workbook.close()


# Cells -------------------------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value cannot be used; the message says what to fix."""


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _text(value) -> str:
    """A cell as text: whole numbers that Excel keeps as floats lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_text(value)


def _as_excel_shows(value) -> str:
    """A number as Excel's General format shows it, e.g. 2.10422E+17: what the clerk sees."""
    if abs(value) >= 1e11:
        return f"{value:.6G}"
    return _text(value)


def _fitting(text: str, field_name: str) -> str:
    max_length = Candidate._meta.get_field(field_name).max_length
    if len(text) > max_length:
        raise CellError(
            _("At most %(max)d characters; this cell has %(n)d.") % {"max": max_length, "n": len(text)}
        )
    return text


def _plain(text: str) -> str:
    try:
        validate_plain_text(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return text


def _name(value) -> str:
    name = normalize_text(value)
    # Clerks pad two-character names with spaces to align them ("王  明"); Chinese names have none.
    return _plain(_fitting(re.sub(r"\s+", "" if _CJK_NAME.match(name) else " ", name), "name"))


def _industry(value) -> str:
    return _plain(_fitting(normalize_text(value), "industry"))


def _ethnicity(value) -> str:
    text = compact(value)
    if text in ETHNICITIES:
        return text
    # A short form ("汉", "蒙古") is accepted only when it can mean one group alone.
    matches = [e for e in ETHNICITIES if e.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CellError(
            _("“%(value)s” could be %(options)s; write the full name.")
            % {"value": text, "options": "、".join(matches)}
        )
    raise CellError(
        _("“%(value)s” is not one of the 56 ethnic groups; write its full name, e.g. 汉族 or 满族.")
        % {"value": text}
    )


def _identity(value):
    if _is_number(value) or _SCIENTIFIC.match(_text(value)):
        shown = _as_excel_shows(value) if _is_number(value) else _text(value)
        raise CellError(
            _(
                "Excel stored this ID card number as a number (it reads %(value)s), which loses the last "
                "digits. Format the 身份证号 column as text, type the number again and import again."
            )
            % {"value": shown}
        )
    try:
        return parse_id_number(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def _phone(value) -> str:
    try:
        return normalize_phone(_text(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def _village_code(value) -> tuple[str, str]:
    """The 12-digit code, and the text written if it was in scientific notation (digits may be lost)."""
    text = scientific = _text(value)
    if _SCIENTIFIC.match(text):
        amount = Decimal(text)
        if amount == amount.to_integral_value():
            text = str(int(amount))
    else:
        scientific = ""
    if len(text) != 12 or not text.isdigit():
        raise CellError(
            _(
                "A village code is the village's 12-digit division code, e.g. 210422202201; "
                "“%(value)s” is not."
            )
            % {"value": _text(value)}
        )
    return text, scientific


def _income(value) -> Decimal:
    """Household income in yuan, from 万元."""
    if _is_number(value):
        amount = Decimal(str(value))
    else:
        text = compact(value).replace(",", "").removesuffix("万元").removesuffix("万")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        raise CellError(
            _("“%(value)s” is not an amount; give the yearly household income in 万元 as a number, e.g. 8.5.")
            % {"value": _text(value)}
        )
    if amount < 0:
        raise CellError(_("The household income cannot be negative."))
    if amount > MAX_INCOME:
        raise CellError(
            _(
                "%(value)s 万元 is too large. The income is given in 万元 (ten thousand yuan): "
                "write 8.5 for 85,000 yuan."
            )
            % {"value": _text(value)}
        )
    return (amount * 10000).quantize(Decimal("0.01"))


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if _is_number(value) and not _DATE_DIGITS.match(text):
        try:
            return from_excel(value).date()  # a date cell whose format was lost: Excel's day number
        except (ValueError, OverflowError, TypeError):
            pass
    text = text.split(" ")[0].split("T")[0]
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date; write it as 1985-03-04.") % {"value": _text(value)})


class _Choice:
    """A choice column: accepts the Chinese label, the stored value and common ways of writing it."""

    def __init__(self, choices, aliases: dict[str, str]):
        with translation.override("zh-hans"):
            self.labels = [str(label) for label in choices.labels]
        self.lookup = {value.lower(): value for value in choices.values}
        self.lookup |= {compact(alias).lower(): value for alias, value in aliases.items()}
        self.lookup |= {
            compact(label).lower(): value for label, value in zip(self.labels, choices.values, strict=True)
        }

    def __call__(self, value) -> str:
        text = compact(value)
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise CellError(
                _("“%(value)s” is not an accepted entry; write one of: %(options)s.")
                % {"value": text, "options": "、".join(self.labels)}
            ) from None


# Rows --------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """One row's values once each cell is read; `bad` holds the columns that have an error."""

    row: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)


def _header_positions(number: int, cells: tuple, check: ImportCheck) -> dict[str, int]:
    """Where each column is; errors for missing, unknown and repeated headers."""
    known = HEADERS + OPTIONAL_HEADERS
    positions: dict[str, list[int]] = defaultdict(list)
    for index, value in enumerate(cells):
        # Headers are fixed labels: full-width brackets and the like count as their ASCII forms.
        header = compact(unicodedata.normalize("NFKC", _text(value)))
        if not header:
            continue
        if header in known:
            positions[header].append(index)
        else:
            check.errors.append(
                RowError(
                    number,
                    _text(value),
                    _(
                        "Column %(letter)s has the header “%(header)s”, which the template does not have. "
                        "Remove the column or correct its header; the columns are: %(columns)s."
                    )
                    % {
                        "letter": get_column_letter(index + 1),
                        "header": _text(value),
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
            NAME: _name,
            ETHNICITY: _ethnicity,
            ID_NUMBER: _identity,
            PHONE: _phone,
            VILLAGE_CODE: _village_code,
            INDUSTRY: _industry,
            INCOME: _income,
            REASON: normalize_text,
            BIRTH_DATE: _date,
        } | {header: _Choice(choices, ALIASES.get(header, {})) for header, choices in CHOICE_COLUMNS.items()}

    def read(self, number: int, cells: tuple, errors: list[RowError]) -> _Parsed:
        parsed = _Parsed(number, {})
        for header, index in self.positions.items():
            value = cells[index] if index < len(cells) else None
            if _empty(value):
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


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def _blank(cells: tuple) -> bool:
    return all(_empty(value) for value in cells)


def _check_identity(parsed: _Parsed, errors: list[RowError], warnings: list[RowError]) -> None:
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
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_duplicates_in_file(parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
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


def _check_villages(*, by, parsed_rows: list[_Parsed], errors: list[RowError]) -> dict[str, Village]:
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


def _check_registered(*, by, parsed_rows: list[_Parsed], errors: list[RowError]) -> None:
    """Errors for people already in the database, naming the village only to those who may see it
    (the rule of services.duplicate_message, in two queries per thousand rows)."""
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
    with closing(_sheet_rows(content)) as rows:
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


def check_workbook(*, by, content: bytes) -> ImportCheck:
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
    _check_duplicates_in_file(parsed_rows, check.errors)
    villages = _check_villages(by=by, parsed_rows=parsed_rows, errors=check.errors)
    _check_registered(by=by, parsed_rows=parsed_rows, errors=check.errors)
    order = {header: index for index, header in enumerate(HEADERS + OPTIONAL_HEADERS)}
    check.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    if not check.errors:
        today = timezone.localdate()
        check.rows = [_nomination(by, parsed, villages, today) for parsed in parsed_rows]
    return check


def _nomination(by, parsed: _Parsed, villages: dict[str, Village], today: datetime.date) -> ImportRow:
    values = parsed.values
    identity = values[ID_NUMBER]
    candidate = Candidate(
        name=values[NAME],
        name_initials=services.pinyin_initials(values[NAME]),
        gender=values[GENDER],
        ethnicity=values[ETHNICITY],
        id_number=identity.number,
        birth_date=identity.birth_date,
        phone=values[PHONE],
        education=values[EDUCATION],
        political_status=values[POLITICAL_STATUS],
        source=values[SOURCE],
        village=villages[values[VILLAGE_CODE][0]],
        industry=values.get(INDUSTRY, ""),
        household_income=values[INCOME],
        status=Status.CERTIFYING,
        created_by=by,
    )
    certification = services.nomination(
        by=by,
        candidate=candidate,
        track=Track.PARTY_MEMBER if values[POLITICAL_STATUS] in PARTY_MEMBERSHIP else Track.WEALTH_CREATOR,
        recommender=values[RECOMMENDER],
        reason=values[REASON],
        today=today,
    )
    return ImportRow(row=parsed.row, candidate=candidate, certification=certification)


# Batches and the import --------------------------------------------------------------------------


def batch_store(*, by, uploaded_file) -> ImportBatch:
    """Keep an uploaded workbook until its preview is confirmed; a file that is not an .xlsx within the
    size limit raises ValidationError."""
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    content = read_upload(uploaded_file)
    filename = os.path.basename(uploaded_file.name or "")[
        : ImportBatch._meta.get_field("filename").max_length
    ]
    return ImportBatch.objects.create(uploaded_by=by, filename=filename, content=content)


def batch_check(*, by, batch: ImportBatch) -> ImportCheck:
    """Check a stored workbook against the database as it is now."""
    return check_workbook(by=by, content=bytes(batch.content))


# The preview -------------------------------------------------------------------------------------

# The preview lists this many errors and rows; the rest are counted.
PREVIEW_ERRORS = 1000
PREVIEW_ROWS = 200


@dataclass
class PreviewRow:
    """A nomination as the preview lists it: the values shown, ID number masked."""

    row: int
    name: str
    gender: str
    ethnicity: str
    id_number: str
    birth_date: str
    village: str
    education: str
    political_status: str
    source: str
    track: str
    recommender: str

    @classmethod
    def of(cls, item: ImportRow) -> "PreviewRow":
        candidate, certification = item.candidate, item.certification
        return cls(
            row=item.row,
            name=candidate.name,
            gender=candidate.get_gender_display(),
            ethnicity=candidate.ethnicity,
            id_number=candidate.masked_id_number,
            birth_date=candidate.birth_date.isoformat(),
            village=candidate.village.name,
            education=candidate.get_education_display(),
            political_status=candidate.get_political_status_display(),
            source=candidate.get_source_display(),
            track=certification.get_track_display(),
            recommender=certification.get_recommender_display(),
        )


@dataclass
class ImportPreview:
    """What the preview page shows of a check: the first errors and rows, and how many there are.

    Kept with the batch (as JSON), so that reloading the page does not read the file again.
    """

    errors: list[RowError]
    error_count: int
    warnings: list[RowError]
    rows: list[PreviewRow]
    row_count: int

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def more_rows(self) -> int:
        return self.row_count - len(self.rows)

    @classmethod
    def of(cls, check: ImportCheck) -> "ImportPreview":
        return cls(
            errors=check.errors[:PREVIEW_ERRORS],
            error_count=len(check.errors),
            warnings=check.warnings[:PREVIEW_ERRORS],
            rows=[PreviewRow.of(item) for item in check.rows[:PREVIEW_ROWS]],
            row_count=len(check.rows),
        )

    def as_json(self) -> dict:
        return {
            "errors": [list(e) for e in self.errors],
            "error_count": self.error_count,
            "warnings": [list(w) for w in self.warnings],
            "rows": [vars(row) for row in self.rows],
            "row_count": self.row_count,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ImportPreview":
        return cls(
            errors=[RowError(*e) for e in data["errors"]],
            error_count=data["error_count"],
            warnings=[RowError(*w) for w in data["warnings"]],
            rows=[PreviewRow(**row) for row in data["rows"]],
            row_count=data["row_count"],
        )


def batch_preview(*, by, batch: ImportBatch) -> ImportPreview:
    """The preview of a stored workbook: checked once, on the first look, and kept with the batch.

    Confirming checks the file again, against the database as it is then.
    """
    if batch.preview is not None:
        return ImportPreview.from_json(batch.preview)
    preview = ImportPreview.of(batch_check(by=by, batch=batch))
    batch.preview = preview.as_json()
    batch.save(update_fields=["preview"])
    return preview


def already_imported_message(batch: ImportBatch) -> str:
    return _("This file was already imported on %(time)s: %(count)d people were nominated.") % {
        "time": timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
        if batch.imported_at
        else "—",
        "count": batch.rows,
    }


@transaction.atomic
def candidates_import(*, by, batch: ImportBatch) -> int:
    """Nominate (step 1) every person of a stored workbook, or nobody if any row is wrong; returns how many.

    The batch is locked, so two clicks on "import" create the people once. The file is checked again
    under the lock, against the database as it is now, and every row is written with its history row.
    """
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    try:
        batch = ImportBatch.objects.visible_to(by).select_for_update().get(pk=batch.pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None
    if batch.state == ImportBatch.State.IMPORTED:
        raise ImportRefused([RowError(None, "", already_imported_message(batch))])
    check = batch_check(by=by, batch=batch)
    if not check.ok:
        raise ImportRefused(check.errors)
    candidates = [row.candidate for row in check.rows]
    certifications = [row.certification for row in check.rows]
    try:
        with transaction.atomic():
            bulk_create_with_history(candidates, Candidate, batch_size=CHUNK, default_user=by)
            # The certifications take their candidate's new primary key when they are inserted.
            bulk_create_with_history(certifications, Certification, batch_size=CHUNK, default_user=by)
    except IntegrityError:
        # Someone registered one of these people between the check and the insert.
        raise ImportRefused(
            [
                RowError(
                    None,
                    "",
                    _(
                        "While the file was being imported, someone registered one of its people. "
                        "Nothing was imported; check the file again."
                    ),
                )
            ]
        ) from None
    batch.state = ImportBatch.State.IMPORTED
    batch.imported_at = timezone.now()
    batch.rows = len(candidates)
    batch.save(update_fields=["state", "imported_at", "rows"])
    return len(candidates)


# The template ------------------------------------------------------------------------------------


def _choice_labels(choices) -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for label in choices.labels]


def column_help() -> list[tuple[str, bool, str]]:
    """Each column of the template, whether it must be filled in, and what to write in it."""

    def one_of(choices):
        return _("One of: %(options)s.") % {"options": "、".join(_choice_labels(choices))}

    party, other = Track.PARTY_MEMBER.label, Track.WEALTH_CREATOR.label
    return [
        (NAME, True, _("Full name, as on the ID card.")),
        (GENDER, True, _("男 or 女; it must agree with the ID card number.")),
        (ETHNICITY, True, _("Full name of the ethnic group, e.g. 汉族, 满族, 朝鲜族.")),
        (
            ID_NUMBER,
            True,
            _(
                "18 characters, the last may be X. Keep the column formatted as text, or Excel turns the "
                "number into 2.10422E+17 and loses digits."
            ),
        ),
        (PHONE, True, _("Mainland mobile number, 11 digits.")),
        (EDUCATION, True, one_of(Education)),
        (
            POLITICAL_STATUS,
            True,
            one_of(PoliticalStatus)
            + " "
            + _(
                "Party members and probationary members are nominated on the track “%(party)s”, "
                "everyone else on “%(other)s”."
            )
            % {"party": party, "other": other},
        ),
        (SOURCE, True, one_of(Source)),
        (
            VILLAGE_CODE,
            True,
            _(
                "The village's 12-digit division code (统计用区划代码), e.g. 210422202201. Only villages "
                "in your jurisdiction."
            ),
        ),
        (INDUSTRY, False, _("The person's main line of business, e.g. 食用菌; may be left empty.")),
        (INCOME, True, _("Yearly household income in 万元 (ten thousand yuan): 8.5 means 85,000 yuan.")),
        (RECOMMENDER, True, one_of(Recommender)),
        (REASON, True, _("Why the person is recommended, in a sentence or two.")),
        (
            BIRTH_DATE,
            False,
            _(
                "Optional column, not in the template: a date such as 1985-03-04. When present it must "
                "agree with the ID card number."
            ),
        ),
    ]


def template_workbook(*, example_village_code: str = EXAMPLE_VILLAGE_CODE) -> bytes:
    """The import template: the header row, an example row, dropdowns, and a sheet explaining each column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Candidates")
    guide = workbook.create_sheet(_("How to fill in"))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")

    sheet.append(HEADERS)
    example = [
        "王大勇",
        "男",
        "满族",
        EXAMPLE_ID_NUMBER,
        "13904130000",
        _choice_labels(Education)[2],
        _choice_labels(PoliticalStatus)[-1],
        _choice_labels(Source)[0],
        example_village_code,
        "食用菌",
        8.5,
        _choice_labels(Recommender)[0],
        "带头种植食用菌，带动20户农户增收",
    ]
    sheet.append(example)
    text_columns = {ID_NUMBER, PHONE, VILLAGE_CODE}
    for index, header in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index).font = bold
        sheet.cell(1, index).fill = header_fill
        sheet.cell(2, index).font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = {ID_NUMBER: 22, REASON: 40}.get(header, 14)
        if header in text_columns:
            # Typed into a text column, an ID number keeps all 18 digits.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(2, index).number_format = "@"
    sheet.cell(2, 1).comment = Comment(_("Example row: delete it before importing."), "")
    sheet.freeze_panes = "A2"

    guide.append([_("Column"), _("Must be filled in"), _("What to write")])
    for header, required, text in column_help():
        guide.append([header, _("yes") if required else _("no"), text])
    for cell in guide[1]:
        cell.font = bold
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    # The lists behind the dropdowns, beside the explanations, where a clerk can read them too.
    lists = [(GENDER, _choice_labels(Gender)), (ETHNICITY, ETHNICITIES)] + [
        (header, _choice_labels(choices)) for header, choices in CHOICE_COLUMNS.items() if header != GENDER
    ]
    for offset, (header, options) in enumerate(lists):
        column = 5 + offset
        letter = get_column_letter(column)
        guide.cell(1, column, header).font = bold
        for row, option in enumerate(options, start=2):
            guide.cell(row, column, option)
        guide.column_dimensions[letter].width = 16
        validation = DataValidation(
            type="list",
            formula1=f"'{guide.title}'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=_("Choose a value from the list."),
        )
        sheet.add_data_validation(validation)
        target = get_column_letter(HEADERS.index(header) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
