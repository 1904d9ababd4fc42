"""The 7-step certification (认定, DESIGN §5), declared once as data.

Each `Step` says who takes it, what it records, what blocks it, and whether it publishes the public
notice, waits for the notice to end or assigns a mentor; its transitions (pass, return, reject)
follow from the order of the steps. Step numbers are written here and nowhere else: other modules
ask a step's attributes (`NOTICE_STEP`, `step.records`, `step.assigns_mentor`).
`CERTIFICATION.apply` (config.workflows) is the only code that moves a certification.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from candidates.choices import FIRST_STEP, LAST_STEP, CertificationState, Decision, ObjectionStatus, Status
from candidates.models import (
    Certification,
    CertificationStep,
    Objection,
    PublicNotice,
    SelectionStandard,
    StandardCheck,
)
from config.workflows import AlreadyDecided, Transition, Workflow, WorkflowError, save_with_history

# What each step records before it is decided -------------------------------------------------------


def _record_standards(certification, data, by):
    """`data["standards"]` maps a standard's number to (met, note)."""
    checks = data.get("standards") or {}
    standards = {s.number: s for s in SelectionStandard.objects.in_force()}
    existing = {c.standard_id: c for c in certification.standard_checks.all()}
    for number, (met, note) in checks.items():
        standard = standards.get(int(number))
        if standard is None:
            continue
        check = existing.get(standard.pk) or StandardCheck(certification=certification, standard=standard)
        check.met, check.note = bool(met), (note or "").strip()
        save_with_history(check, by)


def _record_meeting(certification, data, by):
    for name in ("meeting_date", "meeting_decision", "votes_for", "votes_total"):
        if name in data:
            setattr(certification, name, data[name])
    votes_for, votes_total = certification.votes_for, certification.votes_total
    if votes_for is not None and votes_total is not None and votes_for > votes_total:
        raise WorkflowError(gettext("There cannot be more votes for than votes cast."))


def _record_vetting(certification, data, by):
    for name in ("vetting_talks", "vetting_visits", "vetting_opinions"):
        if name in data:
            setattr(certification, name, (data[name] or "").strip())


def _record_filing(certification, data, by):
    if data.get("filed_on"):
        certification.filed_on = data["filed_on"]


# What keeps a step from passing ----------------------------------------------------------------------


def _standards_blockers(certification, opinion, data) -> list[str]:
    checks = {c.standard_id: c for c in certification.standard_checks.all()}
    if not checks:
        return [gettext("Go through the selection standards and record whether each is met.")]
    blockers = []
    for standard in SelectionStandard.objects.in_force():
        check = checks.get(standard.pk)
        if check is None:
            blockers.append(gettext("Standard %(n)d has not been checked.") % {"n": standard.number})
        elif standard.hard and not check.met:
            blockers.append(
                gettext("Hard standard %(n)d is not met: %(title)s.")
                % {"n": standard.number, "title": standard.title}
            )
    return blockers


def _meeting_blockers(certification, opinion, data) -> list[str]:
    blockers = []
    if not certification.meeting_date or not certification.meeting_decision.strip():
        blockers.append(gettext("Record the date and decision of the township Party committee meeting."))
    if not certification.votes_total:
        blockers.append(gettext("Record the democratic evaluation: votes for and votes cast."))
    elif certification.vote_share < settings.DEMOCRATIC_EVALUATION_MIN_SHARE:
        blockers.append(
            gettext("Only %(share).0f%% of the votes were for the person; at least %(min).0f%% are needed.")
            % {
                "share": certification.vote_share * 100,
                "min": settings.DEMOCRATIC_EVALUATION_MIN_SHARE * 100,
            }
        )
    return blockers


def _vetting_blockers(certification, opinion, data) -> list[str]:
    if certification.vetting_talks and certification.vetting_visits and certification.vetting_opinions:
        return []
    return [gettext("Record the talks held, the visits made and the opinions gathered.")]


def _opinion_blockers(certification, opinion, data) -> list[str]:
    return [] if opinion.strip() else [gettext("Give the county's opinion.")]


def _filing_blockers(certification, opinion, data) -> list[str]:
    blockers = []
    if not certification.filed_on:
        blockers.append(gettext("Give the filing date."))
    if not data.get("mentor"):
        blockers.append(gettext("Choose the mentor who will mentor the person."))
    return blockers


