"""Support (扶持): the service's rules, who records for whom, what each user sees, the figures and the
lists behind them, the pages' query counts and the export."""

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

from accounts.models import User
from candidates.models import Candidate, PersonalDataView
from config.forms import field_label
from config.workflows import NotVisible
from mentoring.models import Policy, Support
from mentoring.selectors.support import candidate_support, support_events, support_figures
from mentoring.services.support import support_record
from tests.factories import CandidateFactory, UserFactory, VillageFactory
from villages.models import Region

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = datetime.date(TODAY.year, 1, 1)


def _active(user) -> Candidate:
    """An active candidate `user` may see."""
    return Candidate.objects.visible_to(user).filter(status="active").order_by("pk").first()


@pytest.fixture
def policy():
    return Policy.objects.create(name="测试贷款贴息政策")


@pytest.fixture
def benxi():
    """A township official and city staff of 本溪 (outside the demo), and an active candidate there."""
    village = VillageFactory()
    return {
        "township": UserFactory(),
        "city": UserFactory(city_staff=True),
        "village": village,
        "candidate": CandidateFactory(village=village, active=True),
    }


def _loan(**fields) -> dict:
    return {"kind": "loan", "amount": Decimal("50000"), "date": THIS_YEAR, "granted_by": "农商银行"} | fields


# The service ------------------------------------------------------------------------------------------


def test_a_township_official_records_a_loan_with_its_history(demo_user):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    support = support_record(by=yushu, candidate=candidate, **_loan(note=" 用于扩大种植 "))
    assert support.recorded_by == yushu and support.note == "用于扩大种植"
    assert support.history.get().history_user == yushu


def test_a_county_reviewer_records_a_policy_a_land_transfer_and_a_project(demo_user, policy):
    xinbin = demo_user("xinbin")
    candidate = _active(demo_user("yushu"))
    common = {"date": THIS_YEAR, "granted_by": "新宾县农业农村局"}
    support_record(by=xinbin, candidate=candidate, kind="policy", policy=policy, **common)
    support_record(by=xinbin, candidate=candidate, kind="land", area=Decimal("12.5"), **common)
    support_record(by=xinbin, candidate=candidate, kind="project", project="食用菌大棚", **common)
    assert set(Support.objects.filter(candidate=candidate).values_list("kind", flat=True)) >= {
        "policy",
        "land",
        "project",
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "policy", "amount": None}, "policy"),
        ({"amount": None}, "amount"),
        ({"kind": "land", "amount": None}, "area"),
        ({"kind": "project", "amount": None}, "project"),
        ({"kind": "grant"}, "kind"),
        ({"area": Decimal("3")}, "area"),
        ({"project": "大棚"}, "project"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": Decimal("1e15")}, "amount"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
        ({"granted_by": "  "}, "granted_by"),
        ({"note": "长" * 201}, "note"),
    ],
)
def test_the_service_refuses_bad_input_field_by_field_and_writes_nothing(demo_user, fields, field):
    yushu = demo_user("yushu")
    before = Support.objects.count()
    with pytest.raises(ValidationError) as refused:
        support_record(by=yushu, candidate=_active(yushu), **_loan(**fields))
    assert field in refused.value.message_dict
    assert Support.objects.count() == before


def test_a_policy_out_of_force_is_refused(demo_user, policy):
    policy.active = False
    policy.save()
    yushu = demo_user("yushu")
    with pytest.raises(ValidationError) as refused:
        support_record(
            by=yushu, candidate=_active(yushu), kind="policy", policy=policy, date=THIS_YEAR, granted_by="县"
        )
    assert "policy" in refused.value.message_dict


def test_a_township_official_cannot_record_for_a_candidate_of_another_township(demo_user, client_of):
    other = _active(demo_user("yongling"))
    before = Support.objects.count()
    with pytest.raises(NotVisible):
        support_record(by=demo_user("yushu"), candidate=other, **_loan())
    client = client_of("yushu")
    url = reverse("mentoring:support_create", args=[other.pk])
    assert client.get(url).status_code == 404
    data = {"kind": "loan", "amount": "5000", "date": THIS_YEAR.isoformat(), "granted_by": "银行"}
    assert client.post(url, data).status_code == 404
    assert Support.objects.count() == before


