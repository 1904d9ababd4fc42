"""Every list's Excel export: the rows of the list for the same query string, scoped like it, ID numbers and
phones masked, past the row limit the refusal page, the same queries for any number of rows; and the
"Export to Excel" button of each list carries the list's query string."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from candidates.choices import EliminationReason
from candidates.models import Candidate, Elimination
from config.forms import field_label
from reports import rollups
from reports.dynamic import GROUP_DATE_LABELS, GROUP_LABELS, GROUPS
from tests.factories import (
    CandidateFactory,
    ReserveFactory,
    StarRatingFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lists_read_records_not_rollups():
    """The lists and their exports count from the records: the rollups the records' writes refresh
    (reports.rollups) are not read here, and refreshing them would triple the time of these tests."""
    with rollups.paused():
        yield


def at(year, month, day) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def column(rows, header: str) -> list:
    """The cells under `header` (as the portal names it) of the rows after the header row."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def listed(response, name=lambda record: record.region.name) -> list:
    """What the list page shows in its table, in its order (the whole list: tests keep it to one page)."""
    table = response.context["table"]
    assert table.page.paginator.num_pages == 1
    return [name(row.record) for row in table.page.object_list]


@pytest.fixture
def benxi():
    """Two 本溪 townships with their officials, and a city-staff user over both."""
    east, west = benxi_township(1), benxi_township(2)
    return {
        "city": UserFactory(city_staff=True),
        "east": east,
        "west": west,
        "east_official": UserFactory(jurisdiction=east),
        "west_official": UserFactory(jurisdiction=west),
    }


# Villages -------------------------------------------------------------------------------------------


def test_the_village_export_holds_the_rows_of_the_filtered_sorted_list_and_its_figures(client_of, benxi):
    mushroom = [VillageFactory(township=benxi["east"], leading_industries="食用菌") for _n in range(3)]
    VillageFactory(township=benxi["east"], leading_industries="水稻")
    VillageFactory(township=benxi["west"], leading_industries="食用菌")
    StarRatingFactory(village=mushroom[0], stars=5)
    ReserveFactory(village=mushroom[1], kind="secretary")
    client = client_of(benxi["city"])
    query = {"industry": "食用菌", "region": benxi["east"].code, "sort": "-name"}

    rows = sheet(client.get(reverse("villages:village_export"), query))
    page = listed(client.get(reverse("villages:village_list"), query))

    assert column(rows, _("Village")) == page
    assert sorted(page, reverse=True) == page == sorted((v.region.name for v in mushroom), reverse=True)
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name[mushroom[1].region.name][_("Secretary reserves")] == 1
    assert by_name[mushroom[0].region.name][_("Township")] == benxi["east"].name
    assert by_name[mushroom[0].region.name][_("Division code")] == mushroom[0].pk


def test_the_village_export_of_a_township_holds_only_its_own_villages(client_of, benxi):
    ours = VillageFactory(township=benxi["east"])
    theirs = VillageFactory(township=benxi["west"])
    names = column(
        sheet(client_of(benxi["east_official"]).get(reverse("villages:village_export"))), _("Village")
    )
    assert names == [ours.region.name]
    assert theirs.region.name not in names


def test_the_village_export_costs_the_same_queries_for_any_number_of_villages(
    client_of, benxi, django_assert_max_num_queries
):
    client = client_of(benxi["east_official"])
    VillageFactory(township=benxi["east"])
    with django_assert_max_num_queries(30) as captured:
        assert len(sheet(client.get(reverse("villages:village_export")))) == 1 + 1
    for _n in range(6):
        ReserveFactory(village=VillageFactory(township=benxi["east"]))
    with django_assert_max_num_queries(len(captured)):
        assert len(sheet(client.get(reverse("villages:village_export")))) == 1 + 7


# Villages short of reserves ---------------------------------------------------------------------------


def _reserves(village, secretary: int, committee: int) -> None:
    for kind, count in (("secretary", secretary), ("committee", committee)):
        for _n in range(count):
            ReserveFactory(village=village, kind=kind)


def test_the_shortfall_export_holds_the_villages_short_of_reserves_with_what_they_miss(client_of, benxi):
    full = VillageFactory(township=benxi["east"])
    _reserves(full, 1, 3)
    short = VillageFactory(township=benxi["east"])
    _reserves(short, 0, 1)
    elsewhere = VillageFactory(township=benxi["west"])
    client = client_of(benxi["city"])
    query = {"region": benxi["east"].code}

    rows = sheet(client.get(reverse("villages:reserve_shortfall_export"), query))
    page = listed(client.get(reverse("villages:reserve_shortfall"), query))

    assert column(rows, _("Village")) == page == [short.region.name]
    assert full.region.name not in page and elsewhere.region.name not in page
    assert column(rows, _("Secretary reserves missing")) == [1]
    assert column(rows, _("Committee reserves missing")) == [2]
    assert column(rows, _("Committee reserves")) == [1]


