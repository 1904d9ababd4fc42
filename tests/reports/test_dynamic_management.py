"""Dynamic management (五个一批) at /reports/dynamic/: the five groups of a year, per region, with people."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Elimination, Promotion
from reports import rollups
from reports.dynamic import GROUPS, dynamic_groups
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
    region,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:dynamic_management")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    """A moment in Fushun time (Asia/Shanghai), the zone the year boundaries follow."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def person(village, name, entered):
    return CandidateFactory(village=village, name=name, created_at=entered, status="active", stage="")


def nominated(candidate, started):
    """A certification started at `started` and still in progress."""
    return CertificationFactory(candidate=candidate, started_at=started)


def filed(candidate, on: datetime.date):
    return CertificationFactory(
        candidate=candidate,
        state="filed",
        step=7,
        started_at=at(on.year, on.month, on.day) - datetime.timedelta(days=60),
        filed_on=on,
    )


def promoted(candidate, decided, *, state="approved"):
    return Promotion.objects.create(
        candidate=candidate,
        from_stage="wealth_creator",
        to_stage="member_wealth_creator",
        state=state,
        evidence="已转为预备党员",
        proposed_by=UserFactory(),
        proposed_at=decided - datetime.timedelta(days=30),
        decided_at=decided if state in ("approved", "refused") else None,
    )


def eliminated(candidate, decided, *, state="approved"):
    return Elimination.objects.create(
        candidate=candidate,
        reason="moved_away",
        details="全家迁往沈阳",
        state=state,
        proposed_by=UserFactory(),
        proposed_at=decided - datetime.timedelta(days=10),
        decided_at=decided,
        opinion="同意",
    )


@pytest.fixture
def township():
    """A 本溪 township of two villages whose people's dated records span 2023 to 2025.

    In 2024: contacted 甲, 丙; selected 戊, 己; consolidated 庚, 辛, 寅, 卯; promoted 壬; eliminated 癸, 丑.
    The rollups are recounted once, at the end.
    """
    with rollups.batch():
        return _township()


def _township():
    official = UserFactory()
    east = VillageFactory(township=official.jurisdiction)
    west = VillageFactory(township=official.jurisdiction)

    person(east, "甲", at(2024, 3, 1))  # noted in 2024, never nominated
    nominated(
        person(east, "乙", at(2024, 5, 1)), at(2024, 12, 31, 23, 30)
    )  # nominated on 31 Dec: not contacted
    nominated(person(east, "丙", at(2024, 12, 31, 23, 59)), at(2025, 1, 1, 0, 10))  # nominated on 1 Jan 2025
    person(east, "丁", at(2025, 1, 1, 0, 30))  # still 2024 in UTC, 2025 in Fushun
    filed(person(east, "戊", at(2023, 11, 1)), datetime.date(2024, 6, 1))
    filed(person(east, "己", at(2024, 9, 1)), datetime.date(2024, 12, 31))
    filed(person(west, "庚", at(2022, 1, 5)), datetime.date(2022, 5, 1))
    filed(person(west, "辛", at(2022, 9, 5)), datetime.date(2023, 1, 1))
    wang = person(west, "壬", at(2022, 1, 5))
    filed(wang, datetime.date(2022, 5, 1))
    promoted(wang, at(2024, 7, 1))
    gui = person(west, "癸", at(2022, 1, 5))
    filed(gui, datetime.date(2022, 5, 1))
    eliminated(gui, at(2024, 9, 1))
    zi = person(west, "子", at(2021, 1, 5))
    filed(zi, datetime.date(2021, 5, 1))
    eliminated(zi, at(2023, 12, 31, 23, 30))  # gone before 2024
    chou = person(west, "丑", at(2021, 1, 5))
    filed(chou, datetime.date(2021, 5, 1))
    eliminated(chou, at(2024, 1, 1, 0, 30))  # 2023 in UTC, 2024 in Fushun
    yin = person(east, "寅", at(2022, 1, 5))
    filed(yin, datetime.date(2023, 3, 1))
    promoted(yin, at(2024, 8, 1), state="proposed")  # not decided: no move
    eliminated(yin, at(2024, 10, 1), state="refused")  # refused: stays
    mao = person(east, "卯", at(2022, 1, 5))
    filed(mao, datetime.date(2022, 5, 1))
    promoted(mao, at(2025, 1, 1, 0, 30))  # promoted in 2025, consolidated in 2024
    chen = person(east, "辰", at(2024, 10, 1))  # in certification across the new year: no group in 2024
    filed(chen, datetime.date(2025, 3, 1))
    return {"official": official, "east": east, "west": west}


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


