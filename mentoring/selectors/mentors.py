"""Reads on mentoring: mentors and their load, a mentor's mentees with what they owe, the assessments
due, the flags (no visit for a while, failed twice in a row) and what the candidate's page shows."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from candidates.choices import Status
from candidates.models import Candidate
from candidates.permissions import can_propose_elimination
from candidates.person import PersonRecords
from mentoring import permissions
from mentoring.choices import AssessmentState, Grade
from mentoring.models import Assessment, Mentor, MentorAssignment, MentoringVisit
from villages.codes import parent_code

# How many visits and assessments the candidate's page lists; the rest are on the lists.
RECENT = 10


# Periods ------------------------------------------------------------------------------------------


def due_period(today: datetime.date) -> tuple[int, int]:
    """The quarter to be assessed on `today`: the last one that has ended, as (year, quarter)."""
    quarter = (today.month - 1) // 3  # the current quarter's number minus one
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def due_date(period: tuple[int, int]) -> datetime.date:
    """When the assessment of a quarter is overdue: settings.ASSESSMENT_DUE_DAYS after it ends."""
    year, quarter = period
    next_quarter = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return next_quarter - datetime.timedelta(days=1) + datetime.timedelta(days=settings.ASSESSMENT_DUE_DAYS)


def period_label(period: tuple[int, int]) -> str:
    return _("%(year)d Q%(quarter)d") % {"year": period[0], "quarter": period[1]}


def visit_due_since(today: datetime.date) -> datetime.date:
    """A candidate with no visit on or after this day is flagged (settings.VISIT_INTERVAL_MONTHS)."""
    months = today.year * 12 + today.month - 1 - settings.VISIT_INTERVAL_MONTHS
    year, month = divmod(months, 12)
    first = datetime.date(year, month + 1, 1)
    following = datetime.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return first.replace(day=min(today.day, (following - first).days))


# Mentors ------------------------------------------------------------------------------------------


def mentor_list(*, user) -> QuerySet:
    """The mentors the user may see, each with their load: the current mentees the user may see."""
    load = (
        MentorAssignment.objects.visible_to(user)
        .current()
        .filter(mentor=OuterRef("pk"))
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Mentor.objects.visible_to(user)
        .select_related("region", "user")
        .annotate(load=Coalesce(Subquery(load, output_field=IntegerField()), Value(0)))
    )


def mentor_regions(village_code: str) -> tuple[str, str]:
    """The regions whose leaders may mentor a person of this village: its township and its county."""
    township = parent_code(village_code)
    return township, parent_code(township)


def mentor_choices(*, candidate: Candidate, user) -> QuerySet:
    """The mentors `candidate` may get (the only ones `mentor_assign` accepts): active leaders of their
    township or county, with their load."""
    return mentor_list(user=user).filter(active=True, region__in=mentor_regions(candidate.village_id))


def mentor_suggestions(*, candidate: Candidate, user, limit: int = 8) -> list[Mentor]:
    """Mentors for `candidate`: active leaders of their township or county, those with experience in
    the candidate's industry first, then the fewest mentees."""
    mentors = mentor_choices(candidate=candidate, user=user)
    industry = (candidate.industry or "").strip()
    knows = Q(industries__icontains=industry) if industry else Q(pk__in=[])
    return list(
        mentors.annotate(knows=Exists(Mentor.objects.filter(knows, pk=OuterRef("pk")))).order_by(
            "-knows", "load", "name", "pk"
        )[:limit]
    )


def without_mentor(*, user) -> QuerySet:
    """Active candidates the user may see who have no current mentor."""
    current = MentorAssignment.objects.current().filter(candidate=OuterRef("pk"))
    return Candidate.objects.visible_to(user).active().exclude(Exists(current))


# Mentees ----------------------------------------------------------------------------------------


def mentee_list(*, user, today: datetime.date) -> QuerySet:
    """The user's mentees (for a mentor, `visible_to` is exactly them) with the day of their last visit."""
    last_visit = MentoringVisit.objects.filter(candidate=OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        Candidate.objects.visible_to(user)
        .active()
        .for_table()
        .annotate(last_visit=Subquery(last_visit))
        .order_by("name", "pk")
    )


