"""Writes of the 7-step certification: nomination, steps, public notice and objections."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates import permissions
from candidates.choices import (
    CertificationState,
    Decision,
    ObjectionChannel,
    ObjectionStatus,
    Recommender,
    Status,
    Track,
)
from candidates.models import (
    Candidate,
    Certification,
    CertificationStep,
    Objection,
    PublicNotice,
    SelectionStandard,
    StandardCheck,
)
from candidates.notice_calendar import CalendarUnknown, notice_end_date
from candidates.services.base import (
    StepAlreadyTaken,
    WorkflowError,
    _require_visible,
    _save,
    step_due_on,
)
from candidates.workflow import FIRST_STEP, STEPS, TRANSITIONS, pass_blockers


def nomination(
    *, by, candidate: Candidate, track: str, recommender: str, reason: str, today: datetime.date | None = None
) -> Certification:
    """The step-1 certification (推荐) of a nomination, not saved yet: the one rule for a nomination,
    typed in (`certification_nominate`) or imported. The candidate's status is the caller's to set."""
    if track not in Track.values or recommender not in Recommender.values:
        raise WorkflowError(_("Choose the track and who recommends the person."))
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the recommendation."))
    today = today or timezone.localdate()
    return Certification(
        candidate=candidate,
        track=track,
        recommender=recommender,
        recommendation_reason=reason.strip(),
        step=FIRST_STEP,
        step_started_on=today,
        step_due_on=step_due_on(FIRST_STEP, today),
        created_by=by,
    )


@transaction.atomic
def certification_nominate(
    *, by, candidate: Candidate, track: str, recommender: str, reason: str
) -> Certification:
    """Step 1 (推荐): open a certification for a prospect, or for a person rejected before."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _require_visible(Candidate, by, candidate)
    if not permissions.can_nominate_candidate(by, candidate):
        if permissions.can_edit_candidate(by, candidate):
            raise WorkflowError(
                _("%(name)s is %(status)s and cannot be nominated now.")
                % {"name": candidate.name, "status": candidate.get_status_display()}
            )
        raise PermissionDenied
    certification = nomination(
        by=by, candidate=candidate, track=track, recommender=recommender, reason=reason
    )
    _save(certification, by)
    candidate.status = Status.CERTIFYING
    _save(candidate, by)
    return certification


def _record_standards(certification, data, by):
    """Step 2: `data["standards"]` maps a standard's number to (met, note)."""
    checks = data.get("standards") or {}
    standards = {s.number: s for s in SelectionStandard.objects.in_force()}
    existing = {c.standard_id: c for c in certification.standard_checks.all()}
    for number, (met, note) in checks.items():
        standard = standards.get(int(number))
        if standard is None:
            continue
        check = existing.get(standard.pk) or StandardCheck(certification=certification, standard=standard)
        check.met, check.note = bool(met), (note or "").strip()
        _save(check, by)


def _record_meeting(certification, data, by):
    for name in ("meeting_date", "meeting_decision", "votes_for", "votes_total"):
        if name in data:
            setattr(certification, name, data[name])
    votes_for, votes_total = certification.votes_for, certification.votes_total
    if votes_for is not None and votes_total is not None and votes_for > votes_total:
        raise WorkflowError(_("There cannot be more votes for than votes cast."))


def _record_vetting(certification, data, by):
    for name in ("vetting_talks", "vetting_visits", "vetting_opinions"):
        if name in data:
            setattr(certification, name, (data[name] or "").strip())


def _record_filing(certification, data, by):
    if data.get("filed_on"):
        certification.filed_on = data["filed_on"]


# What each step records before it can pass; the step's form sends it as `data`.
STEP_RECORDERS = {2: _record_standards, 3: _record_meeting, 4: _record_vetting, 7: _record_filing}


