"""Contributions: collective-economy projects, counted contributions and awards. The services' rules, who
records for whom, what each user sees, the figures of a region and year and the lists behind them, the
pages' query counts and the exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidates.models import Candidate
from config.workflows import NotVisible
from mentoring.models import Award, CollectiveProject, Contribution
from mentoring.selectors.contributions import (
    candidate_contributions,
    contribution_events,
    contribution_figures,
)
from mentoring.services.contributions import award_record, collective_project_record, contribution_record
from tests.factories import CandidateFactory, UserFactory, VillageFactory
from villages.models import Region, Village

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = datetime.date(TODAY.year, 1, 1)
LAST_YEAR = datetime.date(TODAY.year - 1, 7, 1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def _active(user) -> Candidate:
    """An active candidate `user` may see."""
    return Candidate.objects.visible_to(user).filter(status="active").order_by("pk").first()


def _counts() -> tuple[int, int, int]:
    return CollectiveProject.objects.count(), Contribution.objects.count(), Award.objects.count()


@pytest.fixture
def benxi():
    """A township official and city staff of 本溪 (outside the demo), and a village there."""
    return {"township": UserFactory(), "city": UserFactory(city_staff=True), "village": VillageFactory()}


# The services -----------------------------------------------------------------------------------------


def test_a_township_official_records_a_project_a_contribution_and_an_award(demo_user):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    project = collective_project_record(
        by=yushu,
        candidate=candidate,
        village=candidate.village,
        name=" 村集体蓝莓基地 ",
        amount=Decimal("450000"),
        start_date=THIS_YEAR,
    )
    record = contribution_record(by=yushu, candidate=candidate, kind="service_items", count=3, date=THIS_YEAR)
    award = award_record(by=yushu, candidate=candidate, title="优秀党员", level="county", date=THIS_YEAR)
    assert project.name == "村集体蓝莓基地"
    for saved in (project, record, award):
        assert saved.recorded_by == yushu and saved.history.get().history_user == yushu


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_date": TOMORROW}, "start_date"),
        ({"name": " "}, "name"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("1e15")}, "amount"),
        ({"name": "项" * 101}, "name"),
    ],
)
def test_the_project_service_refuses_bad_input_and_writes_nothing(demo_user, fields, field):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    data = {"village": candidate.village, "name": "大棚", "amount": Decimal(1000), "start_date": THIS_YEAR}
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        collective_project_record(by=yushu, candidate=candidate, **data | fields)
    assert field in refused.value.message_dict
    assert _counts() == before


def test_a_project_in_a_village_outside_the_users_jurisdiction_is_refused(demo_user):
    yushu = demo_user("yushu")
    elsewhere = Village.objects.exclude(pk__in=Village.objects.visible_to(yushu)).first()
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        collective_project_record(
            by=yushu,
            candidate=_active(yushu),
            village=elsewhere,
            name="大棚",
            amount=Decimal(1000),
            start_date=THIS_YEAR,
        )
    assert set(refused.value.message_dict) == {"village"}
    assert _counts() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": -3}, "count"),
        ({"kind": "donations"}, "kind"),
        ({"date": TOMORROW}, "date"),
        ({"note": "长" * 201}, "note"),
    ],
)
def test_the_contribution_service_refuses_bad_input_and_writes_nothing(demo_user, fields, field):
    yushu = demo_user("yushu")
    data = {"kind": "problems_solved", "count": 2, "date": THIS_YEAR}
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        contribution_record(by=yushu, candidate=_active(yushu), **data | fields)
    assert field in refused.value.message_dict
    assert _counts() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"title": ""}, "title"), ({"level": "galactic"}, "level"), ({"date": TOMORROW}, "date")],
)
def test_the_award_service_refuses_bad_input_and_writes_nothing(demo_user, fields, field):
    yushu = demo_user("yushu")
    data = {"title": "优秀党员", "level": "township", "date": THIS_YEAR}
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        award_record(by=yushu, candidate=_active(yushu), **data | fields)
    assert field in refused.value.message_dict
    assert _counts() == before


def _calls(candidate):
    """Each service called for `candidate` with valid data, and its entry page."""
    return [
        (
            lambda by: collective_project_record(
                by=by,
                candidate=candidate,
                village=candidate.village,
                name="大棚",
                amount=Decimal(1),
                start_date=THIS_YEAR,
            ),
            "mentoring:collective_project_create",
        ),
        (
            lambda by: contribution_record(
                by=by, candidate=candidate, kind="households_helped", count=1, date=THIS_YEAR
            ),
            "mentoring:contribution_create",
        ),
        (
            lambda by: award_record(by=by, candidate=candidate, title="奖", level="city", date=THIS_YEAR),
            "mentoring:award_create",
        ),
    ]


def test_a_township_official_cannot_record_for_a_candidate_of_another_township(demo_user, client_of):
    yushu = demo_user("yushu")
    other = _active(demo_user("yongling"))
    client = client_of(yushu)
    before = _counts()
    for call, name in _calls(other):
        with pytest.raises(NotVisible):
            call(yushu)
        url = reverse(name, args=[other.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"title": "奖", "level": "city", "date": THIS_YEAR.isoformat()}).status_code
            == 404
        )
    assert _counts() == before


@pytest.mark.parametrize("username", ["mentor", "city", "admin"])
def test_who_is_not_a_township_or_county_official_may_not_record(demo_user, client_of, username):
    user = demo_user(username)
    candidate = _active(demo_user("mentor"))
    for call, name in _calls(candidate):
        with pytest.raises(PermissionDenied):
            call(user)
        assert client_of(user).get(reverse(name, args=[candidate.pk])).status_code == 403


def test_the_entry_pages_record_and_go_back_to_the_person(demo_user, client_of):
    candidate = _active(demo_user("yongling"))
    client = client_of("xinbin")
    day = THIS_YEAR.isoformat()
    for name, data, model in (
        (
            "mentoring:collective_project_create",
            {"name": "合作社", "village": candidate.village_id, "amount": "1000", "start_date": day},
            CollectiveProject,
        ),
        ("mentoring:contribution_create", {"kind": "service_items", "count": "4", "date": day}, Contribution),
        ("mentoring:award_create", {"title": "劳动模范", "level": "provincial", "date": day}, Award),
    ):
        url = reverse(name, args=[candidate.pk])
        assert client.get(url).status_code == 200
        before = model.objects.filter(candidate=candidate).count()
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == candidate.get_absolute_url(), name
        assert model.objects.filter(candidate=candidate).count() == before + 1


def test_the_project_page_offers_the_users_villages_only_and_the_persons_by_default(demo_user, client_of):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    response = client_of(yushu).get(reverse("mentoring:collective_project_create", args=[candidate.pk]))
    field = response.context["form"].fields["village"]
    assert set(field.queryset.values_list("pk", flat=True)) == set(
        Village.objects.visible_to(yushu).values_list("pk", flat=True)
    )
    assert response.context["form"]["village"].value() == candidate.village_id


def test_a_count_below_one_is_a_form_error_and_writes_nothing(demo_user, client_of):
    candidate = _active(demo_user("yushu"))
    before = _counts()
    response = client_of("yushu").post(
        reverse("mentoring:contribution_create", args=[candidate.pk]),
        {"kind": "service_items", "count": "0", "date": THIS_YEAR.isoformat()},
    )
    assert response.status_code == 200 and "count" in response.context["form"].errors
    assert _counts() == before


# What each user sees ------------------------------------------------------------------------------------


def test_a_mentor_sees_only_their_mentees_contributions(demo_user, client_of):
    mentor, xinbin = demo_user("mentor"), demo_user("xinbin")
    mentees = set(Candidate.objects.visible_to(mentor).values_list("pk", flat=True))
    mentee = _active(mentor)
    other = Candidate.objects.visible_to(xinbin).filter(status="active").exclude(pk__in=mentees).first()
    for person in (mentee, other):
        for call, _name in _calls(person):
            call(xinbin)
    client = client_of(mentor)
    for name in ("mentoring:collective_project_list", "mentoring:contribution_list", "mentoring:award_list"):
        rows = _list_rows(client, name, per_page=200)
        people = {row.candidate_id for row in rows}
        assert mentee.pk in people and other.pk not in people, name
        assert people <= mentees, name


# Figures and the lists behind them ------------------------------------------------------------------------


@pytest.fixture
def spread(demo_user):
    """Projects, contributions of each kind (this year and last) and awards for people of several
    townships and counties; one person with two awards this year."""
    recorder = demo_user("admin")
    people = [_active(demo_user(name)) for name in ("yushu", "yongling", "mentor", "qianjin", "qingyuan")]
    for n, person in enumerate(people, start=1):
        common = {"candidate": person, "recorded_by": recorder}
        CollectiveProject.objects.create(
            village=person.village, name=f"集体项目{n}", amount=1000 * n, start_date=LAST_YEAR, **common
        )
        for kind in ("households_helped", "service_items", "problems_solved"):
            Contribution.objects.create(kind=kind, count=n, date=THIS_YEAR, **common)
            Contribution.objects.create(kind=kind, count=10 * n, date=LAST_YEAR, **common)
        Award.objects.create(title="优秀致富带头人", level="county", date=THIS_YEAR, **common)
        Award.objects.create(title="劳动模范", level="city", date=THIS_YEAR, **common)
        Award.objects.create(title="往年奖项", level="city", date=LAST_YEAR, **common)
    return people


def _list_rows(client, name, **query) -> list:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return list(response.context["filter"].qs)


def _sum(client, kind, **query) -> int:
    """The counts of the contribution list's rows of `kind`, filtered by `query`."""
    rows = _list_rows(client, "mentoring:contribution_list", kind=kind, **query)
    assert all(r.kind == kind for r in rows)
    return sum(r.count for r in rows)


