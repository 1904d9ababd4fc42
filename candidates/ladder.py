"""The ladder (DESIGN §4), declared once as data: which move follows each stage, what evidence it
needs, who decides each step of a promotion, and who decides an elimination.

The services in candidates/services/ladder.py are the only code that moves people, and they read
these tables; `promotion_actions` and `elimination_actions` tell templates which buttons to draw.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction
from candidates.choices import (
    EliminationState,
    PromotionAction,
    PromotionState,
    Stage,
    Status,
)

# The rung each stage moves to: the three directions meet at member wealth-creator.
NEXT_STAGE = {
    Stage.WEALTH_CREATOR: Stage.MEMBER_WEALTH_CREATOR,
    Stage.PARTY_MEMBER: Stage.MEMBER_WEALTH_CREATOR,
    Stage.MEMBER_WEALTH_CREATOR: Stage.VILLAGE_CADRE,
    Stage.VILLAGE_CADRE: Stage.VILLAGE_LEADER,
    Stage.VILLAGE_LEADER: Stage.REVITALIZATION_LEADER,
}
# The last rung needs the city's approval after the county's.
CITY_APPROVED = {Stage.REVITALIZATION_LEADER}

# What the evidence of each move must show (shown on the proposal form).
EVIDENCE_RULE = {
    Stage.WEALTH_CREATOR: _("The date the person became a probationary or full Party member."),
    Stage.PARTY_MEMBER: _(
        "Wealth creation: a business run, a cooperative led, or a household income above the village's "
        "per-capita income times %(factor)s."
    ),
    Stage.MEMBER_WEALTH_CREATOR: _("A current seat on the village committees."),
    Stage.VILLAGE_CADRE: _("A current secretary or director seat, or a certification as an industry leader."),
    Stage.VILLAGE_LEADER: _("The record of achievements; the city approves after the county."),
}

PROPOSER_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER}
MILESTONE_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER}
ELIMINATION_PROPOSER_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.MENTOR}


@dataclass(frozen=True)
class PromotionTransition:
    state: str
    action: str
    target: str
    role: str
    last_rung: bool | None  # None: any move; True/False: only the last rung / only the others


PROMOTION_TRANSITIONS = [
    PromotionTransition(
        PromotionState.PROPOSED, PromotionAction.APPROVE, PromotionState.APPROVED, Role.COUNTY_REVIEWER, False
    ),
    PromotionTransition(
        PromotionState.PROPOSED, PromotionAction.ENDORSE, PromotionState.ENDORSED, Role.COUNTY_REVIEWER, True
    ),
    PromotionTransition(
        PromotionState.PROPOSED, PromotionAction.RETURN, PromotionState.RETURNED, Role.COUNTY_REVIEWER, None
    ),
    PromotionTransition(
        PromotionState.PROPOSED, PromotionAction.REFUSE, PromotionState.REFUSED, Role.COUNTY_REVIEWER, None
    ),
    PromotionTransition(
        PromotionState.ENDORSED, PromotionAction.APPROVE, PromotionState.APPROVED, Role.CITY_STAFF, True
    ),
    PromotionTransition(
        PromotionState.ENDORSED, PromotionAction.RETURN, PromotionState.RETURNED, Role.CITY_STAFF, True
    ),
    PromotionTransition(
        PromotionState.ENDORSED, PromotionAction.REFUSE, PromotionState.REFUSED, Role.CITY_STAFF, True
    ),
    # A returned proposal is completed and sent again by its township (or county).
    PromotionTransition(
        PromotionState.RETURNED,
        PromotionAction.RESUBMIT,
        PromotionState.PROPOSED,
        Role.TOWNSHIP_OFFICIAL,
        None,
    ),
    PromotionTransition(
        PromotionState.RETURNED, PromotionAction.RESUBMIT, PromotionState.PROPOSED, Role.COUNTY_REVIEWER, None
    ),
]


def promotion_transition(promotion, action: str, role: str) -> PromotionTransition | None:
    last = promotion.to_stage in CITY_APPROVED
    for transition in PROMOTION_TRANSITIONS:
        if (
            transition.state == promotion.state
            and transition.action == action
            and transition.role == role
            and transition.last_rung in (None, last)
        ):
            return transition
    return None


def promotion_actions(promotion, user) -> list[tuple[str, str]]:
    """(action, label) pairs the user may take on the promotion now: the buttons to draw."""
    if not user.is_authenticated or not in_jurisdiction(user, promotion.candidate.village_id):
        return []
    return [
        (t.action, PromotionAction(t.action).label)
        for t in PROMOTION_TRANSITIONS
        if t.state == promotion.state
        and t.role == user.role
        and t.last_rung in (None, promotion.to_stage in CITY_APPROVED)
    ]


def promotion_evidence_problems(candidate, to_stage: str, evidence: dict, *, today=None) -> list[str]:
    """What is missing for `candidate` to move to `to_stage`; empty when the evidence holds.

    Queries the database (seats, the village's income).
    """
    from villages.choices import SeatPosition
    from villages.models import CommitteeSeat

    today = today or timezone.localdate()
    problems = []
    if candidate.status != Status.ACTIVE:
        return [
            gettext("Only an active candidate can be promoted; %(name)s is %(status)s.")
            % {"name": candidate.name, "status": candidate.get_status_display()}
        ]
    if NEXT_STAGE.get(candidate.stage) != to_stage:
        return [
            gettext("%(name)s is a %(stage)s; the next rung is not “%(to)s”.")
            % {"name": candidate.name, "stage": candidate.get_stage_display(), "to": Stage(to_stage).label}
        ]
    seats = CommitteeSeat.objects.current(today).filter(candidate=candidate)
    if candidate.stage == Stage.WEALTH_CREATOR:
        if not candidate.is_party_member:
            problems.append(
                gettext(
                    "Record the date %(name)s became a probationary or full Party member "
                    "(Party development) first."
                )
                % {"name": candidate.name}
            )
    elif candidate.stage == Stage.PARTY_MEMBER:
        income = evidence.get("declared_income")
        threshold = candidate.village.per_capita_income * Decimal(str(settings.PROMOTION_INCOME_FACTOR))
        if not (evidence.get("business") or evidence.get("cooperative") or (income and income > threshold)):
            problems.append(
                gettext(
                    "Show wealth creation: a business run, a cooperative led, or a household income above "
                    "%(threshold)s yuan (the village's per-capita income times %(factor)s)."
                )
                % {"threshold": f"{threshold:,.0f}", "factor": f"{settings.PROMOTION_INCOME_FACTOR:g}"}
            )
    elif candidate.stage == Stage.MEMBER_WEALTH_CREATOR:
        if not seats.exists():
            problems.append(
                gettext(
                    "%(name)s holds no current seat on the village committees; "
                    "record the seat on the village page."
                )
                % {"name": candidate.name}
            )
    elif candidate.stage == Stage.VILLAGE_CADRE:
        heads = seats.filter(position__in=(SeatPosition.SECRETARY, SeatPosition.DIRECTOR))
        if not heads.exists() and not evidence.get("industry_leader_certificate"):
            problems.append(
                gettext(
                    "Show a current secretary or director seat, or the certification as an industry leader."
                )
            )
    if not (evidence.get("evidence") or "").strip():
        problems.append(gettext("Describe the evidence."))
    return problems


def may_record_milestones(candidate, user) -> bool:
    """The township or county of the candidate records the Party development milestones."""
    return (
        user.is_authenticated and user.role in MILESTONE_ROLES and in_jurisdiction(user, candidate.village_id)
    )


def may_propose_promotion(candidate, user) -> bool:
    return (
        user.is_authenticated
        and user.role in PROPOSER_ROLES
        and in_jurisdiction(user, candidate.village_id)
        and candidate.status == Status.ACTIVE
        and candidate.stage in NEXT_STAGE
    )


# Eliminations -------------------------------------------------------------------------------------


def may_propose_elimination(candidate, user, *, is_mentor: bool) -> bool:
    """The township of the candidate, or the candidate's own mentor (`is_mentor`), proposes."""
    if not user.is_authenticated or candidate.status != Status.ACTIVE:
        return False
    if user.role == Role.TOWNSHIP_OFFICIAL:
        return in_jurisdiction(user, candidate.village_id)
    return user.role == Role.MENTOR and is_mentor


def elimination_actions(elimination, user) -> list[tuple[str, str]]:
    """The county of the candidate decides a proposed elimination."""
    if (
        elimination.state == EliminationState.PROPOSED
        and user.is_authenticated
        and user.role == Role.COUNTY_REVIEWER
        and in_jurisdiction(user, elimination.candidate.village_id)
    ):
        return [
            ("approve", gettext("Approve the elimination")),
            ("refuse", gettext("Refuse: keep in the programme")),
        ]
    return []
