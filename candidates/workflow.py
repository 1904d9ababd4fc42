"""The 7-step certification, declared once as data (DESIGN §5).

`STEPS` says who works on each step; `TRANSITIONS` says where each decision leads. The service
`certification_advance` is the only code that moves a certification, and it reads these tables.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction
from candidates.choices import CertificationState, Decision
from candidates.models import Certification, PublicNotice, SelectionStandard

FIRST_STEP, LAST_STEP = 1, 7
# Steps that record something before they are decided (a form of their own, a recorder in services).
RECORDING_STEPS = frozenset({2, 3, 4, 7})


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    label: str
    role: str
    records: str

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
        ),
        Step(
            3,
            "preselect",
            _("Preselection"),
            Role.TOWNSHIP_OFFICIAL,
            _("Party committee meeting and democratic evaluation"),
        ),
        Step(4, "vet", _("Vetting"), Role.TOWNSHIP_OFFICIAL, _("talks, visits and opinions")),
        Step(5, "approve", _("Approval"), Role.COUNTY_REVIEWER, _("decision and opinion")),
        Step(6, "publicize", _("Public notice"), Role.COUNTY_REVIEWER, _("notice period and objections")),
        Step(7, "file", _("Filing"), Role.COUNTY_REVIEWER, _("filing date and mentor")),
    )
}


@dataclass(frozen=True)
class Transition:
    source: int
    decision: str
    target_step: int | None  # None: the certification ends
    target_state: str
    role: str
    label: str


def _transitions():
    for number, step in STEPS.items():
        if number < LAST_STEP:
            yield Transition(
                number,
                Decision.PASS,
                number + 1,
                CertificationState.IN_PROGRESS,
                step.role,
                format_lazy(_("Pass to “{step}”"), step=STEPS[number + 1].label),
            )
        else:
            yield Transition(number, Decision.PASS, None, CertificationState.FILED, step.role, _("File"))
        if number > FIRST_STEP:
            yield Transition(
                number,
                Decision.RETURN,
                number - 1,
                CertificationState.IN_PROGRESS,
                step.role,
                format_lazy(_("Return to “{step}”"), step=STEPS[number - 1].label),
            )
        yield Transition(number, Decision.REJECT, None, CertificationState.REJECTED, step.role, _("Reject"))


TRANSITIONS = {(t.source, t.decision): t for t in _transitions()}


# Why a step cannot pass yet ------------------------------------------------------------------------


def pass_blockers(certification: Certification, *, opinion: str = "", data: dict | None = None) -> list[str]:
    """What keeps the current step from passing; empty when it may pass. Queries the database."""
    step = certification.step
    blockers = []
    if step == 2:
        checks = {c.standard_id: c for c in certification.standard_checks.all()}
        if not checks:
            return [gettext("Go through the selection standards and record whether each is met.")]
        for standard in SelectionStandard.objects.in_force():
            check = checks.get(standard.pk)
            if check is None:
                blockers.append(gettext("Standard %(n)d has not been checked.") % {"n": standard.number})
            elif standard.hard and not check.met:
                blockers.append(
                    gettext("Hard standard %(n)d is not met: %(title)s.")
                    % {"n": standard.number, "title": standard.title}
                )
    elif step == 3:
        if not certification.meeting_date or not certification.meeting_decision.strip():
            blockers.append(gettext("Record the date and decision of the township Party committee meeting."))
        if not certification.votes_total:
            blockers.append(gettext("Record the democratic evaluation: votes for and votes cast."))
        elif certification.vote_share < settings.DEMOCRATIC_EVALUATION_MIN_SHARE:
            blockers.append(
                gettext(
                    "Only %(share).0f%% of the votes were for the person; at least %(min).0f%% are needed."
                )
                % {
                    "share": certification.vote_share * 100,
                    "min": settings.DEMOCRATIC_EVALUATION_MIN_SHARE * 100,
                }
            )
    elif step == 4:
        if not (
            certification.vetting_talks and certification.vetting_visits and certification.vetting_opinions
        ):
            blockers.append(gettext("Record the talks held, the visits made and the opinions gathered."))
    elif step == 5:
        if not opinion.strip():
            blockers.append(gettext("Give the county's opinion."))
    elif step in (6, 7):
        blockers.extend(notice_blockers(certification))
        if step == 7:
            if not certification.filed_on:
                blockers.append(gettext("Give the filing date."))
            if not (data or {}).get("mentor"):
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


@dataclass(frozen=True)
class Action:
    """A button on the certification page: a decision the user may take now, or why not."""

    decision: str
    label: str
    enabled: bool
    blockers: tuple[str, ...] = ()


def may_act(certification, user) -> bool:
    """Whether `user` works on the certification's current step: the step's role, in the jurisdiction."""
    return (
        certification.state == CertificationState.IN_PROGRESS
        and user.is_authenticated
        and user.role == STEPS[certification.step].role
        and in_jurisdiction(user, certification.candidate.village_id)
    )


def available_actions(certification, user) -> list[Action]:
    """The decisions `user` may take on the current step; passing shows what still blocks it.

    Queries the database for the blockers.
    """
    if not may_act(certification, user):
        return []
    actions = []
    for decision in (Decision.PASS, Decision.RETURN, Decision.REJECT):
        transition = TRANSITIONS.get((certification.step, decision))
        if transition is None:
            continue
        blockers = ()
        if decision == Decision.PASS and certification.step in (6,):
            blockers = tuple(notice_blockers(certification))
        actions.append(Action(decision, transition.label, not blockers, blockers))
    return actions
