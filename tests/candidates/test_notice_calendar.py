import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from candidates import services
from candidates.choices import HolidayKind
from candidates.models import Holiday, PublicNotice
from candidates.notice_calendar import CalendarUnknown, _package_knows, is_working_day, notice_end_date
from tests.factories import CertificationFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def year_2027_unknown():
    """2027 as the package leaves it: nobody entered its holidays (the demo might, one day)."""
    assert not _package_knows(2027), "the package now knows 2027: move these tests to a later year"
    Holiday.objects.filter(date__year=2027).delete()


def test_a_notice_over_national_day_skips_the_holiday_and_counts_the_adjusted_saturday():
    # Wed 30 Sep, then Thu 8, Fri 9, Sat 10 (a working Saturday in 2026) and Mon 12 October.
    assert notice_end_date(D(2026, 9, 30), 5) == D(2026, 10, 12)


def test_a_notice_in_an_ordinary_week_runs_monday_to_friday():
    assert notice_end_date(D(2026, 6, 8), 5) == D(2026, 6, 12)


def test_a_notice_starting_midweek_runs_over_the_weekend():
    assert notice_end_date(D(2026, 6, 10), 5) == D(2026, 6, 16)


def test_a_notice_starting_on_a_sunday_counts_from_monday():
    assert notice_end_date(D(2026, 6, 7), 5) == D(2026, 6, 12)


def test_a_one_day_notice_starting_on_a_working_day_ends_that_day():
    assert notice_end_date(D(2026, 6, 9), 1) == D(2026, 6, 9)


def test_a_year_nobody_entered_yet_is_refused_with_a_chinese_message(year_2027_unknown):
    with override("zh-hans"), pytest.raises(CalendarUnknown) as raised:
        notice_end_date(D(2027, 3, 1), 5)
    assert "2027" in str(raised.value) and "节假日" in str(raised.value)


def test_a_notice_running_into_an_unknown_year_is_refused_too(year_2027_unknown):
    with pytest.raises(CalendarUnknown, match="2027"):
        notice_end_date(D(2026, 12, 28), 5)


def test_holidays_entered_for_an_unknown_year_are_used_and_weekends_are_off(year_2027_unknown):
    Holiday.objects.create(date=D(2027, 1, 1), kind=HolidayKind.HOLIDAY, name="元旦")
    # Fri 1 January off; Sat 2 and Sun 3 off as weekends; Mon 4 … Fri 8.
    assert notice_end_date(D(2027, 1, 1), 5) == D(2027, 1, 8)


def test_an_adjusted_working_day_entered_for_an_unknown_year_counts(year_2027_unknown):
    Holiday.objects.create(date=D(2027, 2, 6), kind=HolidayKind.HOLIDAY, name="春节")
    Holiday.objects.create(date=D(2027, 2, 7), kind=HolidayKind.WORKDAY, name="春节调休")
    # Thu 4, Fri 5, [Sat 6 holiday], Sun 7 worked, Mon 8, Tue 9.
    assert notice_end_date(D(2027, 2, 4), 5) == D(2027, 2, 9)


def test_a_holiday_row_overrides_the_package_in_a_year_it_knows():
    tuesday = D(2026, 6, 9)
    assert is_working_day(tuesday)
    Holiday.objects.create(date=tuesday, kind=HolidayKind.HOLIDAY, name="临时停工")
    assert not is_working_day(tuesday)
    assert notice_end_date(D(2026, 6, 8), 5) == D(2026, 6, 15)


def test_a_workday_row_turns_a_package_holiday_into_a_working_day():
    national_day = D(2026, 10, 2)
    assert not is_working_day(national_day)
    Holiday.objects.create(date=national_day, kind=HolidayKind.WORKDAY)
    assert is_working_day(national_day)


# Through the service ----------------------------------------------------------------------------


def _make_calendar_known(start: datetime.date):
    """Enter a holiday in the next year if the package does not know it, so a notice may run into it."""
    for year in (start.year, start.year + 1):
        if not _package_knows(year):
            Holiday.objects.get_or_create(date=D(year, 1, 1), defaults={"kind": HolidayKind.HOLIDAY})


def test_publishing_a_notice_stores_the_end_date_of_the_working_day_calendar():
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=UserFactory().jurisdiction)
    certification = CertificationFactory(step=6, candidate__village=village)
    start = timezone.localdate() + datetime.timedelta(days=3)
    _make_calendar_known(start)
    notice = services.notice_publish(certification=certification, by=county, start_date=start)
    notice.refresh_from_db()
    assert notice.start_date == start
    assert notice.working_days == settings.NOTICE_WORKING_DAYS
    assert notice.end_date == notice_end_date(start, settings.NOTICE_WORKING_DAYS)
    assert (notice.end_date - start).days >= settings.NOTICE_WORKING_DAYS - 1


def test_publishing_a_notice_in_a_year_nobody_entered_is_refused():
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=UserFactory().jurisdiction)
    certification = CertificationFactory(step=6, candidate__village=village)
    year = max(timezone.localdate().year + 1, 2027)
    if _package_knows(year):
        pytest.skip(f"the package knows {year}")
    Holiday.objects.filter(date__year=year).delete()
    with pytest.raises(services.WorkflowError, match=str(year)):
        services.notice_publish(certification=certification, by=county, start_date=D(year, 3, 1))
    assert not PublicNotice.objects.filter(certification=certification).exists()


def test_the_number_of_working_days_is_configurable(settings):
    settings.NOTICE_WORKING_DAYS = 7
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=UserFactory().jurisdiction)
    certification = CertificationFactory(step=6, candidate__village=village)
    start = timezone.localdate() + datetime.timedelta(days=1)
    _make_calendar_known(start)
    notice = services.notice_publish(certification=certification, by=county, start_date=start)
    assert notice.working_days == 7
    assert notice.end_date == notice_end_date(start, 7)
