"""The list filters `committee` and `reserve` (DESIGN §9), on the candidate list and its export alike."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import (
    CandidateFactory,
    CommitteeSeatFactory,
    ReserveFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)

pytestmark = pytest.mark.django_db

LIST = reverse("candidates:candidate_list")
EXPORT = reverse("candidates:candidate_export")
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def listed(client, **query) -> list[str]:
    response = client.get(LIST, query)
    return sorted(row.record.name for row in response.context["table"].page.object_list)


def exported(client, **query) -> list[str]:
    response = client.get(EXPORT, query)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return sorted(row[0] for row in rows[1:])


@pytest.fixture
def village():
    return VillageFactory(township=benxi_township())


@pytest.fixture
def client(client_of):
    return client_of(UserFactory(city_staff=True))


def person(village, name):
    return CandidateFactory(village=village, name=name, active=True)


def seat(village, candidate, start, end=None, position="member"):
    return CommitteeSeatFactory(
        village=village,
        candidate=candidate,
        position=position,
        term_start=start,
        term_end=end,
    )


@pytest.fixture
def seated(village):
    """People with a seat now, a past seat, a seat to come, two seats at once, and none."""
    seat(village, person(village, "现任"), days(-400))
    seat(village, person(village, "任期到今天"), days(-400), days(0))
    seat(village, person(village, "已卸任"), days(-800), days(-1))
    seat(village, person(village, "尚未上任"), days(5))
    both = person(village, "书记兼委员")
    seat(village, both, days(-400), position="secretary")
    seat(village, both, days(-400), position="member")
    person(village, "无职务")
    CommitteeSeatFactory(village=village, holder_name="非培养对象")  # a holder outside the programme
    return village


def test_committee_1_lists_the_holders_of_a_current_seat_once_each(client, seated):
    assert listed(client, committee="1") == sorted(["现任", "任期到今天", "书记兼委员"])


def test_committee_0_lists_the_people_without_a_current_seat(client, seated):
    assert listed(client, committee="0") == sorted(["已卸任", "尚未上任", "无职务"])


@pytest.fixture
def reserved(village):
    """People designated as reserves in each status, of both kinds."""
    statuses = {
        "书记后备": ("secretary", "confirmed"),
        "书记后备待调整": ("secretary", "removal_proposed"),
        "书记后备待确认": ("secretary", "proposed"),
        "书记后备未通过": ("secretary", "declined"),
        "书记后备已调整": ("secretary", "removed"),
        "委员后备": ("committee", "confirmed"),
    }
    for name, (kind, status) in statuses.items():
        ReserveFactory(village=village, candidate=person(village, name), kind=kind, status=status)
    person(village, "非后备")
    return village


def test_reserve_lists_the_standing_reserves_of_that_kind(client, reserved):
    assert listed(client, reserve="secretary") == sorted(["书记后备", "书记后备待调整"])
    assert listed(client, reserve="committee") == ["委员后备"]


def test_an_unknown_reserve_kind_is_refused_by_the_form(client, reserved):
    response = client.get(LIST, {"reserve": "director"})
    assert response.context["filter"].errors
    assert "reserve" in response.context["filter"].form.errors


def test_committee_and_reserve_combine_with_the_other_filters(client, village):
    both = person(village, "在任后备")
    seat(village, both, days(-10))
    ReserveFactory(village=village, candidate=both, kind="secretary")
    ReserveFactory(village=village, candidate=person(village, "仅后备"), kind="secretary")
    seat(village, person(village, "仅在任"), days(-10))
    other = VillageFactory(township=benxi_township(2))
    seat(other, person(other, "邻镇在任"), days(-10))

    assert listed(client, committee="1", reserve="secretary") == ["在任后备"]
    assert listed(client, committee="1", region=village.pk) == sorted(["在任后备", "仅在任"])
    assert listed(client, committee="0", reserve="secretary") == ["仅后备"]


def test_the_export_uses_the_same_committee_and_reserve_filters(client, seated, reserved):
    assert exported(client, committee="1") == listed(client, committee="1")
    assert exported(client, reserve="secretary") == sorted(["书记后备", "书记后备待调整"])


def test_the_filter_form_offers_committee_and_reserve(client, village):
    page = client.get(LIST).content.decode()
    assert 'name="committee"' in page and 'name="reserve"' in page
    assert '<option value="secretary">' in page and '<option value="1">' in page


def test_the_list_filtered_by_seat_and_reserve_costs_the_same_queries_for_10_and_100_rows(
    client, village, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            candidate = CandidateFactory(village=village, active=True)
            seat(village, candidate, days(-10))
            ReserveFactory(village=village, candidate=candidate, kind="committee")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, {"committee": "1", "reserve": "committee", "per_page": 100})
        return len(captured), len(response.context["table"].page.object_list)

    fill(10)
    ten, rows = queries()
    assert rows == 10
    fill(90)
    with django_assert_max_num_queries(ten):
        _, rows = queries()
    assert rows == 100
