"""The dashboard at /reports/: the summary figures of a region and a year as tiles linking to their lists,
charts fed from JSON in the page, drill-down city → county → township → village, and a cost that does not
grow with the candidates. Built on a hand-made 本溪市 (tests/factories.py), outside the demo's Fushun."""

import datetime
import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from candidates.identity import synthetic_id_number
from candidates.models import Candidate
from candidates.services import elimination_decide, elimination_propose
from reports import dashboard, rollups, summary
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    CommitteeSeatFactory,
    ReserveFactory,
    StarRatingFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def benxi():
    """本溪市 → 平山区 → two townships; three villages with active candidates, a certification at step 2,
    a seat, a reserve and a star rating; a city-staff user of 本溪市 and the township's official."""
    first, second = benxi_township(1), benxi_township(2)
    county, city = first.parent, first.parent.parent
    villages = [
        VillageFactory(township=first),
        VillageFactory(township=first),
        VillageFactory(township=second),
    ]
    people = [
        CandidateFactory(village=villages[0], active=True),
        CandidateFactory(village=villages[0], active=True, stage="party_member"),
        CandidateFactory(village=villages[1], active=True, source="veteran"),
        CandidateFactory(village=villages[2], active=True, stage="revitalization_leader"),
    ]
    CertificationFactory(step=2, candidate__village=villages[1])
    CommitteeSeatFactory(village=villages[0], candidate=people[0])
    ReserveFactory(village=villages[2], candidate=people[3], kind="secretary")
    StarRatingFactory(village=villages[0], year=summary.default_year(), stars=5)
    return {
        "city": city,
        "county": county,
        "townships": (first, second),
        "villages": villages,
        "people": people,
        "staff": UserFactory(city_staff=True),
        "township_official": UserFactory(),
        "county_reviewer": UserFactory(county_reviewer=True),
    }


def page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def tile(html: str, key: str) -> tuple[str, str]:
    """(the figure as shown, the link behind it) of the tile `key`."""
    found = re.search(
        rf'id="tile-{key}".*?class="dashboard-figure">(?:<a class="text-reset" href="([^"]*)">)?([^<]+)',
        html,
        re.S,
    )
    assert found, f"no tile {key}"
    return found.group(2).strip(), unescape(found.group(1) or "")


def charts(html: str) -> dict:
    found = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no chart data in the page"
    return json.loads(found.group(1))


def _active_under(region) -> int:
    return Candidate.objects.filter(village__region__code__startswith=region.prefix, status="active").count()


def test_the_tiles_show_the_summary_of_the_users_city(benxi, client_of):
    html = page(english(client_of(benxi["staff"])))
    figures = summary.summary(region=benxi["city"], year=summary.default_year())
    people, villages = figures["candidates"], figures["villages"]
    assert people["active"] == _active_under(benxi["city"]) == 4
    shown = {
        "active": dashboard.count(people["active"]),
        "revitalization_leaders": dashboard.count(people["by_stage"]["revitalization_leader"]),
        "in_village_committees": dashboard.count(people["in_village_committees"]),
        "committee_reserves": dashboard.count(people["committee_reserves"]),
        "four_star_plus": dashboard.count(villages["four_star_plus"]),
        "committee_wealth_creator_share": dashboard.percent(villages["committee_wealth_creator_share"]),
        "in_certification": "1",
    }
    for key, value in shown.items():
        assert tile(html, key)[0] == value, key
    assert tile(html, "revitalization_leaders")[0] == "1"
    assert tile(html, "four_star_plus")[0] == "1"
    assert tile(html, "committee_wealth_creator_share")[0] == "100%"
    # Every figure of the summary has its tile.
    for key in (
        "eliminated_last_5_years",
        "meeting_reserve_target",
        "paired",
        "collective_projects",
        "households_helped",
        "service_items",
        "problems_solved",
        "awarded_candidates",
        "university_trainees",
        "online_learning_rate",
        "policies",
        "loans_yuan",
        "land_transfer_mu",
        "projects",
    ):
        tile(html, key)


