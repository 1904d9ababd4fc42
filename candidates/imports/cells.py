"""Reading one cell of the import: names, ID numbers, phones, village codes, incomes, dates, choices.

Each reader returns the value to store or raises CellError with what the clerk should fix.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from candidates.choices import ETHNICITIES
from candidates.models import Candidate
from candidates.validators import (
    compact,
    normalize_phone,
    normalize_text,
    parse_id_number,
    validate_plain_text,
)

# The largest household income accepted, in 万元: the model holds up to 10^10 yuan.
MAX_INCOME = Decimal(999_999)

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E[+-]?\d+$", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·\s]+$")


class CellError(Exception):
    """A cell's value cannot be used; the message says what to fix."""


def _is_number(value) -> bool:
    """Whether a cell holds a number (Excel's booleans are not numbers)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def as_text(value) -> str:
    """A cell as text: whole numbers that Excel keeps as floats lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_text(value)


def _as_excel_shows(value) -> str:
    """A number as Excel's General format shows it, e.g. 2.10422E+17: what the clerk sees."""
    if abs(value) >= 1e11:
        return f"{value:.6G}"
    return as_text(value)


def _fitting(text: str, field_name: str) -> str:
    """`text`, if it fits the candidate's `field_name`."""
    max_length = Candidate._meta.get_field(field_name).max_length
    if len(text) > max_length:
        raise CellError(
            _("At most %(max)d characters; this cell has %(n)d.") % {"max": max_length, "n": len(text)}
        )
    return text


def _plain(text: str) -> str:
    """`text`, if a spreadsheet would not run it as a formula."""
    try:
        validate_plain_text(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return text


def read_name(value) -> str:
    """A person's name, spaces tidied."""
    name = normalize_text(value)
    # Clerks pad two-character names with spaces to align them ("王  明"); Chinese names have none.
    return _plain(_fitting(re.sub(r"\s+", "" if _CJK_NAME.match(name) else " ", name), "name"))


def read_industry(value) -> str:
    """The main line of business, as written."""
    return _plain(_fitting(normalize_text(value), "industry"))


def read_ethnicity(value) -> str:
    """One of the 56 ethnic groups, by its full name or a short form that names one group alone."""
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


def read_identity(value):
    """The parsed ID card number; refused if Excel turned it into a number."""
    if _is_number(value) or _SCIENTIFIC.match(as_text(value)):
        shown = _as_excel_shows(value) if _is_number(value) else as_text(value)
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


def read_phone(value) -> str:
    """A mainland mobile number, as its 11 digits."""
    try:
        return normalize_phone(as_text(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def read_village_code(value) -> tuple[str, str]:
    """The 12-digit code, and the text written if it was in scientific notation (digits may be lost)."""
    text = scientific = as_text(value)
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
            % {"value": as_text(value)}
        )
    return text, scientific


def read_decimal(value, *, suffixes: tuple[str, ...] = (), thousands: bool = False) -> Decimal | None:
    """The number a cell holds: a number, or text with spaces, a unit of `suffixes` and (with `thousands`)
    thousands separators; None when it holds none. A minus sign stays (full width too), so that "-5" is
    refused as negative rather than read as 5."""
    if _is_number(value):
        amount = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u200b]", "", normalize_text(value)).lower()
        if thousands:
            text = text.replace(",", "")
        for suffix in suffixes:
            text = text.removesuffix(suffix)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
    return amount if amount.is_finite() else None


def read_income(value) -> Decimal:
    """Household income in yuan, from 万元."""
    amount = read_decimal(value, suffixes=("万元", "万"), thousands=True)
    if amount is None:
        raise CellError(
            _("“%(value)s” is not an amount; give the yearly household income in 万元 as a number, e.g. 8.5.")
            % {"value": as_text(value)}
        )
    if amount < 0:
        raise CellError(_("The household income cannot be negative."))
    if amount > MAX_INCOME:
        raise CellError(
            _(
                "%(value)s 万元 is too large. The income is given in 万元 (ten thousand yuan): "
                "write 8.5 for 85,000 yuan."
            )
            % {"value": as_text(value)}
        )
    return (amount * 10000).quantize(Decimal("0.01"))


def read_date(value) -> datetime.date:
    """A date from an Excel date, an Excel day number, or text such as 1985-03-04 or 1985年3月4日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
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
    raise CellError(_("“%(value)s” is not a date; write it as 1985-03-04.") % {"value": as_text(value)})


class Choice:
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
        """The stored value that the cell's text stands for."""
        text = compact(value)
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise CellError(
                _("“%(value)s” is not an accepted entry; write one of: %(options)s.")
                % {"value": text, "options": "、".join(self.labels)}
            ) from None


def is_empty(value) -> bool:
    """Whether a cell holds nothing, or only spaces (the ideographic space too)."""
    # str.strip() removes every kind of space, so this is `not normalize_text(value)` without its
    # translation of full-width characters: every cell of every row passes here.
    return value is None or (isinstance(value, str) and not value.strip())