def notice_blockers(certification: Certification) -> list[str]:
    """Why the notice does not yet allow filing: not published, still running, or objections open."""
    notice = PublicNotice.objects.filter(certification=certification).first()
    if notice is None:
        return [gettext("Publish the public notice first.")]
    blockers = []
    if notice.is_running():
        blockers.append(gettext("The public notice runs until %(end)s.") % {"end": notice.end_date})
    open_objections = notice.objections.open().count()
    if open_objections:
        blockers.append(
            gettext("%(n)d objection(s) to the notice are open; rule on them first.") % {"n": open_objections}
        )
    return blockers


# The steps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the certification and its rules."""

    number: int
    key: str
    label: str
    role: str
    records: str
    # Saves what the step records on the certification (the step form's data), before a decision.
    recorder: Callable | None = None
    # What keeps the step from passing, besides the notice: (certification, opinion, data) -> messages.
    blockers: Callable | None = None
    # The step publishes the public notice (公示).
    publishes_notice: bool = False
    # The step cannot pass while the notice runs or an objection to it is open.
    waits_for_notice: bool = False
    # Passing the step assigns the person's mentor (包保帮带).
    assigns_mentor: bool = False
    # Its blockers read what the decision form sends (an opinion, a filing date and a mentor): they
    # are told after a decision is submitted, not drawn beforehand.
    needs_decision_input: bool = False

    @property
    def role_label(self) -> str:
        return Role(self.role).label


STEPS = {
    step.number: step
    for step in (
        Step(1, "nominate", _("Nominate"), Role.TOWNSHIP_OFFICIAL, _("recommender and reason")),
        Step(
            2,
            "qualify",
            _("Qualification check"),
            Role.TOWNSHIP_OFFICIAL,
            _("the selection standards, one by one"),
            recorder=_record_standards,
            blockers=_standards_blockers,
        ),
        Step(
            3,
            "preselect",
            _("Preselection"),
            Role.TOWNSHIP_OFFICIAL,
            _("Party committee meeting and democratic evaluation"),
            recorder=_record_meeting,
            blockers=_meeting_blockers,
        ),
        Step(
            4,
            "vet",
            _("Vetting"),
            Role.TOWNSHIP_OFFICIAL,
            _("talks, visits and opinions"),
            recorder=_record_vetting,
            blockers=_vetting_blockers,
        ),
        Step(
            5,
            "approve",
            _("Approval"),
            Role.COUNTY_REVIEWER,
            _("decision and opinion"),
            blockers=_opinion_blockers,
            needs_decision_input=True,
        ),
        Step(
            6,
            "publicize",
            _("Public notice"),
            Role.COUNTY_REVIEWER,
            _("notice period and objections"),
            publishes_notice=True,
            waits_for_notice=True,
        ),
        Step(
            7,
            "file",
            _("Filing"),
            Role.COUNTY_REVIEWER,
            _("filing date and mentor"),
            recorder=_record_filing,
            blockers=_filing_blockers,
            waits_for_notice=True,
            assigns_mentor=True,
            needs_decision_input=True,
        ),
    )
}
if (min(STEPS), max(STEPS)) != (FIRST_STEP, LAST_STEP) or len(STEPS) != LAST_STEP:
    raise ImproperlyConfigured("The certification's steps must be numbered FIRST_STEP to LAST_STEP.")
# The step that publishes the public notice, for pages and queues that ask after notices.
NOTICE_STEP = next(number for number, step in STEPS.items() if step.publishes_notice)
STEPS_BY_KEY = {step.key: step for step in STEPS.values()}


def pass_blockers(certification: Certification, *, opinion: str = "", data: dict | None = None) -> list[str]:
    """What keeps the current step from passing; empty when it may pass. Queries the database."""
    step = STEPS[certification.step]
    blockers = notice_blockers(certification) if step.waits_for_notice else []
    if step.blockers is not None:
        blockers += step.blockers(certification, opinion, data or {})
    return blockers


# The transitions and the workflow -------------------------------------------------------------------


