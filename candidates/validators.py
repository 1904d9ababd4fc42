"""Validation of the personal data a township clerk types or imports, with messages that say what to fix."""

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from candidates.choices import Gender
from candidates.identity import check_digit

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


# Full-width digits, letters, plus and minus (１２３, Ｘ, ＋８６) and the ideographic space to their
# half-width forms; Chinese punctuation (，：（）) is left alone, because it belongs in Chinese text.
_HALF_WIDTH = {
    code: code - 0xFEE0
    for start, end in (
        (0xFF10, 0xFF19),
        (0xFF21, 0xFF3A),
        (0xFF41, 0xFF5A),
        (0xFF0B, 0xFF0B),
        (0xFF0D, 0xFF0D),
    )
    for code in range(start, end + 1)
} | {0x3000: 0x20}


def normalize_text(value) -> str:
    """Full-width letters, digits and spaces to half-width, and stray spaces removed from the ends."""
    if value is None:
        return ""
    return str(value).translate(_HALF_WIDTH).strip()


def compact(value) -> str:
    """`normalize_text` with every inner space, dash and invisible character removed too."""
    return re.sub(r"[\s\-\u200b\u00a0]", "", normalize_text(value))


@dataclass
class IdentityNumber:
    """A checked resident identity card number (GB 11643) and what it says about its holder."""

    number: str
    birth_date: datetime.date
    gender: str
    warnings: list[str] = field(default_factory=list)


def parse_id_number(value) -> IdentityNumber:
    """Check an 18-digit ID number: form, birth date, check digit; an unknown birthplace only warns."""
    number = compact(value).upper()
    if len(number) != 18:
        raise ValidationError(
            _("An ID card number has 18 characters; this one has %(n)d.") % {"n": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("An ID card number is 17 digits followed by a digit or the letter X."), code="id_characters"
        )
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("Digits 7 to 14 of the ID card number (%(digits)s) are not a valid birth date.")
            % {"digits": number[6:14]},
            code="id_birth_date",
        ) from None
    if birth_date > datetime.date.today() or birth_date.year < 1900:
        raise ValidationError(
            _("The birth date in the ID card number (%(date)s) is not possible.") % {"date": birth_date},
            code="id_birth_date",
        )
    if number[17] != check_digit(number[:17]):
        raise ValidationError(
            _(
                "The check digit (the 18th character) does not match the other 17: "
                "check the number digit by digit."
            ),
            code="id_checksum",
        )
    warnings = []
    if not birthplace_known(number[:6]):
        warnings.append(
            _(
                "The region code %(code)s at the start of the ID card number is not in the national list; "
                "check it."
            )
            % {"code": number[:6]}
        )
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdentityNumber(number=number, birth_date=birth_date, gender=gender, warnings=warnings)


@functools.lru_cache(maxsize=1)
def _portal_county_codes() -> frozenset[str]:
    """The six-digit codes of the counties in the region tree, read once per process."""
    from villages.choices import RegionLevel
    from villages.models import Region

    return frozenset(
        code[:6] for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True)
    )


def birthplace_known(area: str) -> bool:
    """Whether a six-digit area code is a county of the portal's tree or of python-stdnum's national list.

    python-stdnum's list leaves out many city districts (新抚区 210402, say), so the portal's own tree
    is asked first. Only a warning hangs on this: old codes of abolished counties are still valid.
    """
    if area in _portal_county_codes():
        return True
    try:
        ric.get_birth_place(f"{area}19800101001")
    except StdnumError:
        return False
    return True


# What makes a spreadsheet program take a cell for a formula (OWASP: CSV and formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def validate_plain_text(value) -> None:
    """Refuse text that a spreadsheet would run as a formula: names and the like end up in exports."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        raise ValidationError(
            _(
                "“%(value)s” cannot start with =, +, -, @ or a tab: spreadsheet programs would run it "
                "as a formula."
            )
            % {"value": value[:30]},
            code="formula",
        )


def validate_id_number(value) -> None:
    parse_id_number(value)


def normalize_phone(value) -> str:
    """A mainland mobile number with spaces, dashes and a +86 prefix removed; refused if not one."""
    phone = compact(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    if phone.endswith(".0"):  # a number Excel stored as a float
        phone = phone[:-2]
    if not _MOBILE.match(phone):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number: 11 digits starting with 13 to 19.")
            % {"value": normalize_text(value)},
            code="phone",
        )
    return phone


def validate_phone(value) -> None:
    normalize_phone(value)


# What a search box takes as the end of an ID card number: 4 to 6 characters, the last may be an X.
_ID_TAIL = re.compile(r"^\d{3,5}[\dX]$")
_LATIN = re.compile(r"^[A-Za-z]+$")


def id_number_tail(text: str) -> str | None:
    """The last 4–6 characters of an ID card number typed into a search, upper-cased; else None.

    Never more: a longer tail, digit by digit, would spell out a whole number (finding F3).
    """
    value = normalize_text(text).upper()
    return value if _ID_TAIL.match(value) else None


def full_id_number(text: str) -> str | None:
    """A whole, valid ID card number typed into a search (such searches are logged); else None."""
    value = compact(text).upper()
    if len(value) != 18:
        return None
    try:
        return parse_id_number(value).number
    except ValidationError:
        return None


def is_latin(text: str) -> bool:
    """Letters only: pinyin initials or a romanised name."""
    return bool(_LATIN.match(normalize_text(text)))


def mask_id_number(number: str) -> str:
    """`2104**********123X`: the first four and last four characters."""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else number


def mask_phone(phone: str) -> str:
    """`138****1234`."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone


def identity_mismatches(
    identity: IdentityNumber, *, gender: str | None, birth_date: datetime.date | None
) -> dict:
    """Field errors where the gender or birth date given disagree with the ID card number."""
    errors = {}
    if gender and gender != identity.gender:
        errors["gender"] = _(
            "The ID card number is that of a %(expected)s, but the gender given is %(given)s."
        ) % {"expected": Gender(identity.gender).label, "given": Gender(gender).label}
    if birth_date and birth_date != identity.birth_date:
        errors["birth_date"] = _(
            "The ID card number gives the birth date %(expected)s, but %(given)s was entered."
        ) % {"expected": identity.birth_date.isoformat(), "given": birth_date.isoformat()}
    return errors