def test_the_shortfall_export_of_another_region_is_not_found(client_of, benxi):
    client = client_of(benxi["east_official"])
    url = reverse("villages:reserve_shortfall_export")
    assert client.get(url, {"region": benxi["west"].code}).status_code == 404
    assert client.get(url, {"region": "210422000000"}).status_code == 404  # 新宾, in Fushun


def test_the_shortfall_export_costs_the_same_queries_for_any_number_of_villages(
    client_of, benxi, django_assert_max_num_queries
):
    client = client_of(benxi["east_official"])
    VillageFactory(township=benxi["east"])
    with django_assert_max_num_queries(30) as captured:
        assert len(sheet(client.get(reverse("villages:reserve_shortfall_export")))) == 1 + 1
    for _n in range(6):
        _reserves(VillageFactory(township=benxi["east"]), 1, 1)
    with django_assert_max_num_queries(len(captured)):
        assert len(sheet(client.get(reverse("villages:reserve_shortfall_export")))) == 1 + 7


# Eliminations -----------------------------------------------------------------------------------------


def eliminate(village, name, *, decided=None, state="approved", reason="moved_away"):
    decided = decided or at(2024, 9, 1)
    person = CandidateFactory(village=village, name=name, status="eliminated", phone="13987654321")
    county = UserFactory(county_reviewer=True)
    Elimination.objects.create(
        candidate=person,
        reason=reason,
        details="全家迁往沈阳",
        state=state,
        proposed_by=UserFactory(),
        proposed_at=decided - datetime.timedelta(days=10),
        decided_by=county if state != "proposed" else None,
        decided_at=decided if state != "proposed" else None,
        opinion="同意" if state != "proposed" else "",
    )
    return person


def test_the_elimination_export_holds_the_rows_of_the_filtered_list_masked(client_of, benxi):
    east = VillageFactory(township=benxi["east"])
    west = VillageFactory(township=benxi["west"])
    people = [
        eliminate(east, "甲", decided=at(2024, 3, 1)),
        eliminate(east, "乙", decided=at(2024, 8, 1)),
        eliminate(west, "丙", decided=at(2024, 5, 1)),
    ]
    eliminate(east, "丁", reason="own_request")
    eliminate(east, "戊", state="proposed")  # the list shows approved ones unless asked
    client = client_of(benxi["city"])
    query = {"reason": "moved_away", "year": "2024"}

    rows = sheet(client.get(reverse("candidates:elimination_export"), query))
    page = listed(
        client.get(reverse("candidates:elimination_list"), query), name=lambda record: record.candidate.name
    )

    assert column(rows, _("Name")) == page == ["乙", "丙", "甲"]
    cells = {str(value) for row in rows[1:] for value in row}
    for person in people:
        assert person.masked_id_number in cells and person.id_number not in cells
    assert "139****4321" in cells and "13987654321" not in cells
    assert set(column(rows, field_label(Elimination, "reason"))) == {EliminationReason.MOVED_AWAY.label}
    # A spreadsheet keeps a day as a date-time at midnight.
    assert column(rows, field_label(Elimination, "decided_at"))[0].date() == datetime.date(2024, 8, 1)


def test_the_elimination_export_of_a_township_holds_only_its_own_people(client_of, benxi):
    eliminate(VillageFactory(township=benxi["east"]), "东")
    eliminate(VillageFactory(township=benxi["west"]), "西")
    rows = sheet(client_of(benxi["west_official"]).get(reverse("candidates:elimination_export")))
    assert column(rows, _("Name")) == ["西"]


def test_the_elimination_export_costs_the_same_queries_for_any_number_of_rows(
    client_of, benxi, django_assert_max_num_queries
):
    client = client_of(benxi["east_official"])
    village = VillageFactory(township=benxi["east"])
    eliminate(village, "一")
    with django_assert_max_num_queries(30) as captured:
        assert len(sheet(client.get(reverse("candidates:elimination_export")))) == 1 + 1
    for n in range(12):
        eliminate(village, f"多{n}", decided=at(2023, 1 + n, 2))
    with django_assert_max_num_queries(len(captured)):
        assert len(sheet(client.get(reverse("candidates:elimination_export")))) == 1 + 13


# Dynamic management -------------------------------------------------------------------------------------


@pytest.fixture
def dynamic(benxi):
    """In 2024, under the east township: 甲 and 乙 eliminated, 丙 contacted; under the west: 丁 eliminated."""
    east = VillageFactory(township=benxi["east"])
    west = VillageFactory(township=benxi["west"])
    eliminate(east, "甲", decided=at(2024, 3, 1))
    eliminate(east, "乙", decided=at(2024, 6, 1), reason="own_request")
    eliminate(west, "丁", decided=at(2024, 7, 1))
    CandidateFactory(village=east, name="丙", created_at=at(2024, 4, 1))
    return benxi | {"east_village": east}