def _transitions():
    for number, step in STEPS.items():
        roles = frozenset({step.role})
        if number < LAST_STEP:
            label = format_lazy(_("Pass to “{step}”"), step=STEPS[number + 1].label)
            yield Transition(str(number), Decision.PASS, str(number + 1), roles, label)
        else:
            yield Transition(str(number), Decision.PASS, CertificationState.FILED, roles, _("File"))
        if number > FIRST_STEP:
            label = format_lazy(_("Return to “{step}”"), step=STEPS[number - 1].label)
            yield Transition(str(number), Decision.RETURN, str(number - 1), roles, label, needs_reason=True)
        yield Transition(
            str(number), Decision.REJECT, CertificationState.REJECTED, roles, _("Reject"), needs_reason=True
        )
        if step.role != Role.COUNTY_REVIEWER:
            # The county's ruling on an objection rejects the application even after it was returned to
            # a township step while its notice still ran.
            yield Transition(
                str(number),
                Decision.REJECT,
                CertificationState.REJECTED,
                frozenset({Role.COUNTY_REVIEWER}),
                _("Reject"),
                needs_reason=True,
                applies=_objection_upheld,
                drawn=False,
            )


def _objection_upheld(certification) -> bool:
    return Objection.objects.filter(
        notice__certification=certification, status=ObjectionStatus.UPHELD
    ).exists()


def step_due_on(number: int, start: datetime.date) -> datetime.date:
    """When a step that starts on `start` is due (settings.CERTIFICATION_STEP_TARGET_DAYS)."""
    return start + datetime.timedelta(days=settings.CERTIFICATION_STEP_TARGET_DAYS[number])


class CertificationWorkflow(Workflow):
    """The certification's state is its step while in progress, then filed or rejected."""

    reason_message = _("Say why the application is returned or rejected.")

    def state(self, record) -> str:
        return str(record.step) if record.state == CertificationState.IN_PROGRESS else record.state

    def enter(self, record, transition, *, by, opinion, data) -> None:
        if transition.target.isdigit():
            record.step = int(transition.target)
            record.step_started_on = timezone.localdate()
            record.step_due_on = step_due_on(record.step, record.step_started_on)
        else:
            record.state = transition.target
            record.finished_at = timezone.now()

    def check(self, record, transition, *, by, opinion, data) -> None:
        """Passing a step saves what it records first, then asks what still blocks it."""
        if transition.action != Decision.PASS:
            return
        step = STEPS[record.step]
        if step.recorder is not None:
            step.recorder(record, data, by)
        blockers = pass_blockers(record, opinion=opinion, data=data)
        if blockers:
            raise WorkflowError(" ".join(blockers))

    def effects(self, record, transition, *, by, opinion, data) -> None:
        """Filing makes the person an active candidate of the track's stage, with a mentor; a rejection
        makes them someone who may be nominated again."""
        if transition.target not in (CertificationState.FILED, CertificationState.REJECTED):
            return
        candidate = record.candidate
        if transition.target == CertificationState.FILED:
            candidate.status, candidate.stage = Status.ACTIVE, record.track
        else:
            candidate.status = Status.REJECTED
        save_with_history(candidate, by)
        if STEPS[int(transition.source)].assigns_mentor and transition.target == CertificationState.FILED:
            from mentoring.services import mentor_assign

            mentor_assign(by=by, candidate=candidate, mentor=data["mentor"])

    def stale(self, record) -> AlreadyDecided:
        last = record.steps.select_related("by").order_by("-at", "-pk").first()
        if last is None:
            return AlreadyDecided(
                gettext("This certification has moved on; the page now shows where it stands.")
            )
        return AlreadyDecided(
            gettext(
                "This step was already completed by %(user)s at %(time)s: “%(decision)s”. "
                "The page now shows where it stands."
            )
            % {
                "user": last.by,
                "time": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M"),
                "decision": last.get_decision_display(),
            }
        )

    def impossible(self, record) -> WorkflowError:
        return WorkflowError(gettext("That decision is not possible at this step."))


def _log_step(certification, transition, by, opinion, source):
    """The timeline of a certification: one row per decision, with the step it was taken at."""
    CertificationStep.objects.create(
        certification=certification,
        step=int(source),
        decision=transition.action,
        opinion=opinion,
        by=by,
        at=timezone.now(),
    )


CERTIFICATION = CertificationWorkflow(model=Certification, transitions=list(_transitions()), log=_log_step)


@dataclass(frozen=True)
class Action:
    """A button on the certification page: a decision the user may take now, or why not."""

    decision: str
    label: str
    enabled: bool
    blockers: tuple[str, ...] = ()
