"""The growth events of a person's timeline: mentoring visits and assessments, training, support and
contributions (candidates/timeline.py adds them to the rest)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.person import PersonRecords
from candidates.timeline import TimelineEvent
from mentoring.choices import AssessmentState


def _day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visit_events(*, candidate, records: PersonRecords | None = None) -> list[TimelineEvent]:
    visits = (records or PersonRecords(candidate=candidate)).visits
    url = reverse("mentoring:visit_list") + "?" + urlencode({"q": candidate.name})
    return [
        TimelineEvent(
            when=_day(visit.date),
            who=visit.recorded_by,
            kind="visit",
            title=_("Mentoring visit (%(form)s)") % {"form": visit.get_form_display()},
            details=[line for line in (visit.content, visit.problems, visit.follow_up) if line],
            date_only=True,
            url=url,
        )
        for visit in visits
    ]


def assessment_events(*, candidate, records: PersonRecords | None = None) -> list[TimelineEvent]:
    assessments = (records or PersonRecords(candidate=candidate)).assessments
    events = []
    for a in assessments:
        url = a.get_absolute_url()
        events.append(
            TimelineEvent(
                when=a.submitted_at,
                who=a.submitted_by,
                kind="assessment",
                title=_("Assessment %(period)s submitted: %(total)d points, %(grade)s")
                % {"period": a.period, "total": a.total, "grade": a.get_grade_display()},
                url=url,
            )
        )
        if a.decided_at and a.state in (AssessmentState.CONFIRMED, AssessmentState.RETURNED):
            events.append(
                TimelineEvent(
                    when=a.decided_at,
                    who=a.decided_by,
                    kind="assessment",
                    title=_("Assessment %(period)s: %(state)s")
                    % {"period": a.period, "state": a.get_state_display()},
                    details=[a.opinion] if a.opinion else [],
                    url=url,
                )
            )
    return events


def growth_events(*, candidate, records: PersonRecords | None = None) -> list[TimelineEvent]:
    """Every growth event of the person; a fixed number of queries (shared with the page's sections
    through `records`)."""
    from mentoring.selectors.contributions import contribution_events
    from mentoring.selectors.support import support_events
    from mentoring.selectors.training import training_events

    return (
        visit_events(candidate=candidate, records=records)
        + assessment_events(candidate=candidate, records=records)
        + training_events(candidate=candidate, records=records)
        + support_events(candidate=candidate, records=records)
        + contribution_events(candidate=candidate, records=records)
    )