def _regions(user) -> list:
    """None (all the user sees), the user's own region, and 新宾 (a county)."""
    regions = [None]
    if user.jurisdiction_id:
        regions.append(user.jurisdiction)
    regions.append(Region.objects.get(code="210422000000"))
    return regions


@pytest.mark.parametrize("username", ["city", "xinbin", "yushu", "mentor"])
def test_the_contribution_figures_are_the_sums_of_the_rows_of_the_lists(
    spread, demo_user, client_of, username
):
    user = demo_user(username)
    client = client_of(user)
    year = TODAY.year
    for region in _regions(user):
        figures = contribution_figures(user=user, year=year, region=region)
        where = {"region": region.code} if region else {}
        projects = _list_rows(client, "mentoring:collective_project_list", **where)
        awards = _list_rows(client, "mentoring:award_list", year=year, **where)
        assert figures == {
            "collective_projects": len(projects),
            "households_helped": _sum(client, "households_helped", **where),
            "service_items": _sum(client, "service_items", year=year, **where),
            "problems_solved": _sum(client, "problems_solved", year=year, **where),
            "awarded_candidates": len({a.candidate_id for a in awards}),
        }, (username, region)
    everything = contribution_figures(user=user, year=year)
    assert everything["awarded_candidates"] >= 1 and everything["households_helped"] > 0


