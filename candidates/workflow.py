"""The 7-step certification, declared once as data (DESIGN §5).

`STEPS` says who works on each step; `TRANSITIONS` says where each decision leads. The service
`certification_advance` is the only code that moves a certification, and it reads these tables.
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from candidates.choices import CertificationState, Decision

FIRST_STEP, LAST_STEP = 1, 7


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    label: str
    role: str
    records: str


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