def test_the_export_of_a_group_holds_the_people_of_the_list_with_their_reason_masked(client_of, dynamic):
    client = client_of(dynamic["city"])
    query = {"region": dynamic["east"].code, "year": "2024", "group": "eliminated", "sort": "name"}

    rows = sheet(client.get(reverse("reports:dynamic_export"), query))
    page = listed(client.get(reverse("reports:dynamic_management"), query), name=lambda record: record.name)

    assert column(rows, _("Name")) == page == ["甲", "乙"]
    assert column(rows, _("Reason")) == [
        EliminationReason.MOVED_AWAY.label,
        EliminationReason.OWN_REQUEST.label,
    ]
    assert [day.date() for day in column(rows, GROUP_DATE_LABELS["eliminated"])] == [
        datetime.date(2024, 3, 1),
        datetime.date(2024, 6, 1),
    ]
    people = {p.name: p for p in Candidate.objects.filter(village=dynamic["east_village"])}
    masked = column(rows, field_label(Candidate, "id_number"))
    assert masked == [people[name].masked_id_number for name in page]
    assert not {people[name].id_number for name in page} & set(masked)


def test_the_export_without_a_group_holds_the_five_counts_of_each_region_and_the_total(client_of, dynamic):
    client = client_of(dynamic["city"])
    query = {"region": dynamic["city"].jurisdiction_id, "year": "2024"}
    rows = sheet(client.get(reverse("reports:dynamic_export"), query))
    groups = client.get(reverse("reports:dynamic_management"), query).context["groups"]
    assert rows[0][2:] == tuple(str(GROUP_LABELS[key]) for key in GROUPS)
    assert [row[:2] for row in rows[1:-1]] == [(r.region.name, r.region.code) for r in groups.children]
    assert [row[2:] for row in rows[1:-1]] == [tuple(c for _k, c in r.cells) for r in groups.children]
    assert rows[-1][0] == _("Total") and rows[-1][2:] == tuple(c for _k, c in groups.total.cells)
    assert rows[-1][2] == 1 and rows[-1][6] == 3  # 丙 contacted; 甲, 乙, 丁 eliminated


def test_the_dynamic_export_of_a_township_holds_only_its_people_and_refuses_another_region(
    client_of, dynamic
):
    client = client_of(dynamic["west_official"])
    url = reverse("reports:dynamic_export")
    rows = sheet(client.get(url, {"year": "2024", "group": "eliminated"}))
    assert column(rows, _("Name")) == ["丁"]
    assert client.get(url, {"region": dynamic["east"].code, "group": "eliminated"}).status_code == 404


def test_the_dynamic_export_costs_the_same_queries_for_any_number_of_people(
    client_of, dynamic, django_assert_max_num_queries
):
    client = client_of(dynamic["east_official"])
    query = {"year": "2024", "group": "eliminated"}
    with django_assert_max_num_queries(30) as captured:
        assert len(sheet(client.get(reverse("reports:dynamic_export"), query))) == 1 + 2
    for n in range(12):
        eliminate(dynamic["east_village"], f"多{n}", decided=at(2024, 1 + n, 3))
    with django_assert_max_num_queries(len(captured)):
        assert len(sheet(client.get(reverse("reports:dynamic_export"), query))) == 1 + 14


# What every new export shares ----------------------------------------------------------------------------

EXPORTS = {
    "villages:village_export": ("villages:village_list", {"industry": "水稻"}),
    "villages:reserve_shortfall_export": ("villages:reserve_shortfall", {}),
    "candidates:elimination_export": ("candidates:elimination_list", {"state": ""}),
    "reports:dynamic_export": ("reports:dynamic_management", {"year": "2024", "group": "eliminated"}),
}


@pytest.mark.parametrize("export", EXPORTS)
def test_an_export_past_the_row_limit_asks_to_narrow_the_filters_and_leads_back_with_them(
    export, client_of, dynamic, settings
):
    settings.EXPORT_MAX_ROWS = 1
    for _n in range(2):
        eliminate(VillageFactory(township=dynamic["east"], leading_industries="水稻"), "多")
    list_url, query = EXPORTS[export]
    response = client_of(dynamic["east_official"]).get(reverse(export), query)
    assert response["Content-Type"].startswith("text/html")
    assert response.templates[0].name == "export_too_large.html"
    assert response.context["count"] > 1
    back = response.context["list_query"]
    link = f"{reverse(list_url)}?{back.replace('&', '&amp;')}" if back else reverse(list_url)
    assert f'href="{link}"' in response.content.decode()
    assert all(f"{key}=" in back for key in query)


@pytest.mark.parametrize("export", EXPORTS)
def test_the_list_offers_its_export_with_the_query_string_it_shows(export, client_of, dynamic):
    list_url, query = EXPORTS[export]
    query = query | {"region": dynamic["east"].code, "page": "1"}
    page = client_of(dynamic["city"]).get(reverse(list_url), query).content.decode()
    kept = urlencode({key: value for key, value in query.items() if key != "page"}).replace("&", "&amp;")
    assert f'href="{reverse(export)}?{kept}"' in page
