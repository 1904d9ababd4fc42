"""Who may read the reports (DESIGN §8): the dashboard, summary.json, the figures workbook, the annual PDF."""

from django.utils import timezone

from accounts.choices import Role
from villages.models import Region
from villages.selectors import focus_region

# Everyone with a region to run; a mentor reads their mentees only, never a region's figures.
REPORT_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER, Role.CITY_STAFF, Role.ADMINISTRATOR}
# The first year a report may be asked for: the programme's records start later.
FIRST_YEAR = 2000


def report_year(value: str | None) -> int:
    """The year a page asked for when it is one from FIRST_YEAR to this year, else last year (a page falls
    back; summary.json, an interface, refuses instead)."""
    from reports.summary import default_year

    default = default_year()
    try:
        year = int((value or "").strip() or default)
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= timezone.localdate().year else default


def can_view_reports(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in REPORT_ROLES)


def report_region(*, user, code: str | None) -> Region | None:
    """The region asked for if the user may see it, else None (404); without one the user's jurisdiction,
    and for an administrator without one the top of the region tree."""
    region = focus_region(user=user, code=code or None)
    if region is None and not code:
        region = Region.objects.visible_to(user).filter(parent__isnull=True).order_by("code").first()
    return region
