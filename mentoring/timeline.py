"""The growth events of a person's timeline: mentoring visits and assessments, training, support and
contributions (candidates/timeline.py adds them to the rest)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.timeline import TimelineEvent
from mentoring.choices import AssessmentState
from mentoring.models import Assessment, MentoringVisit


def _day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visit_events(*, candidate) -> list[TimelineEvent]:
    visits = MentoringVisit.objects.filter(candidate=candidate).select_related("recorded_by")
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


def assessment_events(*, candidate) -> list[TimelineEvent]:
    assessments = Assessment.objects.filter(candidate=candidate).select_related("submitted_by", "decided_by")
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


def growth_events(*, candidate) -> list[TimelineEvent]:
    """Every growth event of the person; a fixed number of queries."""
    from mentoring.selectors.contributions import contribution_events
    from mentoring.selectors.support import support_events
    from mentoring.selectors.training import training_events

    return (
        visit_events(candidate=candidate)
        + assessment_events(candidate=candidate)
        + training_events(candidate=candidate)
        + support_events(candidate=candidate)
        + contribution_events(candidate=candidate)
    )