@pytest.mark.parametrize("username", ["mentor", "city", "admin"])
def test_who_is_not_a_township_or_county_official_may_not_record(demo_user, client_of, username):
    user = demo_user(username)
    candidate = _active(demo_user("mentor"))
    with pytest.raises(PermissionDenied):
        support_record(by=user, candidate=candidate, **_loan())
    assert client_of(user).get(reverse("mentoring:support_create", args=[candidate.pk])).status_code == 403


def test_the_entry_page_records_and_goes_back_to_the_person(demo_user, client_of):
    candidate = _active(demo_user("yushu"))
    url = reverse("mentoring:support_create", args=[candidate.pk])
    client = client_of("yushu")
    assert client.get(url).status_code == 200
    data = {"kind": "loan", "amount": "80000", "date": THIS_YEAR.isoformat(), "granted_by": "农商银行"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == candidate.get_absolute_url()
    assert Support.objects.filter(candidate=candidate, amount=80000, recorded_by__username="yushu").exists()


def test_the_entry_page_shows_the_services_refusal_under_the_field(demo_user, client_of):
    candidate = _active(demo_user("yushu"))
    before = Support.objects.count()
    response = client_of("yushu").post(
        reverse("mentoring:support_create", args=[candidate.pk]),
        {"kind": "land", "amount": "100", "date": THIS_YEAR.isoformat(), "granted_by": "乡政府"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"area", "amount"}
    assert Support.objects.count() == before


# What each user sees ------------------------------------------------------------------------------------


def test_a_mentor_sees_only_their_mentees_support(demo_user, client_of):
    mentor, xinbin = demo_user("mentor"), demo_user("xinbin")
    mentee = _active(mentor)
    other = (
        Candidate.objects.visible_to(xinbin)
        .filter(status="active")
        .exclude(pk__in=Candidate.objects.visible_to(mentor))
        .first()
    )
    mine = support_record(by=xinbin, candidate=mentee, **_loan(granted_by="甲银行"))
    theirs = support_record(by=xinbin, candidate=other, **_loan(granted_by="乙银行"))
    visible = set(Support.objects.visible_to(mentor).values_list("pk", flat=True))
    assert mine.pk in visible and theirs.pk not in visible
    response = client_of(mentor).get(reverse("mentoring:support_list"), {"per_page": 200})
    rows = list(response.context["filter"].qs)
    assert mine in rows and theirs not in rows
    assert {row.candidate_id for row in rows} <= set(
        Candidate.objects.visible_to(mentor).values_list("pk", flat=True)
    )


def test_the_policy_catalogue_is_read_by_everyone_signed_in(client_of, policy):
    Policy.objects.create(name="已废止的测试政策", active=False)
    for username in ("mentor", "qianjin", "city"):
        page = client_of(username).get(reverse("mentoring:policy_list"), {"per_page": 200})
        assert page.status_code == 200
        names = {p.name for p in page.context["filter"].qs}
        assert {"测试贷款贴息政策", "已废止的测试政策"} <= names
    out_of_force = client_of("city").get(reverse("mentoring:policy_list"), {"active": "0"})
    assert {p.name for p in out_of_force.context["filter"].qs} >= {"已废止的测试政策"}
    assert all(not p.active for p in out_of_force.context["filter"].qs)


# Figures and the lists behind them ------------------------------------------------------------------------


@pytest.fixture
def spread(demo_user, policy):
    """Support of every kind for people of several townships and counties, and one dated last year."""
    recorder = demo_user("admin")
    people = [_active(demo_user(name)) for name in ("yushu", "yongling", "mentor", "qianjin", "qingyuan")]
    last_year = datetime.date(TODAY.year - 1, 6, 1)
    for n, person in enumerate(people, start=1):
        common = {"candidate": person, "recorded_by": recorder, "granted_by": "测试单位"}
        Support.objects.create(kind="loan", amount=Decimal(10000 * n), date=THIS_YEAR, **common)
        Support.objects.create(kind="loan", amount=Decimal("2500.50"), date=last_year, **common)
        Support.objects.create(kind="land", area=Decimal(f"{n}.25"), date=THIS_YEAR, **common)
        Support.objects.create(kind="project", project=f"项目{n}", date=last_year, **common)
        Support.objects.create(kind="policy", policy=policy, date=THIS_YEAR, **common)
    return people


def _list_rows(client, name, **query) -> list:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return list(response.context["filter"].qs)


def _regions(user) -> list:
    """None (all the user sees), the user's own region, and 新宾 (a county) when the user sees it."""
    regions = [None]
    if user.jurisdiction_id:
        regions.append(user.jurisdiction)
    regions.append(Region.objects.get(code="210422000000"))
    return regions


@pytest.mark.parametrize("username", ["city", "xinbin", "yushu", "mentor"])
def test_the_support_figures_are_the_sums_of_the_rows_of_the_list(spread, demo_user, client_of, username):
    user = demo_user(username)
    client = client_of(user)
    for region in _regions(user):
        figures = support_figures(user=user, region=region)
        query = {"region": region.code} if region else {}
        rows = _list_rows(client, "mentoring:support_list", **query)
        assert figures["loans_yuan"] == sum(r.amount for r in rows if r.kind == "loan"), (username, region)
        assert figures["land_transfer_mu"] == sum(r.area for r in rows if r.kind == "land")
        assert figures["projects"] == sum(1 for r in rows if r.kind == "project")
        assert figures["projects"] == len(
            _list_rows(client, "mentoring:support_list", kind="project", **query)
        )
        assert figures["policies"] == Policy.objects.filter(active=True).count()
    assert support_figures(user=user)["loans_yuan"] > 0


def test_a_region_outside_the_users_jurisdiction_adds_up_to_nothing(spread, demo_user):
    figures = support_figures(user=demo_user("qianjin"), region=Region.objects.get(code="210422000000"))
    assert figures["loans_yuan"] == 0 and figures["land_transfer_mu"] == 0 and figures["projects"] == 0


def test_the_list_shows_its_totals_and_a_year_without_records_shows_none(spread, client_of):
    client = client_of("city")
    response = client.get(reverse("mentoring:support_list"), {"year": TODAY.year, "kind": "loan"})
    rows = list(response.context["filter"].qs)
    assert rows and all(r.date.year == TODAY.year and r.kind == "loan" for r in rows)
    assert response.context["totals"]["loans_yuan"] == sum(r.amount for r in rows)
    assert response.context["totals"]["records"] == len(rows)
    assert _list_rows(client, "mentoring:support_list", year=1990) == []


def test_a_search_by_a_whole_id_number_is_logged(spread, demo_user, client_of):
    person = spread[0]
    before = PersonalDataView.objects.filter(candidate=person).count()
    rows = _list_rows(client_of("city"), "mentoring:support_list", q=person.id_number)
    assert rows and {r.candidate_id for r in rows} == {person.pk}
    assert PersonalDataView.objects.filter(candidate=person).count() == before + 1


# Query counts and the export ----------------------------------------------------------------------------


def _fill(benxi, count: int) -> None:
    kinds = [
        {"kind": "loan", "amount": Decimal(1000)},
        {"kind": "land", "area": Decimal(2)},
        {"kind": "project", "project": "项目"},
    ]
    for n in range(count):
        person = CandidateFactory(village=benxi["village"], active=True)
        Support.objects.create(
            candidate=person,
            date=THIS_YEAR,
            granted_by="本溪测试单位",
            recorded_by=benxi["township"],
            **kinds[n % 3],
        )


def _queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["mentoring:support_list", "mentoring:policy_list"])
def test_the_list_costs_the_same_queries_for_10_and_60_rows(
    benxi, client_of, name, django_assert_max_num_queries
):
    client = client_of(benxi["city"])
    _fill(benxi, 10)
    ten = _queries(client, reverse(name), per_page=100)
    _fill(benxi, 50)
    for n in range(50):
        Policy.objects.create(name=f"查询数测试政策{n}")
    with django_assert_max_num_queries(ten):
        _queries(client, reverse(name), per_page=100)
    with django_assert_max_num_queries(ten):
        _queries(client, reverse(name), per_page=100, kind="loan", year=TODAY.year, sort="-amount")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_the_export_opens_and_holds_the_rows_of_the_list(benxi, client_of):
    _fill(benxi, 6)
    client = client_of(benxi["city"])
    rows = _sheet(client.get(reverse("mentoring:support_export")))
    assert len(rows) == 1 + 6
    names = set(
        Support.objects.filter(candidate__village=benxi["village"]).values_list("candidate__name", flat=True)
    )
    assert {row[1] for row in rows[1:]} == names
    loans = _sheet(client.get(reverse("mentoring:support_export"), {"kind": "loan"}))
    amount = loans[0].index(str(field_label(Support, "amount")))
    assert [Decimal(str(row[amount])) for row in loans[1:]] == [Decimal(1000), Decimal(1000)]


def test_an_export_beyond_the_limit_says_so_and_keeps_the_filters(benxi, client_of, settings):
    _fill(benxi, 3)
    settings.EXPORT_MAX_ROWS = 2
    client = client_of(benxi["city"])
    response = client.get(reverse("mentoring:support_export"), {"year": TODAY.year})
    assert response["Content-Type"].startswith("text/html") and response.context["count"] == 3
    assert f'href="{reverse("mentoring:support_list")}?year={TODAY.year}"' in response.content.decode()
    assert len(_sheet(client.get(reverse("mentoring:support_export"), {"kind": "loan"}))) == 1 + 1


def test_user_text_is_exported_as_text_never_a_formula(benxi, client_of):
    Support.objects.create(
        candidate=benxi["candidate"],
        kind="project",
        project='=HYPERLINK("http://x")',
        date=THIS_YEAR,
        granted_by="+本溪",
        recorded_by=benxi["township"],
    )
    rows = _sheet(client_of(benxi["city"]).get(reverse("mentoring:support_export")))
    assert '=HYPERLINK("http://x")' in rows[1] and "+本溪" in rows[1]


def test_the_policy_export_opens_and_holds_the_catalogue(client_of, policy):
    rows = _sheet(client_of("mentor").get(reverse("mentoring:policy_export")))
    assert len(rows) == 1 + Policy.objects.count()
    assert "测试贷款贴息政策" in {row[0] for row in rows[1:]}


# The candidate's page and timeline ---------------------------------------------------------------------


def test_the_candidates_section_adds_up_their_support_and_offers_recording_to_who_may(demo_user, policy):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    support_record(by=yushu, candidate=candidate, **_loan(amount=Decimal("1000.50")))
    support_record(by=yushu, candidate=candidate, **_loan(amount=Decimal("2000")))
    support_record(
        by=yushu, candidate=candidate, kind="land", area=Decimal("3.5"), date=THIS_YEAR, granted_by="乡"
    )
    support_record(
        by=yushu, candidate=candidate, kind="policy", policy=policy, date=THIS_YEAR, granted_by="县"
    )
    section = candidate_support(candidate=candidate, user=yushu)
    totals = section["totals"]
    assert totals["loans_yuan"] >= Decimal("3000.50") and totals["land_transfer_mu"] >= Decimal("3.5")
    assert totals["records"] == len(section["records"]) == Support.objects.filter(candidate=candidate).count()
    assert section["can_record"] is True
    add = reverse("mentoring:support_create", args=[candidate.pk])
    assert add in render_to_string("mentoring/includes/candidate_support.html", {"support": section})
    city_view = candidate_support(candidate=candidate, user=demo_user("city"))
    assert city_view["can_record"] is False
    assert add not in render_to_string("mentoring/includes/candidate_support.html", {"support": city_view})


def test_the_timeline_shows_each_support_on_its_date(demo_user, policy):
    yushu = demo_user("yushu")
    candidate = _active(yushu)
    support_record(
        by=yushu, candidate=candidate, kind="policy", policy=policy, date=THIS_YEAR, granted_by="县"
    )
    events = [e for e in support_events(candidate=candidate) if policy.name in e.details]
    assert len(events) == 1
    event = events[0]
    assert event.date_only and timezone.localdate(event.when) == THIS_YEAR and event.who == yushu
    assert event.kind == "support"


def test_support_events_cost_one_query(demo_user, django_assert_num_queries):
    candidate = _active(demo_user("yushu"))
    recorder = User.objects.get(username="admin")
    for n in range(5):
        Support.objects.create(
            candidate=candidate,
            kind="loan",
            amount=n + 1,
            date=THIS_YEAR,
            granted_by="银行",
            recorded_by=recorder,
        )
    with django_assert_num_queries(1):
        support_events(candidate=candidate)
