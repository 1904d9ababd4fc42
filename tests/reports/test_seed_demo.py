"""`seed_demo` reproduces the figures of DESIGN §1 that the foundation covers, from the records."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from accounts.choices import Role
from accounts.demo import DEMO_USERS
from accounts.models import User
from candidates.choices import Stage, Status
from candidates.models import Candidate, Elimination
from mentoring.models import (
    DIMENSIONS,
    Assessment,
    Award,
    CollectiveProject,
    Contribution,
    Enrolment,
    Mentor,
    MentorAssignment,
    MentoringVisit,
    OnlineLearning,
    Support,
)
from villages.choices import RegionLevel
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, Reserve, StarRating, Village
from villages.selectors import rating_year

pytestmark = pytest.mark.django_db

FUSHUN_COUNTIES = {
    "210402000000": "新抚区",
    "210403000000": "东洲区",
    "210404000000": "望花区",
    "210411000000": "顺城区",
    "210421000000": "抚顺县",
    "210422000000": "新宾满族自治县",
    "210423000000": "清原满族自治县",
}


def figures():
    year = rating_year()
    seats = CommitteeSeat.objects.current()
    return {
        "villages": Village.objects.under("210400000000").count(),
        "four_star_plus": StarRating.objects.filter(year=year, stars__gte=4).count(),
        "members": seats.count(),
        "wealth_creators": seats.filter(is_wealth_creator=True).count(),
        "agencies": Agency.objects.count(),
        "paired_villages": Pairing.objects.current().values("village").distinct().count(),
        "paired_branches": Pairing.objects.current().values("branch").distinct().count(),
    }


def test_the_city_has_its_seven_counties_with_their_real_names_and_codes():
    counties = dict(Region.objects.filter(parent_id="210400000000").values_list("code", "name"))
    assert counties == FUSHUN_COUNTIES
    assert Region.objects.get(code="210400000000").name == "抚顺市"


def test_the_demo_reproduces_the_reported_figures():
    f = figures()
    assert f["villages"] == 582
    assert f["four_star_plus"] == 541
    assert round(f["four_star_plus"] / f["villages"], 2) == 0.93
    assert round(f["wealth_creators"] / f["members"], 3) == 0.892
    assert f["agencies"] == 36
    assert f["paired_villages"] == 582 == f["paired_branches"]
    assert AgencyBranch.objects.count() == 582


def test_the_villages_the_source_names_are_where_it_says():
    expected = {
        "后邓村": ("千金乡", "花卉"),
        "红石村": ("榆树乡", "赤松茸"),
        "椴子沟村": ("英额门镇", "中药材"),
        "那家村": ("永陵镇", "中药材"),
    }
    for name, (township, industry) in expected.items():
        village = Village.objects.select_related("region__parent").get(region__name=name)
        assert (village.region.parent.name, village.leading_industries) == (township, industry)


def test_every_region_sits_under_its_parent_code():
    for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent"):
        region.full_clean()


def test_the_demo_users_have_their_roles_and_jurisdictions():
    users = {
        u.username: (u.role, u.jurisdiction.name if u.jurisdiction else None)
        for u in User.objects.filter(username__in=DEMO_USERS)
    }
    assert users == {
        "admin": (Role.ADMINISTRATOR, None),
        "city": (Role.CITY_STAFF, "抚顺市"),
        "xinbin": (Role.COUNTY_REVIEWER, "新宾满族自治县"),
        "qingyuan": (Role.COUNTY_REVIEWER, "清原满族自治县"),
        "yushu": (Role.TOWNSHIP_OFFICIAL, "榆树乡"),
        "yongling": (Role.TOWNSHIP_OFFICIAL, "永陵镇"),
        "yingemen": (Role.TOWNSHIP_OFFICIAL, "英额门镇"),
        "qianjin": (Role.TOWNSHIP_OFFICIAL, "千金乡"),
        "mentor": (Role.MENTOR, "新宾满族自治县"),
    }
    assert User.objects.get(username="yushu").check_password("fushun-demo")


def _snapshot():
    return (
        list(Region.objects.order_by("code").values_list("code", "name")),
        list(StarRating.objects.order_by("village_id", "year").values_list("village_id", "year", "stars")),
        list(
            CommitteeSeat.objects.order_by(
                "village_id", "term_start", "position", "holder_name", "candidate__id_number"
            ).values_list("village_id", "holder_name", "candidate__name", "is_wealth_creator")
        ),
    )


def _mentoring_snapshot():
    """The mentoring demo's records by what identifies them (ids change from one load to the next)."""
    person = "candidate__id_number"

    def rows(model, *fields):
        return list(model.objects.order_by(*fields).values_list(*fields))

    return {
        "mentors": rows(Mentor, "region_id", "title", "name", "industries", "active"),
        "visits": rows(
            MentoringVisit, person, "date", "form", "content", "mentor__name", "recorded_by__username"
        ),
        "assessments": rows(
            Assessment, person, "year", "quarter", *DIMENSIONS, "grade", "state", "decided_by__username"
        ),
        "enrolments": rows(Enrolment, "course__name", person, "completed_on"),
        "online": rows(OnlineLearning, person, "month", "hours"),
        "support": rows(Support, person, "date", "kind", "amount", "area", "project", "policy__name"),
        "projects": rows(CollectiveProject, person, "start_date", "name", "amount"),
        "contributions": rows(Contribution, person, "date", "kind", "count", "note"),
        "awards": rows(Award, person, "date", "title", "level"),
    }