def test_figures_of_another_year_count_that_years_records(spread, demo_user):
    city = demo_user("city")
    this = contribution_figures(user=city, year=TODAY.year)
    last = contribution_figures(user=city, year=TODAY.year - 1)
    assert last["households_helped"] == this["households_helped"]  # all time
    assert last["service_items"] >= 10 * sum(range(1, 6))


def test_the_lists_show_their_sums(spread, client_of):
    client = client_of("city")
    response = client.get(reverse("mentoring:contribution_list"), {"year": TODAY.year})
    rows = list(response.context["filter"].qs)
    totals = response.context["totals"]
    assert totals["records"] == len(rows)
    assert totals["service_items"] == sum(r.count for r in rows if r.kind == "service_items")
    awards = client.get(reverse("mentoring:award_list"), {"year": TODAY.year, "level": "city"})
    rows = list(awards.context["filter"].qs)
    assert awards.context["totals"] == {
        "awards": len(rows),
        "awarded_candidates": len({r.candidate_id for r in rows}),
    }
    projects = client.get(reverse("mentoring:collective_project_list"), {"year": TODAY.year - 1})
    rows = list(projects.context["filter"].qs)
    assert rows and all(p.start_date.year == TODAY.year - 1 for p in rows)
    assert projects.context["totals"]["amount"] == sum(p.amount for p in rows)


# Query counts and the exports ---------------------------------------------------------------------------


def _fill(benxi, count: int) -> None:
    by = benxi["township"]
    for n in range(count):
        person = CandidateFactory(village=benxi["village"], active=True)
        common = {"candidate": person, "recorded_by": by}
        CollectiveProject.objects.create(
            village=benxi["village"], name=f"本溪项目{n}", amount=100, start_date=THIS_YEAR, **common
        )
        Contribution.objects.create(kind="service_items", count=n + 1, date=THIS_YEAR, **common)
        Award.objects.create(title=f"本溪奖项{n}", level="township", date=THIS_YEAR, **common)


def _queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


LISTS = ["mentoring:collective_project_list", "mentoring:contribution_list", "mentoring:award_list"]