def test_the_five_groups_of_a_year_are_counted_from_dated_records(township):
    official = township["official"]

    groups = dynamic_groups(user=official, region=official.jurisdiction, year=2024)

    assert groups.total.counts == {
        "contacted": 2,
        "selected": 2,
        "consolidated": 4,
        "promoted": 1,
        "eliminated": 2,
    }
    assert {group: names(groups.people(group)) for group in GROUPS} == {
        "contacted": ["丙", "甲"],
        "selected": ["己", "戊"],
        "consolidated": ["卯", "寅", "庚", "辛"],
        "promoted": ["壬"],
        "eliminated": ["丑", "癸"],
    }


def test_the_year_ends_at_midnight_on_31_december_fushun_time(township):
    official = township["official"]

    groups = dynamic_groups(user=official, region=official.jurisdiction, year=2025)

    assert groups.total.counts == {
        "contacted": 1,
        "selected": 1,
        "consolidated": 6,
        "promoted": 1,
        "eliminated": 0,
    }
    assert names(groups.people("contacted")) == ["丁"]
    assert names(groups.people("selected")) == ["辰"]
    assert names(groups.people("promoted")) == ["卯"]
    assert names(groups.people("consolidated")) == ["壬", "寅", "己", "庚", "戊", "辛"]
    assert dynamic_groups(user=official, region=official.jurisdiction, year=2023).total.counts == {
        "contacted": 1,  # 戊: entered in November 2023, nominated in 2024
        "selected": 2,  # 辛, filed on 1 January 2023, and 寅
        "consolidated": 5,  # 庚 壬 癸 丑 卯; 子 was eliminated in 2023
        "promoted": 0,
        "eliminated": 1,  # 子, at 23:30 on 31 December
    }


def test_the_page_shows_the_five_counts_with_their_definitions(client_of, township):
    response = english(client_of(township["official"])).get(URL, {"year": 2024})
    page = response.content.decode()

    assert response.status_code == 200
    assert [card["count"] for card in response.context["cards"]] == [2, 2, 4, 1, 2]
    for label in ("Contacted", "Selected", "Consolidated", "Promoted", "Eliminated"):
        assert label in page
    assert "who had no certification started by 31 December" in page
    assert "filed by 31 December and not eliminated before the year" in page


def test_each_group_lists_its_people_with_links_to_their_pages(client_of, township):
    client = english(client_of(township["official"]))

    response = client.get(URL, {"year": 2024, "group": "eliminated"})
    rows = response.context["table"].page.object_list
    page = response.content.decode()

    assert sorted(row.record.name for row in rows) == ["丑", "癸"]
    for row in rows:
        assert f'href="{row.record.get_absolute_url()}"' in page
    assert "Moved away" in page and "2024-09-01" in page and "2024-01-01" in page
    assert "Eliminated on" in page
    card = "?year=2024&amp;group=selected#people"
    assert card in page  # the count of a card opens its list


def test_the_page_opens_on_last_year_and_offers_the_years_with_records(client_of, township):
    response = client_of(township["official"]).get(URL)
    this_year = timezone.localdate().year

    assert response.context["year"] == this_year - 1
    assert response.context["years"] == list(range(this_year, 2020, -1))  # 子 and 丑 entered in 2021
    assert f'<option value="{this_year - 1}" selected>' in response.content.decode()


def test_an_unknown_group_or_year_falls_back_to_the_page_without_a_list(client_of, township):
    response = client_of(township["official"]).get(URL, {"year": "abc", "group": "everyone"})

    assert response.status_code == 200
    assert response.context["table"] is None
    assert response.context["year"] == timezone.localdate().year - 1


def test_a_township_official_counts_only_their_township(client_of, township):
    neighbour = VillageFactory(township=benxi_township(2))
    person(neighbour, "邻镇联系人", at(2024, 4, 1))

    response = client_of(township["official"]).get(URL, {"year": 2024, "group": "contacted"})

    assert response.context["groups"].total.counts["contacted"] == 2
    assert "邻镇联系人" not in response.content.decode()


def test_a_region_outside_the_jurisdiction_is_not_found(client_of, township):
    official = township["official"]
    client = client_of(official)

    assert client.get(URL, {"region": benxi_township(2).code}).status_code == 404
    assert client.get(URL, {"region": "210422000000"}).status_code == 404  # 新宾, Fushun
    assert client.get(URL, {"region": "nonsense"}).status_code == 404
    assert client.get(URL, {"region": township["east"].pk}).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_rows_per_township_add_up_to_the_county_totals(client_of, township):
    reviewer = UserFactory(county_reviewer=True)
    neighbour = VillageFactory(township=benxi_township(2))
    person(neighbour, "邻镇联系人", at(2024, 4, 1))
    filed(person(neighbour, "邻镇选拔", at(2023, 4, 1)), datetime.date(2024, 3, 1))
    # Another county of 本溪: outside the county reviewer's table altogether.
    xihu = region(
        "210503100000", "测试溪湖镇", region("210503000000", "溪湖区", benxi_township().parent.parent)
    )
    person(VillageFactory(township=xihu), "邻县联系人", at(2024, 4, 1))

    response = client_of(reviewer).get(URL, {"year": 2024})
    groups = response.context["groups"]
    rows = {row.region.name: row.counts for row in groups.children}

    assert rows[benxi_township(1).name] == township_counts(township)
    assert rows[benxi_township(2).name] == {
        "contacted": 1,
        "selected": 1,
        "consolidated": 0,
        "promoted": 0,
        "eliminated": 0,
    }
    for group in GROUPS:
        assert sum(counts[group] for counts in rows.values()) == groups.total.counts[group]
    assert groups.total.counts["contacted"] == 3
    page = response.content.decode()
    assert "邻县" not in page and "溪湖" not in page
    link = f"?year=2024&amp;region={benxi_township(2).code}&amp;group=selected#people"
    assert link in page  # each count opens the list of its township