def _lock(certification: Certification, by, *, expected_step: int | None) -> Certification:
    """The certification, locked for this transaction, if it is still at `expected_step`.

    `expected_step` is the step the user's page showed: a missing or wrong one is refused like a
    stale page (finding F8: a 0 skipped the check, and two returns went 3 → 2 → 1). Only the
    workflow itself passes None, when an upheld objection rejects whatever the step.
    """
    locked = (
        Certification.objects.select_for_update()
        .select_related("candidate__village")
        .get(pk=certification.pk)
    )
    _require_visible(Certification, by, locked)
    if locked.state != CertificationState.IN_PROGRESS or (
        expected_step is not None and locked.step != expected_step
    ):
        last = locked.steps.select_related("by").order_by("-at", "-pk").first()
        if last is not None:
            raise StepAlreadyTaken(
                _(
                    "This step was already completed by %(user)s at %(time)s: “%(decision)s”. "
                    "The page now shows where it stands."
                )
                % {
                    "user": last.by,
                    "time": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M"),
                    "decision": last.get_decision_display(),
                }
            )
        raise StepAlreadyTaken(_("This certification has moved on; the page now shows where it stands."))
    return locked


def _apply(certification: Certification, *, by, decision: str, opinion: str) -> Certification:
    transition = TRANSITIONS[(certification.step, decision)]
    step = certification.step
    candidate = certification.candidate
    now = timezone.now()
    if transition.target_step is not None:
        certification.step = transition.target_step
        certification.step_started_on = timezone.localdate()
        certification.step_due_on = step_due_on(transition.target_step, certification.step_started_on)
    else:
        certification.state = transition.target_state
        certification.finished_at = now
        if transition.target_state == CertificationState.FILED:
            candidate.status = Status.ACTIVE
            candidate.stage = certification.track
        else:
            candidate.status = Status.REJECTED
        _save(candidate, by)
    _save(certification, by)
    CertificationStep.objects.create(
        certification=certification, step=step, decision=decision, opinion=opinion.strip(), by=by, at=now
    )
    return certification


@transaction.atomic
def certification_advance(
    *,
    certification: Certification,
    by,
    decision: str,
    expected_step: int,
    opinion: str = "",
    data: dict | None = None,
) -> Certification:
    """Take the current step: pass it, return to the previous step, or reject the application.

    The row is locked first, so of two reviewers deciding the same step at the same moment exactly
    one succeeds; the other gets StepAlreadyTaken. `expected_step` is the step the user's page showed.
    """
    certification = _lock(certification, by, expected_step=expected_step)
    transition = TRANSITIONS.get((certification.step, decision))
    if transition is None:
        raise WorkflowError(_("That decision is not possible at this step."))
    if by.role != transition.role:
        raise PermissionDenied
    data = data or {}
    if decision in (Decision.RETURN, Decision.REJECT) and not opinion.strip():
        raise WorkflowError(_("Say why the application is returned or rejected."))
    if decision == Decision.PASS:
        recorder = STEP_RECORDERS.get(certification.step)
        if recorder:
            recorder(certification, data, by)
        blockers = pass_blockers(certification, opinion=opinion, data=data)
        if blockers:
            raise WorkflowError(" ".join(blockers))
        if certification.step == 7:
            from mentoring.services import mentor_assign

            _apply(certification, by=by, decision=decision, opinion=opinion)
            mentor_assign(by=by, candidate=certification.candidate, mentor=data["mentor"])
            return certification
    return _apply(certification, by=by, decision=decision, opinion=opinion)


@transaction.atomic
def certification_record(*, certification: Certification, by, data: dict, expected_step: int):
    """Save what the current step records without deciding it yet."""
    certification = _lock(certification, by, expected_step=expected_step)
    if by.role != STEPS[certification.step].role:
        raise PermissionDenied
    recorder = STEP_RECORDERS.get(certification.step)
    if recorder:
        recorder(certification, data, by)
    _save(certification, by)
    return certification


# Public notice and objections ------------------------------------------------------------------