@pytest.mark.parametrize("name", LISTS)
def test_the_list_costs_the_same_queries_for_10_and_60_rows(
    benxi, client_of, name, django_assert_max_num_queries
):
    client = client_of(benxi["city"])
    _fill(benxi, 10)
    ten = _queries(client, reverse(name), per_page=100)
    _fill(benxi, 50)
    with django_assert_max_num_queries(ten):
        _queries(client, reverse(name), per_page=100)
    with django_assert_max_num_queries(ten):
        _queries(client, reverse(name), per_page=100, year=TODAY.year, sort="-candidate")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("mentoring:collective_project_export", CollectiveProject),
        ("mentoring:contribution_export", Contribution),
        ("mentoring:award_export", Award),
    ],
)
def test_each_export_opens_and_holds_the_rows_of_its_list(benxi, client_of, name, model):
    _fill(benxi, 4)
    client = client_of(benxi["city"])
    rows = _sheet(client.get(reverse(name)))
    assert len(rows) == 1 + 4
    names = set(
        model.objects.filter(candidate__village=benxi["village"]).values_list("candidate__name", flat=True)
    )
    assert names <= {cell for row in rows[1:] for cell in row}
    assert len(_sheet(client.get(reverse(name), {"year": 1999}))) == 1


def test_the_contribution_export_keeps_the_lists_filters(benxi, client_of):
    _fill(benxi, 3)
    Contribution.objects.create(
        candidate=CandidateFactory(village=benxi["village"], active=True),
        kind="households_helped",
        count=7,
        date=LAST_YEAR,
        recorded_by=benxi["township"],
    )
    client = client_of(benxi["city"])
    assert (
        len(_sheet(client.get(reverse("mentoring:contribution_export"), {"kind": "households_helped"}))) == 2
    )
    assert len(_sheet(client.get(reverse("mentoring:contribution_export"), {"year": TODAY.year}))) == 4


# The candidate's page and timeline ---------------------------------------------------------------------


def test_the_candidates_section_adds_up_by_year_and_offers_recording_to_who_may(demo_user):
    xinbin = demo_user("xinbin")
    candidate = _active(demo_user("yongling"))
    before = candidate_contributions(candidate=candidate, user=xinbin)["totals"]
    contribution_record(by=xinbin, candidate=candidate, kind="households_helped", count=4, date=THIS_YEAR)
    contribution_record(by=xinbin, candidate=candidate, kind="households_helped", count=6, date=LAST_YEAR)
    award_record(by=xinbin, candidate=candidate, title="优秀党员", level="county", date=THIS_YEAR)
    section = candidate_contributions(candidate=candidate, user=xinbin)
    assert section["totals"]["households_helped"] == before["households_helped"] + 10
    assert section["totals"]["awards"] == before["awards"] + 1
    years = {row["year"]: row for row in section["by_year"]}
    assert years[TODAY.year]["households_helped"] >= 4 and years[TODAY.year - 1]["households_helped"] >= 6
    for key in ("households_helped", "service_items", "problems_solved", "awards", "collective_projects"):
        assert sum(row[key] for row in section["by_year"]) == section["totals"][key]
    assert section["can_record"] is True
    page = render_to_string("mentoring/includes/candidate_contributions.html", {"contributions": section})
    assert reverse("mentoring:award_create", args=[candidate.pk]) in page
    mentor_view = candidate_contributions(candidate=_active(demo_user("mentor")), user=demo_user("mentor"))
    assert mentor_view["can_record"] is False
    page = render_to_string("mentoring/includes/candidate_contributions.html", {"contributions": mentor_view})
    assert "/new/" not in page


def test_the_timeline_shows_projects_contributions_and_awards_on_their_dates(demo_user):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    collective_project_record(
        by=yushu,
        candidate=candidate,
        village=candidate.village,
        name="时间线项目",
        amount=1,
        start_date=LAST_YEAR,
    )
    contribution_record(by=yushu, candidate=candidate, kind="problems_solved", count=9, date=THIS_YEAR)
    award_record(by=yushu, candidate=candidate, title="时间线奖项", level="national", date=THIS_YEAR)
    events = contribution_events(candidate=candidate)
    kinds = {e.kind for e in events}
    assert {"collective_project", "contribution", "award"} <= kinds
    project = next(e for e in events if "时间线项目" in e.title)
    assert project.date_only and timezone.localdate(project.when) == LAST_YEAR and project.who == yushu
    assert any("时间线奖项" in e.title for e in events)


def test_contribution_events_cost_three_queries(demo_user, django_assert_num_queries):
    candidate = _active(demo_user("yushu"))
    with django_assert_num_queries(3):
        contribution_events(candidate=candidate)
