"""Working days for public notices: Chinese public holidays and adjusted working days (调休).

The `chinesecalendar` package knows the State Council's calendar up to the year it was released;
administrators add later years to the `Holiday` table, which also overrides the package.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from candidates.choices import HolidayKind
from candidates.models import Holiday


class CalendarUnknown(Exception):
    """The working days of a year are not known yet."""


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def is_working_day(day: datetime.date, overrides: dict[datetime.date, str] | None = None) -> bool:
    """Whether `day` is a working day. Queries the holiday table unless `overrides` are given."""
    if overrides is None:
        overrides = _overrides(day, day)
    if day in overrides:
        return overrides[day] == HolidayKind.WORKDAY
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def notice_end_date(start: datetime.date, working_days: int) -> datetime.date:
    """The last day of a notice that starts on `start` and runs `working_days` working days.

    The first day counts if it is a working day. A year neither the package nor the holiday table
    knows raises CalendarUnknown: a notice would otherwise end before a holiday nobody entered.
    """
    horizon = start + datetime.timedelta(days=working_days * 3 + 30)
    overrides = _overrides(start, horizon)
    entered_years = {d.year for d in Holiday.objects.dates("date", "year")}
    day, counted = start, 0
    while True:
        if day.year not in entered_years and not _package_knows(day.year):
            raise CalendarUnknown(
                _(
                    "The public holidays of %(year)d are not known yet. Ask an administrator to enter them "
                    "(Administration → holidays and adjusted working days)."
                )
                % {"year": day.year}
            )
        if is_working_day(day, overrides):
            counted += 1
            if counted == working_days:
                return day
        day += datetime.timedelta(days=1)


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
