from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    """Levels of the region tree; the value is the depth, and fixes the length of the code prefix."""

    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County/district")
    TOWNSHIP = 4, _("Township/street")
    VILLAGE = 5, _("Village/community")


# Digits of the 12-digit division code that belong to each level (GB/T 2260 + 统计用区划代码).
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


class SeatPosition(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy")
    MEMBER = "member", _("Member")


class ReserveKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary reserve")
    COMMITTEE = "committee", _("Committee reserve")


class ReserveStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the county")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined by the county")
    REMOVAL_PROPOSED = "removal_proposed", _("Removal proposed")
    REMOVED = "removed", _("Removed")


# Reserves that count toward the village's target: confirmed, and those whose removal is not yet confirmed.
STANDING_RESERVE = (ReserveStatus.CONFIRMED, ReserveStatus.REMOVAL_PROPOSED)
# Reserves still open: a person has at most one.
OPEN_RESERVE = (ReserveStatus.PROPOSED, *STANDING_RESERVE)