def township_counts(township):
    return dynamic_groups(
        user=township["official"], region=township["official"].jurisdiction, year=2024
    ).total.counts


def test_a_township_table_has_a_row_per_village_adding_up_to_the_total(client_of, township):
    response = client_of(township["official"]).get(URL, {"year": 2024})
    groups = response.context["groups"]
    rows = {row.region.pk: row.counts for row in groups.children}

    assert rows[township["east"].pk] == {
        "contacted": 2,
        "selected": 2,
        "consolidated": 2,
        "promoted": 0,
        "eliminated": 0,
    }
    assert rows[township["west"].pk] == {
        "contacted": 0,
        "selected": 0,
        "consolidated": 2,
        "promoted": 1,
        "eliminated": 2,
    }
    for group in GROUPS:
        assert sum(counts[group] for counts in rows.values()) == groups.total.counts[group]


def test_a_mentor_counts_only_their_mentees(client_of, township):
    from mentoring.models import MentorAssignment
    from tests.factories import MentorFactory

    mentor = UserFactory(mentor=True)
    wang = township["west"].candidates.get(name="壬")
    MentorAssignment.objects.create(candidate=wang, mentor=MentorFactory(user=mentor))

    response = client_of(mentor).get(URL, {"year": 2024})

    assert response.status_code == 200
    assert response.context["groups"].total.counts == {
        "contacted": 0,
        "selected": 0,
        "consolidated": 0,
        "promoted": 1,
        "eliminated": 0,
    }


def _crowd(village, count, start):
    """`count` people of every group of 2024 in `village`. The rollups are recounted once at the end (as
    an import does), not after each of the hundreds of writes: the page reads the records, not them."""
    with rollups.batch():
        _crowd_people(village, count, start)


def _crowd_people(village, count, start):
    for n in range(start, start + count):
        person(village, f"联系{n}", at(2024, 3, 1))
        filed(person(village, f"选拔{n}", at(2023, 3, 1)), datetime.date(2024, 5, 1))
        filed(person(village, f"巩固{n}", at(2022, 3, 1)), datetime.date(2022, 5, 1))
        up = person(village, f"提升{n}", at(2022, 3, 1))
        filed(up, datetime.date(2022, 5, 1))
        promoted(up, at(2024, 7, 1))
        out = person(village, f"淘汰{n}", at(2022, 3, 1))
        filed(out, datetime.date(2022, 5, 1))
        eliminated(out, at(2024, 8, 1))


def _queries(client, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(captured), response


def test_the_page_and_every_list_cost_the_same_queries_for_10_and_100_people_per_group(
    client_of, django_assert_max_num_queries
):
    reviewer = UserFactory(county_reviewer=True)
    villages = [VillageFactory(township=benxi_township(n)) for n in (1, 2, 3)]
    client = client_of(reviewer)
    for village in villages:
        _crowd(village, 3 if village is villages[0] else 4, 0)
    queries = {}
    for group in ("", *GROUPS):
        queries[group], response = _queries(client, year=2024, group=group, per_page=100)
    assert response.context["groups"].total.counts == {g: 11 for g in GROUPS}
    assert len(response.context["table"].page.object_list) == 11

    for village in villages:
        _crowd(village, 30, 10)
    for group in ("", *GROUPS):
        with django_assert_max_num_queries(queries[group]):
            _, response = _queries(client, year=2024, group=group, per_page=100)
        if group:
            assert len(response.context["table"].page.object_list) == 100
    assert response.context["groups"].total.counts == {g: 101 for g in GROUPS}


def test_the_work_queue_links_county_and_city_staff_to_dynamic_management(client_of):
    button = f'class="btn btn-sm btn-outline-danger" href="{URL}"'
    for user, linked in (
        (UserFactory(county_reviewer=True), True),
        (UserFactory(city_staff=True), True),
        (UserFactory(), False),
    ):
        response = client_of(user).get(reverse("reports:home"))
        assert (response.context["queue"].dynamic_management_url == URL) is linked
        assert (button in response.content.decode()) is linked
