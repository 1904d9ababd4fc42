"""`seed_demo` holds the mentoring, training, support and contribution records of DESIGN §6, and the
figures of DESIGN §1 they give, counted and summed from the records (the city demo of tests/conftest.py)."""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest
from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.choices import Role
from candidates.choices import Status
from candidates.models import Candidate, Certification
from mentoring.choices import (
    AssessmentState,
    ContributionKind,
    CourseLevel,
    Grade,
    MentorLevel,
    SupportKind,
    VisitForm,
    grade_of,
)
from mentoring.models import (
    DIMENSIONS,
    Assessment,
    Award,
    CollectiveProject,
    Contribution,
    Course,
    Enrolment,
    Mentor,
    MentorAssignment,
    MentoringVisit,
    OnlineLearning,
    Policy,
    Support,
)
from villages.choices import RegionLevel
from villages.models import Village

pytestmark = pytest.mark.django_db


def last_year() -> int:
    return timezone.localdate().year - 1


def months_before(today: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def mentor_spans() -> dict:
    spans = defaultdict(list)
    for candidate, mentor, start, end in MentorAssignment.objects.values_list(
        "candidate_id", "mentor_id", "start_date", "end_date"
    ):
        spans[candidate].append((start, end, mentor))
    return spans


def mentor_on(spans, candidate, day):
    return {m for start, end, m in spans[candidate] if start <= day and (end is None or day <= end)}


# Mentors ------------------------------------------------------------------------------------------


def test_every_active_candidate_has_exactly_one_current_mentor():
    per_candidate = Candidate.objects.active().annotate(
        mentors=Count("mentor_assignments", filter=Q(mentor_assignments__end_date__isnull=True))
    )
    assert per_candidate.count() == 5601
    assert set(per_candidate.values_list("mentors", flat=True)) == {1}


def test_the_mentors_are_active_county_and_township_leaders_knowing_a_few_local_industries():
    industries = set(Village.objects.values_list("leading_industries", flat=True))
    mentors = list(Mentor.objects.select_related("region"))
    assert mentors and all(m.active for m in mentors)
    assert {(m.level, m.region.level) for m in mentors} == {
        (MentorLevel.COUNTY, RegionLevel.COUNTY),
        (MentorLevel.TOWNSHIP, RegionLevel.TOWNSHIP),
    }
    for mentor in mentors:
        known = mentor.industries.split("，")
        assert 2 <= len(known) <= 3 and set(known) <= industries, mentor.industries
    assert Mentor.objects.get(user__username="mentor").industries == "中药材，赤松茸，林下经济"


# Visits -------------------------------------------------------------------------------------------


def test_visits_are_by_the_mentor_of_the_day_and_recorded_by_the_mentor_or_the_township():
    spans = mentor_spans()
    visits = MentoringVisit.objects.values_list(
        "candidate_id",
        "candidate__status",
        "candidate__village__region__parent_id",
        "mentor_id",
        "mentor__user_id",
        "date",
        "form",
        "content",
        "recorded_by_id",
        "recorded_by__role",
        "recorded_by__jurisdiction_id",
    )
    today = timezone.localdate()
    count = 0
    for candidate, status, township, mentor, mentor_user, day, form, content, by, role, place in visits:
        count += 1
        assert status == Status.ACTIVE and day <= today
        assert form in VisitForm.values and content
        assert mentor_on(spans, candidate, day) == {mentor}
        assert by == mentor_user or (role == Role.TOWNSHIP_OFFICIAL and place == township)
    assert count > 5601 * 4


def test_candidates_are_visited_several_times_a_year_and_most_in_the_last_three_months():
    year = last_year()
    filed_before = Certification.objects.filter(filed_on__lt=datetime.date(year, 1, 1)).values("candidate")
    per_candidate = list(
        Candidate.objects.active()
        .filter(pk__in=filed_before)
        .annotate(n=Count("visits", filter=Q(visits__date__year=year)))
        .values_list("n", flat=True)
    )
    assert min(per_candidate) >= 2 and sum(per_candidate) / len(per_candidate) >= 3.5
    since = months_before(timezone.localdate(), settings.VISIT_INTERVAL_MONTHS)
    not_visited = Candidate.objects.active().exclude(visits__date__gte=since)
    assert 0 < not_visited.count() <= 5601 * 0.02
    # Some of them in a demo township, so the flag shows to its official.
    assert not_visited.filter(village__region__parent__name="榆树乡").exists()


def test_visits_carry_problems_and_follow_up_in_chinese():
    visits = MentoringVisit.objects.all()
    assert visits.exclude(problems="").exists()
    assert not visits.filter(follow_up="").exists()
    assert "走访" in "".join(visits.values_list("content", flat=True)[:200])


# Assessments --------------------------------------------------------------------------------------


def test_every_assessment_totals_its_five_scores_and_has_the_grade_of_its_total():
    rows = Assessment.objects.values_list(*DIMENSIONS, "total", "grade")
    assert rows.count() > 5601 * 4
    for *scores, total, grade in rows:
        assert all(0 <= score <= 20 for score in scores)
        assert total == sum(scores)
        assert grade == grade_of(total)


def test_assessments_are_confirmed_by_a_reviewer_of_the_candidates_county():
    confirmed = Assessment.objects.confirmed()
    assert confirmed.count() > 0.9 * Assessment.objects.count()
    assert not confirmed.filter(Q(decided_by__isnull=True) | Q(decided_at__isnull=True)).exists()
    reviewers = confirmed.values_list(
        "decided_by__role", "decided_by__jurisdiction_id", "candidate__village__region__parent__parent_id"
    ).distinct()
    assert {(role, place == county) for role, place, county in reviewers} == {(Role.COUNTY_REVIEWER, True)}
    assert not confirmed.filter(decided_at__lt=F("submitted_at")).exists()


def test_the_last_quarter_is_partly_awaiting_the_county_and_the_earlier_ones_are_confirmed():
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    year, quarter = (today.year, quarter) if quarter else (today.year - 1, 4)
    last = Assessment.objects.filter(year=year, quarter=quarter)
    awaiting = last.filter(state=AssessmentState.SUBMITTED)
    assert 0 < awaiting.count() < last.count() / 2
    assert not awaiting.filter(Q(decided_by__isnull=False) | Q(decided_at__isnull=False)).exists()
    earlier = Assessment.objects.filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
    assert set(earlier.values_list("state", flat=True)) == {AssessmentState.CONFIRMED}
    assert set(Assessment.objects.values_list("state", flat=True)) <= {
        AssessmentState.SUBMITTED,
        AssessmentState.CONFIRMED,
    }
    # Each assessment is by the candidate's mentor of the quarter: the only one active people have had.
    assert not Assessment.objects.exclude(candidate__status=Status.ACTIVE).exists()


def test_a_handful_failed_and_exactly_two_candidates_failed_their_last_two_confirmed_assessments():
    fails = Assessment.objects.filter(grade=Grade.FAIL).count()
    assert 4 <= fails <= 60
    by_candidate = defaultdict(list)
    for candidate, grade in (
        Assessment.objects.confirmed()
        .order_by("candidate_id", "year", "quarter")
        .values_list("candidate_id", "grade")
    ):
        by_candidate[candidate].append(grade)
    flagged = {c for c, grades in by_candidate.items() if grades[-2:] == [Grade.FAIL, Grade.FAIL]}
    in_a_row = {
        c for c, grades in by_candidate.items() if any(a == b == Grade.FAIL for a, b in pairwise(grades))
    }
    assert len(flagged) == 2
    assert in_a_row == flagged
    # They are the two whose elimination for it awaits the county.
    proposed = Candidate.objects.filter(
        eliminations__state="proposed", eliminations__reason="failed_assessment"
    ).values_list("pk", flat=True)
    assert flagged == set(proposed)


def test_the_demo_mentors_mentees_are_assessed_and_one_assessment_awaits_xinbin(demo_user):
    mentor = demo_user("mentor")
    mentees = Candidate.objects.filter(
        mentor_assignments__mentor__user=mentor, mentor_assignments__end_date__isnull=True
    )
    assessed = Assessment.objects.filter(candidate__in=mentees)
    assert assessed.values("candidate").distinct().count() == mentees.count()
    assert set(assessed.values_list("submitted_by", flat=True)) == {mentor.pk}
    awaiting = assessed.filter(state=AssessmentState.SUBMITTED)
    assert awaiting.exists()
    assert Assessment.objects.visible_to(demo_user("xinbin")).filter(pk__in=awaiting).exists()


# Training -----------------------------------------------------------------------------------------


def test_courses_at_every_level_with_their_enrolments():
    assert set(Course.objects.values_list("level", flat=True)) == set(CourseLevel.values)
    zju = Course.objects.university().filter(organiser__startswith="浙江大学")
    assert zju.exists() and all("头雁" in c.cohort for c in zju)
    assert not Enrolment.objects.exclude(candidate__status=Status.ACTIVE).exists()
    assert not Enrolment.objects.filter(completed_on__gt=timezone.localdate()).exists()
    assert Enrolment.objects.values("course").distinct().count() == Course.objects.count()


def test_ninety_five_candidates_were_sent_to_universities():
    sent = Enrolment.objects.filter(course__level=CourseLevel.UNIVERSITY).values("candidate").distinct()
    assert sent.count() == 95


def test_every_active_candidate_learned_online_last_year():
    year = last_year()
    assert not OnlineLearning.objects.exclude(month__day=1).exists()
    used = OnlineLearning.objects.filter(month__year=year, hours__gt=0, candidate__status=Status.ACTIVE)
    assert used.values("candidate").distinct().count() == Candidate.objects.active().count() == 5601


# Support ------------------------------------------------------------------------------------------


def test_twelve_policies_are_in_force():
    assert Policy.objects.in_force().count() == 12
    assert all(p.description for p in Policy.objects.in_force())


def test_the_support_adds_up_to_the_citys_figures():
    support = Support.objects.all()
    loans = support.filter(kind=SupportKind.LOAN)
    assert loans.aggregate(s=Sum("amount"))["s"] == Decimal(130_000_000)
    assert not loans.filter(Q(amount__lt=10_000) | Q(amount__gt=2_000_000)).exists()
    land = support.filter(kind=SupportKind.LAND)
    assert land.aggregate(s=Sum("area"))["s"] == Decimal(5503)
    assert not land.filter(area__lte=0).exists()
    assert support.filter(kind=SupportKind.PROJECT).count() == 972
    assert support.filter(kind=SupportKind.POLICY, policy__isnull=False).count() > 0
    assert not support.filter(kind=SupportKind.POLICY, policy__isnull=True).exists()
    assert not support.filter(date__gt=timezone.localdate()).exists()


def test_every_support_record_passes_its_kinds_rules():
    for record in Support.objects.all():
        record.clean()


# Contributions ------------------------------------------------------------------------------------


def test_active_candidates_lead_242_collective_projects_in_their_villages():
    projects = CollectiveProject.objects.select_related("candidate")
    assert projects.count() == 242
    assert all(
        p.candidate.status == Status.ACTIVE and p.village_id == p.candidate.village_id for p in projects
    )


def test_the_contributions_add_up_to_the_citys_figures():
    year = last_year()

    def total(kind, **filters):
        return Contribution.objects.filter(kind=kind, **filters).aggregate(s=Sum("count"))["s"]

    assert total(ContributionKind.HOUSEHOLDS_HELPED) == 41_000
    assert total(ContributionKind.SERVICE_ITEMS, date__year=year) == 6841
    assert total(ContributionKind.PROBLEMS_SOLVED, date__year=year) == 13_000
    # Other years have records too, not counted in last year's figures.
    assert total(ContributionKind.SERVICE_ITEMS, date__year=year + 1) > 0
    assert not Contribution.objects.filter(date__gt=timezone.localdate()).exists()


def test_six_hundred_candidates_were_awarded_last_year():
    year = last_year()
    awarded = Award.objects.filter(date__year=year)
    assert awarded.values("candidate").distinct().count() == 600
    assert awarded.count() > 600  # some twice
    assert Award.objects.exclude(date__year=year).exists()
