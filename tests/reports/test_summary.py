"""summary.json (DESIGN §9): the figures of a region and year, from the records, through the rollups.

A hand-made township of 本溪 whose every figure the test states; the city demo reproducing DESIGN §1;
who may ask for what; and the query count, which does not grow with the candidates.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.choices import CertificationState, EliminationState, PromotionState, Status
from candidates.models import Candidate, Certification, Elimination, Promotion
from mentoring.models import (
    Award,
    CollectiveProject,
    Contribution,
    Course,
    Enrolment,
    MentorAssignment,
    OnlineLearning,
    Support,
)
from reports import rollups, summary
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    CommitteeSeatFactory,
    MentorFactory,
    PairingFactory,
    ReserveFactory,
    StarRatingFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)

pytestmark = pytest.mark.django_db

YEAR = summary.default_year()


def day(year, month=6, d=15):
    return datetime.date(year, month, d)


def moment(year, month=6, d=15):
    return timezone.make_aware(datetime.datetime(year, month, d, 10))


@pytest.fixture
def township():
    """A township of 本溪 with two villages, 甲村 and 乙村, and every kind of record, written one by one
    (each write keeps the rollups current): the figures below are counted by hand."""
    region = benxi_township(7)
    official = UserFactory(jurisdiction=region)
    a, b = VillageFactory(township=region), VillageFactory(township=region)
    # Active: three in 甲村 (two wealth-creators, one Party member), one revitalization leader in 乙村.
    wc1 = CandidateFactory(village=a, active=True, source="veteran")
    wc2 = CandidateFactory(village=a, active=True)
    pm = CandidateFactory(village=a, active=True, stage="party_member")
    leader = CandidateFactory(village=b, active=True, stage="revitalization_leader")
    # Certifications: one at step 2, one at step 6 past its due date, one rejected this year.
    CertificationFactory(step=2, candidate__village=a)
    late = CertificationFactory(step=6, candidate__village=b)
    late.step_due_on = timezone.localdate() - datetime.timedelta(days=1)
    late.save()
    CertificationFactory(
        candidate__village=a,
        candidate__status=Status.REJECTED,
        state=CertificationState.REJECTED,
        finished_at=moment(YEAR),
    )
    # Eliminations: one within the five years, one before them, one proposed only.
    for when in (moment(YEAR - 1), moment(YEAR - 6)):
        gone = CandidateFactory(village=a, status=Status.ELIMINATED, stage="wealth_creator")
        Elimination.objects.create(
            candidate=gone,
            reason="moved_away",
            details="迁出",
            state=EliminationState.APPROVED,
            proposed_by=official,
            decided_at=when,
        )
    Elimination.objects.create(candidate=wc2, reason="moved_away", details="拟迁出", proposed_by=official)
    Promotion.objects.create(
        candidate=leader,
        from_stage="village_leader",
        to_stage="revitalization_leader",
        evidence="领办合作社",
        state=PromotionState.APPROVED,
        proposed_by=official,
        decided_at=moment(YEAR),
    )
    # Committees of 甲村: two seats now (one a wealth-creator candidate), one whose term ended.
    CommitteeSeatFactory(village=a, candidate=wc1, is_wealth_creator=True)
    CommitteeSeatFactory(village=a, is_wealth_creator=False)
    CommitteeSeatFactory(village=a, term_end=day(YEAR - 1))
    ReserveFactory(village=a, candidate=pm)
    ReserveFactory(village=b, candidate=leader, status="proposed")  # not standing yet
    mentor = MentorFactory()
    for person in (wc1, pm, leader):
        MentorAssignment.objects.create(candidate=person, mentor=mentor)
    StarRatingFactory(village=a, year=YEAR, stars=5)
    StarRatingFactory(village=b, year=YEAR, stars=3)
    StarRatingFactory(village=b, year=YEAR - 1, stars=4)
    PairingFactory(village=a)
    CollectiveProject.objects.create(
        candidate=wc1,
        village=a,
        name="合作社",
        amount=Decimal(50000),
        start_date=day(YEAR),
        recorded_by=official,
    )
    for kind, count, when in (
        ("households_helped", 30, day(YEAR - 2)),
        ("service_items", 5, day(YEAR)),
        ("service_items", 7, day(YEAR - 1)),
        ("problems_solved", 4, day(YEAR)),
    ):
        Contribution.objects.create(candidate=wc1, kind=kind, count=count, date=when, recorded_by=official)
    for person, when in ((wc1, day(YEAR, 3)), (wc1, day(YEAR, 9)), (pm, day(YEAR - 1))):
        Award.objects.create(candidate=person, title="优秀", level="county", date=when, recorded_by=official)
    course = Course.objects.create(
        name="头雁班",
        organiser="浙江大学",
        level="university",
        start_date=day(YEAR),
        end_date=day(YEAR, 7),
        hours=Decimal(40),
        created_by=official,
    )
    Enrolment.objects.create(course=course, candidate=leader, enrolled_by=official)
    for person in (wc1, leader):
        OnlineLearning.objects.create(
            candidate=person, month=day(YEAR, 3, 1), hours=Decimal(6), imported_by=official
        )
    OnlineLearning.objects.create(candidate=pm, month=day(YEAR, 3, 1), hours=Decimal(0), imported_by=official)
    for kind, values in (
        ("loan", {"amount": Decimal(100000)}),
        ("land", {"area": Decimal("12.5")}),
        ("project", {"project": "大棚"}),
    ):
        Support.objects.create(
            candidate=pm, kind=kind, date=day(YEAR), granted_by="农商行", recorded_by=official, **values
        )
    return region


EXPECTED = {
    "candidates": {
        "active": 4,
        "by_stage": {
            "wealth_creator": 2,
            "party_member": 1,
            "member_wealth_creator": 0,
            "village_cadre": 0,
            "village_leader": 0,
            "revitalization_leader": 1,
        },
        "eliminated_last_5_years": 1,
        "in_village_committees": 1,
        "committee_reserves": 1,
        "without_mentor": 1,
    },
    "certification": {
        "in_progress_by_step": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "6": 1, "7": 0},
        "overdue": 1,
        "rejected": 1,
    },
    "villages": {
        "total": 2,
        "four_star_plus": 1,
        "four_star_plus_share": 0.5,
        "committee_members": 2,
        "committee_wealth_creator_share": 0.5,
        "meeting_reserve_target": 0,
        "paired": 1,
    },
    "contributions": {
        "collective_projects": 1,
        "households_helped": 30,
        "service_items": 5,
        "problems_solved": 4,
        "awarded_candidates": 1,
    },
    "training": {"university_trainees": 1, "online_learning_rate": 0.5},
    "support": {"loans_yuan": 100000, "land_transfer_mu": 12.5, "projects": 1},
}


def test_every_figure_of_a_hand_made_township(township, client_of):
    county = UserFactory(county_reviewer=True)
    response = client_of(county).get(reverse("reports:summary"), {"region": township.code, "year": YEAR})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["region"] == {"code": township.code, "name": township.name, "level": "township"}
    assert data["year"] == YEAR
    for group, figures in EXPECTED.items():
        for key, expected in figures.items():
            assert data[group][key] == expected, f"{group}.{key}"
    # The programme's catalogue of policies is the same for every region.
    from mentoring.models import Policy

    assert data["support"]["policies"] == Policy.objects.in_force().count()


def test_the_year_scopes_the_yearly_figures(township):
    earlier = summary.summary(region=township, year=YEAR - 1)
    assert earlier["contributions"]["service_items"] == 7
    assert earlier["contributions"]["awarded_candidates"] == 1
    assert earlier["villages"]["four_star_plus"] == 1  # 乙村's four stars of that year
    assert earlier["certification"]["rejected"] == 0
    assert earlier["candidates"]["eliminated_last_5_years"] == 1
    assert summary.summary(region=township, year=YEAR + 5)["candidates"]["eliminated_last_5_years"] == 0


def test_a_certification_due_today_is_overdue_tomorrow_without_any_write(township, monkeypatch):
    """The overdue count moves with the calendar alone: the rollups hold the due dates, the report
    compares them with today when it reads them."""
    on_time = Certification.objects.get(candidate__village__region__parent=township, step=2)
    today = timezone.localdate()
    on_time.step_due_on = today
    on_time.save()
    overdue = summary.summary(region=township, year=YEAR)["certification"]["overdue"]
    assert overdue == 1  # the fixture's late one
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert summary.summary(region=township, year=YEAR)["certification"]["overdue"] == 2
    assert summary.summary(region=township.parent.parent, year=YEAR)["certification"]["overdue"] == 2


def test_a_change_through_a_service_changes_the_figure(township):
    from candidates import services

    county = UserFactory(county_reviewer=True)
    before = summary.summary(region=township, year=YEAR)["candidates"]
    person = Candidate.objects.filter(village__region__parent=township, status=Status.ACTIVE).first()
    official = UserFactory(jurisdiction=township)
    elimination = services.elimination_propose(
        by=official, candidate=person, reason="moved_away", details="迁出"
    )
    services.elimination_decide(
        by=county, elimination=elimination, approve=True, opinion="同意", expected_state=elimination.state
    )
    after = summary.summary(region=township, year=timezone.localdate().year)["candidates"]
    assert after["active"] == before["active"] - 1
    assert summary.summary(region=township.parent, year=YEAR)["candidates"]["active"] == before["active"] - 1


def test_the_city_demo_reproduces_the_figures_the_city_reports(client_of):
    response = client_of("city").get(reverse("reports:summary"), {"region": "210400000000"})
    data = json.loads(response.content)
    assert data["year"] == YEAR
    figures = (
        data["candidates"]["active"],
        data["candidates"]["by_stage"]["revitalization_leader"],
        data["candidates"]["eliminated_last_5_years"],
        data["candidates"]["in_village_committees"],
        data["villages"]["committee_wealth_creator_share"],
        data["villages"]["four_star_plus"],
        round(data["villages"]["four_star_plus_share"], 2),
        data["candidates"]["committee_reserves"],
        data["contributions"]["collective_projects"],
        data["contributions"]["households_helped"],
        data["contributions"]["service_items"],
        data["contributions"]["problems_solved"],
        data["contributions"]["awarded_candidates"],
        data["training"]["university_trainees"],
        data["training"]["online_learning_rate"],
        data["support"]["policies"],
        data["support"]["loans_yuan"],
        data["support"]["land_transfer_mu"],
        data["support"]["projects"],
        data["villages"]["paired"],
    )
    # DESIGN §1, in its order.
    assert figures == (
        5601,
        23,
        217,
        1958,
        0.892,
        541,
        0.93,
        2134,
        242,
        41000,
        6841,
        13000,
        600,
        95,
        1.0,
        12,
        130_000_000,
        5503,
        972,
        582,
    )


def test_the_figures_of_the_counties_add_up_to_the_city(demo_user):
    city = demo_user("city")
    region = city.jurisdiction
    total = summary.summary(region=region, year=YEAR)
    counties = summary.child_summaries(region=region, year=YEAR, user=city)
    assert len(counties) == 7
    for group, key in (("candidates", "active"), ("villages", "total"), ("contributions", "service_items")):
        assert sum(s[group][key] for _, s in counties) == total[group][key]


@pytest.mark.parametrize(
    ("user", "region", "status"),
    [
        ("yushu", "210400000000", 404),  # a township official asking for the city
        ("xinbin", "210423000000", 404),  # a county asking for its neighbour
        ("xinbin", "999900000000", 404),
        ("mentor", "210422000000", 403),
        ("xinbin", "210422000000", 200),
        ("city", "210422000000", 200),
    ],
)
def test_who_may_ask_for_which_region(user, region, status, client_of):
    assert client_of(user).get(reverse("reports:summary"), {"region": region}).status_code == status


def test_without_a_region_the_users_own_and_without_a_login_the_login_page(client_of):
    data = json.loads(client_of("yushu").get(reverse("reports:summary")).content)
    assert data["region"]["name"] == "榆树乡"
    assert client_of(None).get(reverse("reports:summary")).status_code == 302


@pytest.mark.parametrize("year", ["abc", "-5", "99999", "1.5", "1999"])
def test_a_year_that_is_not_one_is_refused_in_chinese(year, client_of):
    response = client_of("city").get(reverse("reports:summary"), {"year": year})
    assert response.status_code == 400
    assert "年份" in json.loads(response.content)["error"]


def test_the_query_count_does_not_grow_with_the_candidates(township, client_of):
    county = UserFactory(county_reviewer=True)
    client = client_of(county)
    url = reverse("reports:summary")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"region": township.code}).status_code == 200
        return len(captured)

    few = queries()
    village = VillageFactory(township=township)
    people = [
        CandidateFactory.build(village=village, active=True, id_number=f"21050219800101{n:03d}X")
        for n in range(300)
    ]
    Candidate.objects.bulk_create(people)
    rollups.refresh([village.pk])
    assert summary.summary(region=township, year=YEAR)["candidates"]["active"] == 304
    assert queries() == few


def test_villages_meeting_the_reserve_target_are_those_the_village_list_marks(demo_user):
    # Each village counted once, however many reserves it has (a join on them counted 1,699 of 582).
    from villages.selectors import village_list

    city = demo_user("city")
    meeting = village_list(user=city, year=None).filter(meets_reserve_target=True).count()
    figures = summary.summary(region=city.jurisdiction, year=YEAR)["villages"]
    assert 0 < figures["meeting_reserve_target"] == meeting < figures["total"]