def test_each_tile_links_to_the_list_behind_it(benxi, client_of):
    html = page(client_of(benxi["staff"]))
    code = benxi["city"].code
    assert tile(html, "active")[1] == f"/candidates/?region={code}&status=active"
    assert tile(html, "revitalization_leaders")[1] == (
        f"/candidates/?region={code}&status=active&stage=revitalization_leader"
    )
    assert tile(html, "eliminated_last_5_years")[1] == f"/candidates/eliminations/?region={code}"
    assert tile(html, "four_star_plus")[1] == f"/villages/?region={code}&stars=4"
    year = summary.default_year()
    assert tile(html, "awarded_candidates")[1] == f"/mentoring/awards/?region={code}&year={year}"
    # The list behind the number holds the people counted.
    listed = Client()
    listed.force_login(benxi["staff"])
    people = listed.get(tile(html, "active")[1]).context["table"].page.paginator.count
    assert people == _active_under(benxi["city"])


def test_a_figure_changes_when_a_service_eliminates_a_candidate(benxi, client_of):
    client = english(client_of(benxi["staff"]))
    before = int(tile(page(client), "active")[0])
    candidate = benxi["people"][0]
    proposal = elimination_propose(
        by=benxi["township_official"], candidate=candidate, reason="moved_away", details="全家迁往沈阳"
    )
    elimination_decide(
        by=benxi["county_reviewer"],
        elimination=proposal,
        approve=True,
        opinion="同意",
        expected_state="proposed",
    )
    html = page(client, year=timezone.localdate().year)
    assert int(tile(html, "active")[0]) == before - 1 == _active_under(benxi["city"])
    assert tile(html, "eliminated_last_5_years")[0] == "1"


def test_amounts_read_as_the_city_writes_them():
    translation.activate("en")
    assert dashboard.yuan(130_000_000) == "1.3 hundred million yuan"
    assert dashboard.yuan(2_500_000) == "250 ten thousand yuan"
    assert dashboard.yuan(800) == "800 yuan"
    assert dashboard.percent(0.892) == "89.2%"
    assert dashboard.percent(1.0) == "100%"
    assert dashboard.mu(5503) == "5,503 mu"


def test_drill_down_from_the_city_to_a_village_and_the_people_in_it(benxi, client_of):
    client = client_of(benxi["staff"])
    year = summary.default_year()
    city_page = page(client)
    county = benxi["county"]
    county_url = f"{URL}?region={county.code}&amp;year={year}"
    assert f'href="{county_url}"' in city_page
    assert [item["name"] for item in charts(city_page)["children"]] == [county.name]

    county_page = page(client, region=county.code, year=year)
    first, second = benxi["townships"]
    for township in (first, second):
        assert f'href="{URL}?region={township.code}&amp;year={year}"' in county_page
    # The way back up: the city is a breadcrumb to its own dashboard.
    assert f'<a href="{URL}?region={benxi["city"].code}&amp;year={year}">' in county_page

    township_page = page(client, region=first.code, year=year)
    village = benxi["villages"][0]
    assert f'href="{URL}?region={village.pk}&amp;year={year}"' in township_page
    assert f'href="/villages/{village.pk}/"' in township_page
    rows = {item["name"]: item["value"] for item in charts(township_page)["children"]}
    assert rows == {v.region.name: _active_under(v.region) for v in benxi["villages"][:2]}

    village_page = page(client, region=village.pk, year=year)
    assert f'href="/villages/{village.pk}/"' in village_page
    assert f'href="/candidates/?region={village.pk}"' in village_page
    assert tile(village_page, "active")[0] == "2"
    assert f'href="/reports/annual.pdf?region={village.pk}&amp;year={year}"' in village_page


def test_the_chart_data_parses_and_agrees_with_the_summary(benxi, client_of):
    year = summary.default_year()
    data = charts(page(client_of(benxi["staff"]), year=year))
    figures = summary.summary(region=benxi["city"], year=year)
    assert [item["value"] for item in data["funnel"]] == list(
        figures["certification"]["in_progress_by_step"].values()
    )
    assert data["funnel"][1]["value"] == 1
    assert data["funnel"][1]["url"] == f"/candidates/?region={benxi['city'].code}&step=2"
    assert {item["url"].rsplit("=", 1)[1]: item["value"] for item in data["stages"]} == figures["candidates"][
        "by_stage"
    ]
    assert sum(item["value"] for item in data["sources"]) == 4
    assert data["trend"]["years"] == [str(y) for y in range(year - 5, year + 1)]
    assert [item["values"] for item in data["reserves"]["items"]] == [[0, 3]]


