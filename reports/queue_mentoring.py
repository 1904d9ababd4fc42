"""The mentoring sections of the work queue: a mentor's mentees and the assessments they owe; for the
county, assessments to confirm and active candidates without a mentor (DESIGN §6, §7)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.choices import AssessmentState
from mentoring.selectors import mentors as mentoring
from reports.queue_parts import SECTION_SIZE, Figure, Item, Scope, Section, listed, place_of


def mentees(*, scope: Scope) -> Section:
    """The mentor's mentees with their last visit, the next assessment due and their flags."""
    people = mentoring.mentee_list(user=scope.user, today=scope.today)
    rows = mentoring.mentee_rows(people[:SECTION_SIZE], today=scope.today)
    return Section(
        key="mentees",
        title=_("Your mentees"),
        count=people.count(),
        items=[
            Item(
                label=row.candidate.name,
                url=row.candidate.get_absolute_url(),
                place=place_of(row.candidate.village, wide=scope.wide),
                note=" · ".join(row.notes),
                since=row.last_visit,
                due=row.assessment_due_on if row.assessment_due else None,
                overdue=row.assessment_overdue or row.visit_overdue,
                action_url=reverse("mentoring:visit_create", args=[row.candidate.pk]),
                action_label=_("Log a visit"),
            )
            for row in rows
        ],
        empty_text=_("No candidate is assigned to you yet; the county assigns mentors at filing."),
        see_all_url=reverse("mentoring:home"),
        since_label=_("Last visit"),
        due_label=_("Assessment due"),
    )


def assessments_due(*, scope: Scope) -> Section:
    """Mentees whose assessment of the last quarter the mentor has not submitted yet."""
    period = mentoring.due_period(scope.today)
    owing = mentoring.assessments_owed(user=scope.user, today=scope.today)
    due_on = mentoring.due_date(period)
    return listed(
        owing.select_related("village__region__parent"),
        order=("name", "pk"),
        item=lambda candidate: Item(
            label=candidate.name,
            url=candidate.get_absolute_url(),
            place=place_of(candidate.village, wide=scope.wide),
            due=due_on,
            overdue=due_on < scope.today,
            action_url=reverse("mentoring:assessment_create", args=[candidate.pk]),
            action_label=_("Assess"),
        ),
        key="assessments-due",
        title=_("Assessments due for %(period)s") % {"period": mentoring.period_label(period)},
        empty_text=_("Every mentee is assessed for this period."),
        due_label=_("Due on"),
    )


def assessments_returned(*, scope: Scope) -> Section:
    """Assessments the county returned to the mentor, to correct and submit again."""
    returned = mentoring.assessment_queryset(user=scope.user).filter(state=AssessmentState.RETURNED)
    return _assessment_section(
        scope,
        returned,
        state=AssessmentState.RETURNED,
        key="assessments-returned",
        title=_("Assessments returned to you"),
        empty_text=_("No assessment was returned to you."),
    )


def assessments_awaiting_county(*, scope: Scope) -> Section:
    """Assessments submitted by the mentors, for the county to confirm or return."""
    awaiting = mentoring.assessment_queryset(user=scope.user).filter(state=AssessmentState.SUBMITTED)
    return _assessment_section(
        scope,
        awaiting,
        state=AssessmentState.SUBMITTED,
        key="assessments-awaiting",
        title=_("Assessments to confirm"),
        empty_text=_("No assessment awaits the county."),
    )


def _assessment_section(
    scope: Scope, assessments, *, state: str, key: str, title: str, empty_text: str
) -> Section:
    return listed(
        assessments,
        order=("submitted_at", "pk"),
        item=lambda a: Item(
            label=a.candidate.name,
            url=a.get_absolute_url(),
            place=place_of(a.candidate.village, wide=scope.wide),
            note=f"{a.period} · {a.total} · {a.get_grade_display()}",
            since=a.submitted_at.date(),
        ),
        key=key,
        title=title,
        empty_text=empty_text,
        see_all_url=reverse("mentoring:assessment_list") + f"?state={state}",
        since_label=_("Submitted on"),
    )


def without_mentor(*, scope: Scope) -> Section:
    """Active candidates without a current mentor (an elimination or a leader leaving ends one)."""
    people = mentoring.without_mentor(user=scope.user)
    return listed(
        people.select_related("village__region__parent"),
        order=("village_id", "name"),
        item=lambda candidate: Item(
            label=candidate.name,
            url=candidate.get_absolute_url(),
            place=place_of(candidate.village, wide=scope.wide),
            action_url=reverse("mentoring:mentor_assign", args=[candidate.pk]),
            action_label=_("Assign a mentor"),
        ),
        key="without-mentor",
        title=_("Active candidates without a mentor"),
        empty_text=_("Every active candidate has a mentor."),
    )


def without_mentor_figure(*, scope: Scope) -> Figure:
    count = scope.build(without_mentor).count
    return Figure(_("Without mentor"), count, alert=count > 0)


def assessments_overdue_figure(*, scope: Scope) -> Figure:
    """Active candidates whose assessment of the last quarter is past due and not submitted."""
    period = mentoring.due_period(scope.today)
    overdue = 0
    if mentoring.due_date(period) < scope.today:
        overdue = mentoring.assessments_owed(user=scope.user, today=scope.today).count()
    url = reverse("mentoring:assessment_list") + f"?year={period[0]}"
    return Figure(_("Assessments overdue"), overdue, url, alert=overdue > 0)


def assessments_awaiting_figure(*, scope: Scope) -> Figure:
    return Figure(_("Assessments to confirm"), scope.build(assessments_awaiting_county).count)


MENTOR_QUEUE = (mentees, assessments_due, assessments_returned)
COUNTY_QUEUE = (
    assessments_awaiting_county,
    without_mentor,
    assessments_awaiting_figure,
    assessments_overdue_figure,
    without_mentor_figure,
)