@dataclass
class MenteeRow:
    """A mentee as the mentor's list shows them: the last visit, the assessment due, the flags."""

    candidate: Candidate
    last_visit: datetime.date | None
    assessment_due: bool
    assessment_due_on: datetime.date
    assessment_overdue: bool
    visit_overdue: bool
    failed_twice: bool
    notes: list[str] = field(default_factory=list)


def _failed_twice(assessments) -> bool:
    """The last two confirmed assessments, by period, are both 不合格."""
    confirmed = sorted(
        (a for a in assessments if a.state == AssessmentState.CONFIRMED),
        key=lambda a: (a.year, a.quarter or 5),
        reverse=True,
    )
    return len(confirmed) >= 2 and all(a.grade == Grade.FAIL for a in confirmed[:2])


def mentee_rows(candidates, *, today: datetime.date) -> list[MenteeRow]:
    """Rows for `candidates` (from `mentee_list`); their assessments come in one query."""
    period = due_period(today)
    due_on = due_date(period)
    since = visit_due_since(today)
    people = list(
        candidates.prefetch_related(Prefetch("assessments", Assessment.objects.only(*_ASSESSMENT_FIELDS)))
        if isinstance(candidates, QuerySet)
        else candidates
    )
    rows = []
    for candidate in people:
        assessments = list(candidate.assessments.all())
        owed = not any((a.year, a.quarter) == period for a in assessments)
        row = MenteeRow(
            candidate=candidate,
            last_visit=candidate.last_visit,
            assessment_due=owed,
            assessment_due_on=due_on,
            assessment_overdue=owed and due_on < today,
            visit_overdue=candidate.last_visit is None or candidate.last_visit < since,
            failed_twice=_failed_twice(assessments),
        )
        if row.visit_overdue:
            row.notes.append(_("No visit for %(months)d months") % {"months": settings.VISIT_INTERVAL_MONTHS})
        if row.failed_twice:
            row.notes.append(_("Failed two assessments in a row"))
        rows.append(row)
    return rows


_ASSESSMENT_FIELDS = ("id", "candidate_id", "year", "quarter", "state", "grade")


def assessments_owed(*, user, today: datetime.date) -> QuerySet:
    """The user's mentees (active) without an assessment of the quarter to be assessed."""
    year, quarter = due_period(today)
    assessed = Assessment.objects.filter(candidate=OuterRef("pk"), year=year, quarter=quarter)
    return Candidate.objects.visible_to(user).active().exclude(Exists(assessed))


# Assessments and visits -------------------------------------------------------------------------


def assessment_queryset(*, user) -> QuerySet:
    """Assessments the user may see, with what their rows and page show."""
    return Assessment.objects.visible_to(user).select_related(
        "candidate__village__region__parent", "mentor", "submitted_by", "decided_by"
    )


def visit_queryset(*, user) -> QuerySet:
    """Visits the user may see, with what their rows show."""
    return MentoringVisit.objects.visible_to(user).select_related(
        "candidate__village__region__parent", "mentor", "recorded_by"
    )


def failed_twice(candidate: Candidate) -> bool:
    """Whether the candidate's last two confirmed assessments were both 不合格. Queries the database."""
    return _failed_twice(candidate.assessments.only(*_ASSESSMENT_FIELDS))


# The candidate's page -----------------------------------------------------------------------------


def candidate_mentoring(*, candidate: Candidate, user, today: datetime.date, records=None) -> dict:
    """What the candidate's page shows of mentoring: the mentor and the history of assignments, the
    recent visits and the assessments, the flags, and what the user may do."""
    person = records or PersonRecords(candidate=candidate, user=user)
    assignments = person.assignments
    current = next((a for a in assignments if a.end_date is None), None)
    visits, assessments = person.visits, person.assessments
    last_visit = max((visit.date for visit in visits), default=None)
    flagged = _failed_twice(assessments)
    return {
        "current": current,
        "assignments": assignments,
        "visits": visits[:RECENT],
        "visit_count": len(visits),
        "last_visit": last_visit,
        "visit_overdue": candidate.status == Status.ACTIVE
        and (last_visit is None or last_visit < visit_due_since(today)),
        "assessments": assessments,
        "failed_twice": flagged,
        "can_assign": permissions.can_assign_mentor(user, candidate),
        "can_log_visit": permissions.can_log_visit(user, candidate),
        "can_assess": permissions.can_submit_assessment(user, candidate),
        "can_propose_elimination": flagged and can_propose_elimination(user, candidate),
    }
