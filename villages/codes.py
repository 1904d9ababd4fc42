"""Division codes (统计用区划代码): 12 digits whose prefix encodes containment."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from villages.choices import PREFIX_LENGTH, RegionLevel

# Width of each segment of the code: province, city, county, township, village.
_SEGMENT_ENDS = (2, 4, 6, 9, 12)


def level_of_code(code: str) -> RegionLevel:
    """The level a code belongs to: the last segment that is not all zeros."""
    level = RegionLevel.PROVINCE
    start = 0
    for depth, end in enumerate(_SEGMENT_ENDS, start=1):
        if code[start:end].strip("0"):
            level = RegionLevel(depth)
        start = end
    return level


def division_prefix(code: str) -> str:
    """The significant prefix of a code: "2104" for 抚顺市 210400000000."""
    return code[: PREFIX_LENGTH[level_of_code(code)]]


def parent_code(code: str) -> str | None:
    """The code of the region directly above, or None for a province."""
    level = level_of_code(code)
    if level == RegionLevel.PROVINCE:
        return None
    return code[: PREFIX_LENGTH[RegionLevel(level - 1)]].ljust(12, "0")


def ancestor_codes(code: str) -> list[str]:
    """Codes from the province down to the region's parent."""
    level = level_of_code(code)
    return [code[: PREFIX_LENGTH[RegionLevel(lv)]].ljust(12, "0") for lv in range(1, level)]


def validate_division_code(value: str) -> None:
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(
            _("A division code has exactly 12 digits (统计用区划代码), e.g. 210422000000; got “%(value)s”."),
            params={"value": value},
            code="division_code",
        )
    if not value[:2].strip("0"):
        raise ValidationError(_("A division code starts with a province code."), code="division_code")