def test_the_page_holds_no_inline_script(benxi, client_of):
    html = page(client_of(benxi["staff"]))
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts
    for attributes in scripts:
        assert 'src="' in attributes or 'type="application/json"' in attributes, attributes
    assert "/static/vendor/echarts/echarts.min.js" in html and "/static/js/dashboard.js" in html
    assert " style=" not in html and " onclick=" not in html


def test_another_regions_code_is_not_found(benxi, client_of):
    staff = client_of(benxi["staff"])
    assert staff.get(URL, {"region": "210400000000"}).status_code == 404  # 抚顺市
    assert staff.get(URL, {"region": "nonsense"}).status_code == 404
    official = client_of(benxi["township_official"])
    assert official.get(URL, {"region": benxi["city"].code}).status_code == 404
    assert official.get(URL, {"region": benxi["townships"][1].code}).status_code == 404
    response = official.get(URL)
    assert response.status_code == 200 and response.context["region"] == benxi["townships"][0]


def test_mentors_have_no_dashboard(client_of):
    assert client_of("mentor").get(URL).status_code == 403
    assert URL not in [item["url"] for item in client_of("mentor").get("/").context["nav_items"]]
    assert Client().get(URL).status_code == 302


@pytest.mark.parametrize("asked", ["1999", "abc", "3000", "", "-5", str(10**20)])
def test_a_year_outside_the_range_shows_the_default_year(benxi, client_of, asked):
    response = client_of(benxi["staff"]).get(URL, {"year": asked})
    assert response.status_code == 200
    assert response.context["year"] == summary.default_year()


def test_a_year_in_the_range_is_shown(benxi, client_of):
    response = client_of(benxi["staff"]).get(URL, {"year": "2021"})
    assert response.context["year"] == 2021
    assert '<option value="2021" selected>' in response.content.decode()


def test_city_staff_land_on_the_dashboard_with_the_work_queue_one_click_away():
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "city", "password": "fushun-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == URL
    html = response.content.decode()
    assert response.context["region"].name == "抚顺市"
    assert f'href="{reverse("reports:home")}"' in html
    menu = [item["url"] for item in response.context["nav_items"]]
    assert menu[:2] == [reverse("reports:home"), URL]


@pytest.mark.parametrize("username", ["xinbin", "yongling", "admin"])
def test_other_roles_reach_their_dashboard_from_the_menu(client_of, username):
    client = client_of(username)
    home = client.get("/")
    assert URL in [item["url"] for item in home.context["nav_items"]]
    assert client.get(URL).status_code == 200


def test_the_query_count_does_not_grow_with_the_candidates(benxi, client_of):
    """The same number of queries with 100 and with 10,000 more active candidates (issue 10)."""
    client = client_of(benxi["staff"])
    village = benxi["villages"][0]
    template = CandidateFactory.build(village=village, active=True, id_number="x")
    fields = {
        f.attname: getattr(template, f.attname) for f in Candidate._meta.concrete_fields if not f.primary_key
    }

    def add(first: int, count: int):
        people = []
        for n in range(first, first + count):
            born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 500)
            number = synthetic_id_number("210502", born, n % 500, True)
            people.append(
                Candidate(**(fields | {"name": f"批量{n}", "id_number": number, "birth_date": born}))
            )
        Candidate.objects.bulk_create(people, batch_size=2000)
        rollups.refresh([village.pk])  # bulk writes send no signals

    start = int(tile(page(english(client)), "active")[0].replace(",", ""))
    add(0, 100)
    with CaptureQueriesContext(connection) as few:
        hundred = int(tile(page(english(client)), "active")[0].replace(",", ""))
    add(100, 9900)
    with CaptureQueriesContext(connection) as more:
        thousands = int(tile(page(english(client)), "active")[0].replace(",", ""))
    assert (hundred, thousands) == (start + 100, start + 10_000)
    assert len(more.captured_queries) == len(few.captured_queries)
