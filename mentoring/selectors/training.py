"""Reads of training (issue 9): the course list, enrolments, the university cohorts ("头雁"), online-learning
hours and the usage rate, and what a candidate's page and timeline show of them.

Every read starts from `visible_to(user)`; counts come from annotations or one aggregate, so a list page
costs the same queries whatever the number of rows.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.choices import Status
from candidates.models import Candidate
from candidates.person import PersonRecords
from config.forms import field_label
from mentoring import permissions
from mentoring.choices import CourseLevel
from mentoring.models import Course, Enrolment, OnlineLearning
from villages.codes import division_prefix

TENTH = Decimal("0.1")
ZERO_HOURS = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=1))


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The number of rows of `queryset` (already narrowed to OuterRef) as a subquery."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _in_region(queryset: QuerySet, region, path: str) -> QuerySet:
    """`queryset` narrowed to a division code's region (a code or a Region), if one is given."""
    if region is None:
        return queryset
    code = getattr(region, "code", region)
    return queryset.filter(**{f"{path}__startswith": division_prefix(code)})


def tenths(hours) -> Decimal:
    """Hours to a tenth: sums come back from SQLite with the float's noise (42.6000000000000)."""
    return Decimal(hours or 0).quantize(TENTH)


def year_months(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last month of `year`, as OnlineLearning.month stores them."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 1)


# Courses and enrolments ---------------------------------------------------------------------------


def course_list(*, user) -> QuerySet:
    """Courses (every signed-in user reads them), each with how many of the people `user` may see are
    enrolled (`enrolled`) and have completed it (`completed`)."""
    visible = Enrolment.objects.visible_to(user).filter(course=OuterRef("pk"))
    return (
        Course.objects.visible_to(user)
        .select_related("created_by")
        .annotate(
            enrolled=_count(visible, "course"),
            completed=_count(visible.filter(completed_on__isnull=False), "course"),
        )
    )


def course_enrolments(*, course: Course, user) -> QuerySet:
    """The enrolments of a course that `user` may see (a mentor: their mentees'), each with its person."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(course=course)
        .select_related("candidate__village__region__parent", "enrolled_by")
        .order_by("candidate__village_id", "candidate__name")
    )


def enrolment_choices(*, course: Course, user) -> QuerySet:
    """The active candidates of `user`'s jurisdiction not yet enrolled in the course: whom they may enrol."""
    enrolled = Enrolment.objects.filter(course=course, candidate=OuterRef("pk"))
    return Candidate.objects.visible_to(user).active().exclude(Exists(enrolled)).for_table()


def trainee_list(*, user) -> QuerySet:
    """Enrolments in university courses (the "头雁" cohorts) that `user` may see, with course and person."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(course__level=CourseLevel.UNIVERSITY)
        .select_related("course", "candidate__village__region__parent")
    )


def cohort_summary(*, trainees: QuerySet) -> list[dict]:
    """Per university course of `trainees` (a `trainee_list`, filtered): its cohort, organiser and dates,
    the trainees and how many completed. One query."""
    return list(
        trainees.order_by()
        .values(
            "course_id",
            "course__cohort",
            "course__name",
            "course__organiser",
            "course__start_date",
            "course__end_date",
        )
        .annotate(
            trainees=Count("candidate", distinct=True),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
        )
        .order_by("-course__start_date", "course__cohort")
    )


def university_trainees(*, user, region=None) -> int:
    """How many different candidates `user` may see were enrolled in a university course (DESIGN §1: 95
    sent to universities), under `region` (a division code or a Region) if given. One query."""
    trainees = Enrolment.objects.visible_to(user).filter(course__level=CourseLevel.UNIVERSITY)
    trainees = _in_region(trainees, region, "candidate__village__region__code")
    return trainees.values("candidate").distinct().count()


# Online learning ----------------------------------------------------------------------------------


def online_learning_rate(*, user, year: int, region=None) -> float | None:
    """The share of the active candidates `user` may see (under `region`, a division code or a Region, if
    given) who spent more than no time on the online platform in `year` (DESIGN §1: 100 %); None when
    there is no active candidate. One query."""
    first, last = year_months(year)
    used = OnlineLearning.objects.filter(
        candidate=OuterRef("pk"), month__gte=first, month__lte=last, hours__gt=0
    )
    active = _in_region(Candidate.objects.visible_to(user).active(), region, "village__region__code")
    # filter=Exists(...) itself: an Exists annotation tested in the filter counted nobody on SQLite.
    counts = active.aggregate(
        total=Count("pk", distinct=True), used=Count("pk", distinct=True, filter=Q(Exists(used)))
    )
    return counts["used"] / counts["total"] if counts["total"] else None


def latest_online_year(*, user) -> int:
    """The year of the latest month imported that `user` may see; this year when there is none."""
    latest = (
        OnlineLearning.objects.visible_to(user).order_by("-month").values_list("month", flat=True).first()
    )
    return latest.year if latest else timezone.localdate().year


def online_learning_list(*, user, year: int, month: int | None = None) -> QuerySet:
    """The candidates `user` may see who are active or have hours in the period (a year, or one month of
    it), each with `hours` (the period's total) and `months` (months with hours): one row per person."""
    first, last = year_months(year)
    if month:
        first = last = datetime.date(year, month, 1)
    records = OnlineLearning.objects.filter(candidate=OuterRef("pk"), month__gte=first, month__lte=last)
    total = records.order_by().values("candidate").annotate(total=Sum("hours")).values("total")
    return (
        Candidate.objects.visible_to(user)
        .filter(Q(status=Status.ACTIVE) | Q(Exists(records)))
        .for_table()
        .annotate(
            hours=Coalesce(Subquery(total, output_field=ZERO_HOURS.output_field), ZERO_HOURS),
            months=_count(records.filter(hours__gt=0), "candidate"),
        )
    )


def online_learning_months(*, user, year: int, region=None) -> list[dict]:
    """Each month of `year` with records that `user` may see (under `region` if given): the people with
    hours and the hours. One query."""
    first, last = year_months(year)
    records = OnlineLearning.objects.visible_to(user).filter(month__gte=first, month__lte=last)
    records = _in_region(records, region, "candidate__village__region__code")
    rows = (
        records.order_by()
        .values("month")
        .annotate(people=Count("candidate", distinct=True, filter=Q(hours__gt=0)), hours=Sum("hours"))
        .order_by("month")
    )
    return [row | {"hours": tenths(row["hours"])} for row in rows]


# A candidate's page and timeline ------------------------------------------------------------------


def candidate_training(*, candidate: Candidate, user, records=None) -> dict:
    """What the candidate's page shows of training (context variable `training`): the courses with their
    completion, the online hours by year with each month, and the total. `candidate` comes from
    `visible_to(user)`. Two queries.

    {"enrolments": [Enrolment, with .course], "completed": int,
     "online_years": [{"year": int, "hours": Decimal, "months": [(date, Decimal), ...]}, ...],
     "online_total": Decimal, "can_enrol": bool}
    """
    enrolments = (records or PersonRecords(candidate=candidate, user=user)).enrolments
    years: dict[int, dict] = {}
    for month, hours in (
        OnlineLearning.objects.visible_to(user)
        .filter(candidate=candidate)
        .order_by("-month")
        .values_list("month", "hours")
    ):
        year = years.setdefault(month.year, {"year": month.year, "hours": Decimal(0), "months": []})
        year["hours"] += hours
        year["months"].append((month, hours))
    return {
        "enrolments": enrolments,
        "completed": sum(e.completed for e in enrolments),
        "online_years": list(years.values()),
        "online_total": sum((y["hours"] for y in years.values()), Decimal(0)),
        "can_enrol": permissions.can_enrol(user, candidate) and candidate.status == Status.ACTIVE,
    }


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def training_events(*, candidate: Candidate, records=None) -> list:
    """The person's timeline events of training (`candidates.timeline.TimelineEvent`): each enrolment, by
    whom and when (see below), and each completion, by its date. Two queries, whatever the number."""
    from candidates.timeline import TimelineEvent  # the timeline imports this module

    enrolments = (records or PersonRecords(candidate=candidate)).enrolments
    entered = dict(
        Enrolment.history.filter(candidate_id=candidate.pk, history_type="+").values_list(
            "id", "history_date"
        )
    )
    events = []
    for enrolment in enrolments:
        course = enrolment.course
        what = {"course": course.name}
        details = [
            _("%(label)s: %(value)s")
            % {"label": field_label(Course, "organiser"), "value": course.organiser},
            _("%(level)s, %(start)s to %(end)s, %(hours)s hours")
            % {
                "level": course.get_level_display(),
                "start": course.start_date.isoformat(),
                "end": course.end_date.isoformat(),
                "hours": course.hours,
            },
        ]
        # Dated when it was entered, if that was before the course began; entered afterwards (as the
        # records of past courses are), by the course's first day.
        when = entered.get(enrolment.pk)
        on_time = when is not None and timezone.localdate(when) <= course.start_date
        events.append(
            TimelineEvent(
                when=when if on_time else _day_start(course.start_date),
                who=enrolment.enrolled_by,
                kind="training",
                title=_("Enrolled in %(course)s") % what,
                details=details,
                date_only=not on_time,
                url=course.get_absolute_url(),
            )
        )
        if enrolment.completed_on:
            events.append(
                TimelineEvent(
                    when=_day_start(enrolment.completed_on),
                    who=None,
                    kind="training",
                    title=_("Completed %(course)s") % what,
                    date_only=True,
                    url=course.get_absolute_url(),
                )
            )
    return events
