"""Writes on candidates and certifications. Every change goes through here: checked, atomic, audited.

Audit: django-simple-history records before and after of each row, with the acting user
(`_history_user`), in the same transaction; the certification's own log is `CertificationStep`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

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
    PersonalDataView,
    PublicNotice,
    SelectionStandard,
    StandardCheck,
)
from candidates.notice_calendar import CalendarUnknown, notice_end_date
from candidates.workflow import STEPS, TRANSITIONS, pass_blockers

# Fields of a candidate that the registry form and the import write; status, stage and tier are
# the workflow's.
PERSONAL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "birth_date",
    "phone",
    "education",
    "political_status",
    "source",
    "village",
    "industry",
    "household_income",
    "notes",
)


class WorkflowError(Exception):
    """A step cannot be taken now; the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StepAlreadyTaken(WorkflowError):
    """Someone else completed the step a moment ago."""


def pinyin_initials(name: str) -> str:
    """王大勇 → "wdy", for searching by the first letters that clerks type."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def step_due_on(step: int, start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=settings.CERTIFICATION_STEP_TARGET_DAYS[step])


def _save(instance, by, **kwargs):
    instance._history_user = by
    instance.save(**kwargs)


def _require_visible(model, by, obj):
    """Out of jurisdiction is "not found", never "forbidden": it does not say the record exists."""
    if not model.objects.visible_to(by).filter(pk=obj.pk).exists():
        raise Http404


# Candidates -------------------------------------------------------------------------------------


def duplicate_message(*, by, id_number: str, exclude_pk=None) -> str | None:
    """Why `id_number` cannot be registered, or None. Names the village only to those who may see it."""
    existing = Candidate.objects.filter(id_number=id_number).exclude(pk=exclude_pk).first()
    if existing is None:
        return None
    if Candidate.objects.visible_to(by).filter(pk=existing.pk).exists():
        return _("This person is already registered, in %(village)s, as %(name)s.") % {
            "village": existing.village.region.name,
            "name": existing.name,
        }
    return _("This person is already registered elsewhere.")


def _check_candidate_fields(*, by, candidate: Candidate):
    from villages.models import Village

    if not Village.objects.visible_to(by).filter(pk=candidate.village_id).exists():
        raise ValidationError({"village": _("This village is not in your jurisdiction.")})
    message = duplicate_message(by=by, id_number=candidate.id_number, exclude_pk=candidate.pk)
    if message:
        raise ValidationError({"id_number": message})
    candidate.full_clean(exclude=["village"], validate_unique=False)


@transaction.atomic
def candidate_create(
    *, by, fields: dict, track: str | None = None, recommender: str = "", reason: str = ""
) -> Candidate:
    """Enter a person: a prospect (联系一批), or a nomination at step 1 when a track is given."""
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    candidate = Candidate(**{k: fields[k] for k in PERSONAL_FIELDS if k in fields}, created_by=by)
    candidate.name_initials = pinyin_initials(candidate.name)
    _check_candidate_fields(by=by, candidate=candidate)
    _save(candidate, by)
    if track:
        certification_nominate(
            by=by, candidate=candidate, track=track, recommender=recommender, reason=reason
        )
    return candidate


@transaction.atomic
def candidate_update(*, by, candidate: Candidate, fields: dict) -> Candidate:
    """Change a person's record; the status, stage and tier change only through the workflows."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _require_visible(Candidate, by, candidate)
    if not permissions.can_edit_candidate(by, candidate):
        raise PermissionDenied
    for name in PERSONAL_FIELDS:
        if name in fields:
            setattr(candidate, name, fields[name])
    candidate.name_initials = pinyin_initials(candidate.name)
    _check_candidate_fields(by=by, candidate=candidate)
    _save(candidate, by)
    return candidate


def personal_data_view_log(*, by, candidate: Candidate) -> bool:
    """Record that `by` is shown the full ID number and phone; False if their role may not see them."""
    if not permissions.can_see_full_identity(by):
        return False
    PersonalDataView.objects.create(user=by, candidate=candidate)
    return True


# Certification ----------------------------------------------------------------------------------


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
    if track not in Track.values or recommender not in Recommender.values:
        raise WorkflowError(_("Choose the track and who recommends the person."))
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the recommendation."))
    today = timezone.localdate()
    certification = Certification(
        candidate=candidate,
        track=track,
        recommender=recommender,
        recommendation_reason=reason.strip(),
        step=1,
        step_started_on=today,
        step_due_on=step_due_on(1, today),
        created_by=by,
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
    locked = (
        Certification.objects.select_for_update()
        .select_related("candidate__village")
        .get(pk=certification.pk)
    )
    _require_visible(Certification, by, locked)
    if locked.state != CertificationState.IN_PROGRESS or (expected_step and locked.step != expected_step):
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
    opinion: str = "",
    expected_step: int | None = None,
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
def certification_record(*, certification: Certification, by, data: dict, expected_step: int | None = None):
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


@transaction.atomic
def notice_publish(*, certification: Certification, by, start_date: datetime.date) -> PublicNotice:
    """Step 6 (公示): publish the notice; it runs settings.NOTICE_WORKING_DAYS working days."""
    certification = _lock(certification, by, expected_step=6)
    if by.role != STEPS[6].role:
        raise PermissionDenied
    if start_date < timezone.localdate():
        raise WorkflowError(_("A notice cannot start in the past."))
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
