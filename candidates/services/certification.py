"""Writes of the 7-step certification: nomination, steps, public notice and objections."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
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
from candidates.models import Candidate, Certification, Objection, PublicNotice
from candidates.notice_calendar import CalendarUnknown, notice_end_date
from candidates.workflow import CERTIFICATION, FIRST_STEP, NOTICE_STEP, STEPS, step_due_on
from config.workflows import AlreadyDecided, WorkflowError, require_visible, save_with_history


def nomination(
    *,
    by: User,
    candidate: Candidate,
    track: str,
    recommender: str,
    reason: str,
    today: datetime.date | None = None,
) -> Certification:
    """The step-1 certification (推荐) of a nomination, not saved yet: the one rule for a nomination,
    typed in (`certification_nominate`) or imported. The candidate's status is the caller's to set."""
    if track not in Track or recommender not in Recommender:
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
    *, by: User, candidate: Candidate, track: str, recommender: str, reason: str
) -> Certification:
    """Step 1 (推荐): open a certification for a prospect, or for a person rejected before."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
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
    save_with_history(certification, by)
    candidate.status = Status.CERTIFYING
    save_with_history(candidate, by)
    return certification


@transaction.atomic
def certification_advance(
    *,
    certification: Certification,
    by: User,
    decision: str,
    expected_step: int,
    opinion: str = "",
    data: dict | None = None,
) -> Certification:
    """Take the current step: pass it, return to the previous step, or reject the application.

    `expected_step` is the step the user's page showed; `data` is what the step records (its form's
    data). Of two reviewers deciding the same step at once exactly one succeeds; the other gets
    AlreadyDecided.
    """
    return CERTIFICATION.apply(
        certification, action=decision, by=by, expected=expected_step, opinion=opinion, data=data
    )


@transaction.atomic
def certification_record(
    *, certification: Certification, by: User, data: dict, expected_step: int
) -> Certification:
    """Save what the current step records without deciding it yet."""
    certification = CERTIFICATION.lock(certification, by=by, expected=expected_step)
    step = STEPS[certification.step]
    if by.role != step.role:
        raise PermissionDenied
    if step.recorder is not None:
        step.recorder(certification, data, by)
    save_with_history(certification, by)
    return certification


# Public notice and objections ------------------------------------------------------------------

# How far ahead a notice may be set to start.
NOTICE_LEAD_DAYS = 365


@transaction.atomic
def notice_publish(*, certification: Certification, by: User, start_date: datetime.date) -> PublicNotice:
    """Publish the public notice (公示) of the step that publishes it; it runs
    settings.NOTICE_WORKING_DAYS working days."""
    certification = CERTIFICATION.lock(certification, by=by, expected=NOTICE_STEP)
    if by.role != STEPS[NOTICE_STEP].role:
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
    save_with_history(notice, by)
    return notice


@dataclass
class ObjectionInput:
    content: str
    name: str = ""
    contact: str = ""
    channel: str = ObjectionChannel.WEB


@transaction.atomic
def objection_file(*, notice: PublicNotice, objection: ObjectionInput, by: User | None = None) -> Objection:
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
        require_visible(PublicNotice, by, notice)
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
    save_with_history(record, by)
    return record


@transaction.atomic
def objection_rule(*, objection: Objection, by: User, upheld: bool, ruling: str) -> Objection:
    """The county rules on an objection; an upheld objection rejects the application."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("notice__certification__candidate")
        .get(pk=objection.pk)
    )
    require_visible(Objection, by, objection)
    if not permissions.can_rule_on_objection(by, objection):
        raise PermissionDenied
    if objection.status != ObjectionStatus.OPEN:
        raise AlreadyDecided(
            _("This objection was already ruled on by %(user)s.") % {"user": objection.ruled_by or "—"}
        )
    if not ruling.strip():
        raise WorkflowError(_("Give the reasoning of the ruling."))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.ruling, objection.ruled_by, objection.ruled_at = ruling.strip(), by, timezone.now()
    save_with_history(objection, by)
    certification = objection.notice.certification
    if upheld and certification.state == CertificationState.IN_PROGRESS:
        CERTIFICATION.apply(
            certification,
            action=Decision.REJECT,
            by=by,
            expected=CERTIFICATION.state(certification),
            opinion=_("Objection upheld: %(ruling)s") % {"ruling": objection.ruling},
        )
    return objection