@override_settings(DEBUG=True)
def test_the_demo_is_deterministic_and_idempotent():
    before = _snapshot()
    mentoring_before = _mentoring_snapshot()
    figures_before = figures()
    people = list(Candidate.objects.order_by("id_number").values_list("id_number", "name", "stage", "status"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == before
    assert _mentoring_snapshot() == mentoring_before
    assert (
        list(Candidate.objects.order_by("id_number").values_list("id_number", "name", "stage", "status"))
        == people
    )
    assert figures() == figures_before


def test_another_seed_gives_other_villages():
    """The seed drives the generator (checked on the village names: a full second load takes long)."""
    import random

    from villages.demo import _village_names

    assert _village_names(random.Random(1), 20, set()) != _village_names(random.Random(2), 20, set())
    assert _village_names(random.Random(1), 20, set()) == _village_names(random.Random(1), 20, set())


def test_the_demo_refuses_to_erase_a_database_without_debug():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())


def test_if_empty_leaves_a_database_with_data_alone():
    out = io.StringIO()
    Region.objects.filter(code="210422202201").update(name="改过的名字")
    call_command("seed_demo", if_empty=True, force=True, stdout=out)
    assert Region.objects.get(code="210422202201").name == "改过的名字"
    assert "not loaded" in out.getvalue()


def test_each_village_has_one_rating_per_year_and_a_full_committee():
    per_village = Village.objects.annotate(n=Count("committee_seats")).values_list("n", flat=True)
    assert min(per_village) >= 6
    assert StarRating.objects.values("village", "year").annotate(n=Count("pk")).filter(n__gt=1).count() == 0


def test_the_demo_reproduces_the_candidates_figures():
    active = Candidate.objects.active()
    assert active.count() == 5601
    assert active.filter(stage=Stage.REVITALIZATION_LEADER).count() == 23
    seated = CommitteeSeat.objects.current().filter(candidate__status=Status.ACTIVE)
    assert seated.values("candidate").distinct().count() == 1958
    assert (
        Reserve.objects.standing()
        .filter(candidate__status=Status.ACTIVE)
        .values("candidate")
        .distinct()
        .count()
        == 2134
    )
    # "In the last five years" of the report for last year: the five calendar years up to it.
    last_year = timezone.localdate().year - 1
    recent = Elimination.objects.approved().filter(decided_at__year__range=(last_year - 4, last_year))
    assert recent.count() == 217
    assert Elimination.objects.approved().count() > 217  # and some before that
    seats = CommitteeSeat.objects.current()
    assert round(seats.filter(is_wealth_creator=True).count() / seats.count(), 3) == 0.892


def test_every_active_candidate_has_exactly_one_mentor_and_a_filed_certification():
    assert MentorAssignment.objects.current().filter(candidate__status=Status.ACTIVE).count() == 5601
    assert Candidate.objects.active().filter(certifications__state="filed").distinct().count() == 5601


def test_the_revitalization_leaders_have_their_promotion_history():
    for leader in Candidate.objects.active().filter(stage=Stage.REVITALIZATION_LEADER):
        last = leader.promotions.filter(state="approved").order_by("decided_at").last()
        assert last.to_stage == Stage.REVITALIZATION_LEADER
        assert [d.action for d in last.decisions.all()] == ["propose", "endorse", "approve"]
        assert last.decisions.last().by.role == "city_staff"


def test_some_villages_are_short_of_reserves_and_most_are_not():
    from villages.selectors import village_list

    villages = village_list(user=User.objects.get(username="city"), year=None)
    short = villages.filter(meets_reserve_target=False).count()
    assert 0 < short < 582 / 2


def test_the_people_the_source_names_hold_their_secretary_seats():
    expected = {"王大勇": "后邓村", "李根": "红石村", "季志英": "椴子沟村", "杨德友": "那家村"}
    for name, village in expected.items():
        person = Candidate.objects.get(name=name)
        seat = person.committee_seats.current().get()
        assert (seat.village.region.name, seat.position) == (village, "secretary")
    assert Candidate.objects.get(name="李根").age == 41
    assert Candidate.objects.get(name="季志英").tier == "senior"
