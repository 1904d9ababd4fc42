"""A person's timeline: every event of their record, certifications, mentoring, the ladder, seats and
reserves, in order, read from the records and their history."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.choices import PromotionAction
from candidates.models import (
    MILESTONES,
    Candidate,
    Certification,
    CertificationStep,
    Elimination,
    Objection,
    Promotion,
    PromotionDecision,
)
from candidates.person import PersonRecords
from candidates.services.base import PERSONAL_FIELDS
from candidates.validators import mask_id_number, mask_phone
from candidates.workflow import STEPS
from config.forms import field_label
from mentoring.models import MentorAssignment
from villages.models import CommitteeSeat, Region, Reserve


@dataclass
class TimelineEvent:
    """One thing that happened to a person: when, by whom, what, and the particulars."""

    when: datetime.datetime
    who: object | None
    kind: str
    title: str
    details: list[str] = field(default_factory=list)
    # Events known only by their date (a mentor's start date) show no time of day.
    date_only: bool = False
    url: str = ""


# Fields of the record whose changes the timeline shows; the pinyin initials follow the name.
TIMELINE_FIELDS = (*PERSONAL_FIELDS, "stage", "status", "tier")


def _line(label, value) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _Values:
    """Shows a field's stored value the way a clerk reads it: labels for choices, names for villages."""

    def __init__(self, *, village_names: dict[str, str], full_identity: bool):
        self.village_names = village_names
        self.full_identity = full_identity

    def show(self, name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if name == "village":
            return self.village_names.get(value, value)
        if name == "id_number" and not self.full_identity:
            return mask_id_number(value)
        if name == "phone" and not self.full_identity:
            return mask_phone(value)
        model_field = Candidate._meta.get_field(name)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return str(value)


def _changes(history: list, *, full_identity: bool) -> list[TimelineEvent]:
    """One event per saved change of the record, with each changed field before → after."""
    deltas = []
    for older, newer in itertools.pairwise(history):
        delta = newer.diff_against(older, included_fields=TIMELINE_FIELDS)
        if delta.changes:
            deltas.append((newer, delta.changes))
    codes = {
        value
        for _record, changes in deltas
        for c in changes
        if c.field == "village"
        for value in (c.old, c.new)
    }
    # One query for the names of every village the person moved between, whatever the number of moves.
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    values = _Values(village_names=names, full_identity=full_identity)
    return [
        TimelineEvent(
            when=record.history_date,
            who=record.history_user,
            kind="changed",
            title=_("Record changed"),
            details=[
                _line(
                    field_label(Candidate, c.field),
                    _("%(old)s → %(new)s")
                    % {"old": values.show(c.field, c.old), "new": values.show(c.field, c.new)},
                )
                for c in sorted(changes, key=lambda c: TIMELINE_FIELDS.index(c.field))
            ],
        )
        for record, changes in deltas
    ]


def _certification_events(certification: Certification) -> list[TimelineEvent]:
    url = certification.get_absolute_url()
    events = [
        TimelineEvent(
            when=certification.started_at,
            who=certification.created_by,
            kind="nominated",
            title=_("Nominated: %(track)s") % {"track": certification.get_track_display()},
            details=[
                _line(field_label(Certification, "recommender"), certification.get_recommender_display()),
                _line(
                    field_label(Certification, "recommendation_reason"), certification.recommendation_reason
                ),
            ],
            url=url,
        )
    ]
    for step in certification.steps.all():
        events.append(
            TimelineEvent(
                when=step.at,
                who=step.by,
                kind="step",
                title=_("Step %(number)d, %(step)s: %(decision)s")
                % {
                    "number": step.step,
                    "step": STEPS[step.step].label,
                    "decision": step.get_decision_display(),
                },
                details=[_line(field_label(CertificationStep, "opinion"), step.opinion)]
                if step.opinion
                else [],
                url=url,
            )
        )
    notice = getattr(certification, "notice", None)
    if notice is not None:
        events.append(
            TimelineEvent(
                when=notice.published_at,
                who=notice.published_by,
                kind="notice",
                title=_("Public notice published"),
                details=[
                    _("%(start)s to %(end)s, %(days)d working days")
                    % {"start": notice.start_date, "end": notice.end_date, "days": notice.working_days}
                ],
                url=url,
            )
        )
    return events


def _objection_events(objection: Objection, url: str) -> list[TimelineEvent]:
    # The objector's name and contact stay on the objection itself: the timeline is read more widely.
    events = [
        TimelineEvent(
            when=objection.filed_at,
            who=objection.recorded_by,
            kind="objection",
            title=_("Objection received (%(channel)s)") % {"channel": objection.get_channel_display()},
            details=[objection.content],
            url=url,
        )
    ]
    if objection.ruled_at:
        events.append(
            TimelineEvent(
                when=objection.ruled_at,
                who=objection.ruled_by,
                kind="ruling",
                title=_("Objection ruled on: %(status)s") % {"status": objection.get_status_display()},
                details=[objection.ruling],
                url=url,
            )
        )
    return events


def _mentoring_events(assignment: MentorAssignment) -> list[TimelineEvent]:
    events = [
        TimelineEvent(
            when=_day_start(assignment.start_date),
            who=assignment.assigned_by,
            kind="mentor",
            title=_("Mentor assigned: %(mentor)s") % {"mentor": assignment.mentor},
            date_only=True,
        )
    ]
    if assignment.end_date:
        events.append(
            TimelineEvent(
                when=_day_start(assignment.end_date),
                who=None,
                kind="mentor",
                title=_("Mentoring by %(mentor)s ended") % {"mentor": assignment.mentor},
                date_only=True,
            )
        )
    return events


# What reaching each Party development milestone reads as on the timeline.
MILESTONE_TITLES = {
    "party_application_on": gettext_lazy("Applied to join the Party"),
    "activist_on": gettext_lazy("Became an activist applying for Party membership"),
    "development_target_on": gettext_lazy("Became a development target for Party membership"),
    "probationary_on": gettext_lazy("Became a probationary Party member"),
    "full_member_on": gettext_lazy("Became a full Party member"),
}


def _milestone_events(candidate: Candidate) -> list[TimelineEvent]:
    """One event per Party development milestone recorded on the person's record."""
    return [
        TimelineEvent(
            when=_day_start(getattr(candidate, name)),
            who=None,
            kind="party",
            title=str(MILESTONE_TITLES[name]),
            date_only=True,
        )
        for name in MILESTONES
        if getattr(candidate, name)
    ]


def _promotion_events(promotion: Promotion) -> list[TimelineEvent]:
    """The proposal and each decision on it, with the move it is about."""
    url = promotion.get_absolute_url()
    move = {"from": promotion.get_from_stage_display(), "to": promotion.get_to_stage_display()}
    events = [
        TimelineEvent(
            when=promotion.proposed_at,
            who=promotion.proposed_by,
            kind="promotion",
            title=_("Promotion proposed: %(from)s → %(to)s") % move,
            details=[_line(field_label(Promotion, "evidence"), promotion.evidence)]
            if promotion.evidence
            else [],
            url=url,
        )
    ]
    for decision in promotion.decisions.all():
        # The proposal is the promotion's own row; its log line would only repeat it.
        if decision.action == PromotionAction.PROPOSE:
            continue
        events.append(
            TimelineEvent(
                when=decision.at,
                who=decision.by,
                kind="promotion",
                title=_("Promotion %(from)s → %(to)s: %(action)s")
                % {**move, "action": decision.get_action_display()},
                details=[_line(field_label(PromotionDecision, "opinion"), decision.opinion)]
                if decision.opinion
                else [],
                url=url,
            )
        )
    return events


def _seat_events(seat: CommitteeSeat, today: datetime.date) -> list[TimelineEvent]:
    """A term on the village committees: its start, and its end once it has ended."""
    place = {"position": seat.get_position_display(), "village": seat.village.region.name}
    url = seat.village.get_absolute_url()
    events = [
        TimelineEvent(
            when=_day_start(seat.term_start),
            who=None,
            kind="seat",
            title=_("Took a seat on the village committees: %(position)s, %(village)s") % place,
            details=[_line(field_label(CommitteeSeat, "term_end"), seat.term_end)] if seat.term_end else [],
            date_only=True,
            url=url,
        )
    ]
    # A term end recorded ahead of time has not happened yet.
    if seat.term_end and seat.term_end <= today:
        events.append(
            TimelineEvent(
                when=_day_start(seat.term_end),
                who=None,
                kind="seat",
                title=_("Term on the village committees ended: %(position)s, %(village)s") % place,
                date_only=True,
                url=url,
            )
        )
    return events


def _reserve_events(reserve: Reserve, history: list) -> list[TimelineEvent]:
    """The designation (dated by the record), then each change of status the history kept."""
    url = reverse("villages:reserve_detail", args=[reserve.pk])
    what = {"kind": reserve.get_kind_display(), "village": reserve.village.region.name}
    # The record's creation gives the time of a designation entered on its day; one entered later
    # is known by its date only.
    created = history[0].history_date if history else None
    on_the_day = created is not None and timezone.localdate(created) == reserve.designated_on
    events = [
        TimelineEvent(
            when=created if on_the_day else _day_start(reserve.designated_on),
            who=reserve.proposed_by,
            kind="reserve",
            title=_("Designated as %(kind)s of %(village)s") % what,
            details=[_line(field_label(Reserve, "status"), reserve.get_status_display())],
            date_only=not on_the_day,
            url=url,
        )
    ]
    statuses = dict(Reserve._meta.get_field("status").flatchoices)
    for older, newer in itertools.pairwise(history):
        if older.status == newer.status:
            continue
        events.append(
            TimelineEvent(
                when=newer.history_date,
                who=newer.history_user,
                kind="reserve",
                title=_("%(kind)s of %(village)s: %(status)s")
                % {**what, "status": statuses.get(newer.status, newer.status)},
                details=[newer.note] if newer.note and newer.note != older.note else [],
                url=url,
            )
        )
    return events


def _elimination_events(elimination: Elimination) -> list[TimelineEvent]:
    url = elimination.get_absolute_url()
    events = [
        TimelineEvent(
            when=elimination.proposed_at,
            who=elimination.proposed_by,
            kind="elimination",
            title=_("Elimination proposed: %(reason)s") % {"reason": elimination.get_reason_display()},
            details=[elimination.details] if elimination.details else [],
            url=url,
        )
    ]
    if elimination.decided_at:
        events.append(
            TimelineEvent(
                when=elimination.decided_at,
                who=elimination.decided_by,
                kind="elimination",
                title=_("Elimination decided: %(state)s") % {"state": elimination.get_state_display()},
                details=[_line(field_label(Elimination, "opinion"), elimination.opinion)]
                if elimination.opinion
                else [],
                url=url,
            )
        )
    return events


def candidate_timeline(
    *, candidate: Candidate, user, full_identity: bool = False, records: PersonRecords | None = None
) -> list[TimelineEvent]:
    """Everything that happened to the person, oldest first, each with who and when: entry and changes,
    certification, objections, mentors, Party milestones, promotions, committee seats, reserves,
    eliminations, and the growth events of the mentoring app (visits, assessments, training, support,
    contributions).

    `candidate` was fetched through `visible_to(user)`; everything here hangs off it, the mentoring
    app's records scoped to the user (`records`, shared with the page's sections). A fixed number of
    queries, whatever the number of events. ID numbers and phones in changes are masked unless
    `full_identity` (the caller has logged the view of personal data).
    """
    records = records or PersonRecords(candidate=candidate, user=user)
    history = list(candidate.history.select_related("history_user").order_by("history_date", "history_id"))
    certifications = records.certifications
    objections = Objection.objects.filter(notice__certification__candidate=candidate).select_related(
        "notice", "recorded_by", "ruled_by"
    )
    assignments = records.assignments
    promotions = records.promotions
    seats = CommitteeSeat.objects.filter(candidate=candidate).select_related("village__region")
    reserves = Reserve.objects.filter(candidate=candidate).select_related("village__region", "proposed_by")
    # One query for the history of all the person's reserves, whatever their number.
    reserve_history = {}
    for record in (
        Reserve.history.filter(candidate_id=candidate.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        reserve_history.setdefault(record.id, []).append(record)
    eliminations = records.eliminations

    events = [
        TimelineEvent(
            when=candidate.created_at, who=candidate.created_by, kind="entered", title=_("Record entered")
        )
    ]
    events += _changes(history, full_identity=full_identity)
    urls = {}
    for certification in certifications:
        events += _certification_events(certification)
        urls[certification.pk] = certification.get_absolute_url()
    for objection in objections:
        events += _objection_events(objection, urls.get(objection.notice.certification_id, ""))
    for assignment in assignments:
        events += _mentoring_events(assignment)
    events += _milestone_events(candidate)
    for promotion in promotions:
        events += _promotion_events(promotion)
    today = timezone.localdate()
    for seat in seats:
        events += _seat_events(seat, today)
    for reserve in reserves:
        events += _reserve_events(reserve, reserve_history.get(reserve.pk, []))
    for elimination in eliminations:
        events += _elimination_events(elimination)
    # Mentoring, training, support and contributions: the mentoring app's (it imports this module).
    from mentoring.timeline import growth_events

    events += growth_events(candidate=candidate, records=records)

    # Date-only events go after the timed events of their day: a mentor is assigned when the
    # certification is filed, not before it.
    def order(indexed):
        index, event = indexed
        return (timezone.localdate(event.when), event.date_only, event.when, index)

    return [event for _index, event in sorted(enumerate(events), key=order)]