# How far ahead a notice may be set to start.
NOTICE_LEAD_DAYS = 365


@transaction.atomic
def notice_publish(*, certification: Certification, by, start_date: datetime.date) -> PublicNotice:
    """Step 6 (公示): publish the notice; it runs settings.NOTICE_WORKING_DAYS working days."""
    certification = _lock(certification, by, expected_step=6)
    if by.role != STEPS[6].role:
        raise PermissionDenied
    today = timezone.localdate()
    if start_date < today:
        raise WorkflowError(_("A notice cannot start in the past."))
    if start_date > today + datetime.timedelta(days=NOTICE_LEAD_DAYS):
        raise WorkflowError(
            _("A notice starts within %(days)d days of its publication.") % {"days": NOTICE_LEAD_DAYS}
        )
    days = settings.NOTICE_WORKING_DAYS
    try:
        end = notice_end_date(start_date, days)
    except CalendarUnknown as unknown:
        raise WorkflowError(str(unknown)) from None
    notice = PublicNotice.objects.filter(certification=certification).first()
    if notice is not None and notice.objections.open().exists():
        raise WorkflowError(_("Rule on the open objections before publishing the notice again."))
    notice = notice or PublicNotice(certification=certification)
    notice.start_date, notice.end_date, notice.working_days = start_date, end, days
    notice.published_by, notice.published_at = by, timezone.now()
    _save(notice, by)
    return notice


@dataclass
class ObjectionInput:
    content: str
    name: str = ""
    contact: str = ""
    channel: str = ObjectionChannel.WEB


@transaction.atomic
def objection_file(*, notice: PublicNotice, objection: ObjectionInput, by=None) -> Objection:
    """File an objection: anyone from the notice page while it runs, or an official recording one
    received by phone, letter or in person while the certification is still open."""
    notice = (
        PublicNotice.objects.select_for_update().select_related("certification__candidate").get(pk=notice.pk)
    )
    if not objection.content.strip():
        raise WorkflowError(_("Write what the objection is."))
    if by is None:
        if not PublicNotice.objects.in_force().filter(pk=notice.pk).exists():
            raise WorkflowError(_("This notice is no longer open for objections."))
        channel = ObjectionChannel.WEB
    else:
        _require_visible(PublicNotice, by, notice)
        if not permissions.can_record_objection(by, notice.certification):
            raise PermissionDenied
        if notice.certification.state != CertificationState.IN_PROGRESS:
            raise WorkflowError(_("This certification is closed; objections can no longer be recorded."))
        channel = objection.channel
    record = Objection(
        notice=notice,
        channel=channel,
        content=objection.content.strip(),
        objector_name=objection.name.strip(),
        objector_contact=objection.contact.strip(),
        recorded_by=by,
    )
    _save(record, by)
    return record


@transaction.atomic
def objection_rule(*, objection: Objection, by, upheld: bool, ruling: str) -> Objection:
    """The county rules on an objection; an upheld objection rejects the application."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("notice__certification__candidate")
        .get(pk=objection.pk)
    )
    _require_visible(Objection, by, objection)
    if not permissions.can_rule_on_objection(by, objection):
        raise PermissionDenied
    if objection.status != ObjectionStatus.OPEN:
        raise StepAlreadyTaken(
            _("This objection was already ruled on by %(user)s.") % {"user": objection.ruled_by or "—"}
        )
    if not ruling.strip():
        raise WorkflowError(_("Give the reasoning of the ruling."))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.ruling, objection.ruled_by, objection.ruled_at = ruling.strip(), by, timezone.now()
    _save(objection, by)
    certification = objection.notice.certification
    if upheld and certification.state == CertificationState.IN_PROGRESS:
        certification = _lock(certification, by, expected_step=None)
        _apply(
            certification,
            by=by,
            decision=Decision.REJECT,
            opinion=_("Objection upheld: %(ruling)s") % {"ruling": objection.ruling},
        )
    return objection
