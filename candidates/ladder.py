"""The ladder (DESIGN §4), declared once as data: which move follows each stage, what evidence it
needs, and the workflows of promotions and eliminations (who takes which decision, from which state).

`PROMOTION.apply` and `ELIMINATION.apply` (config.workflows) are the only code that moves them; the
proposals themselves are services (candidates/services/ladder.py), and who may act is asked of
candidates/permissions.py.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from candidates.choices import (
    EliminationState,
    PromotionAction,
    PromotionState,
    Stage,
    Status,
)
from candidates.models import Candidate, Elimination, Promotion, PromotionDecision
from config.workflows import AlreadyDecided, Transition, Workflow, WorkflowError, save_with_history

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


# Promotions -----------------------------------------------------------------------------------------

# What a proposal may state besides its text; the rest of the promotion is the workflow's.
EVIDENCE_FIELDS = ("evidence", "declared_income", "business", "cooperative", "industry_leader_certificate")
# Who proposes a promotion, and records the Party development milestones that it may rest on.
PROPOSER_ROLES = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER})
COUNTY, CITY = frozenset({Role.COUNTY_REVIEWER}), frozenset({Role.CITY_STAFF})


def _last_rung(promotion) -> bool:
    return promotion.to_stage in CITY_APPROVED


def _not_last_rung(promotion) -> bool:
    return promotion.to_stage not in CITY_APPROVED


P, A = PromotionState, PromotionAction
PROMOTION_TRANSITIONS = [
    Transition(P.PROPOSED, A.APPROVE, P.APPROVED, COUNTY, A.APPROVE.label, applies=_not_last_rung),
    Transition(P.PROPOSED, A.ENDORSE, P.ENDORSED, COUNTY, A.ENDORSE.label, applies=_last_rung),
    Transition(P.PROPOSED, A.RETURN, P.RETURNED, COUNTY, A.RETURN.label, needs_reason=True),
    Transition(P.PROPOSED, A.REFUSE, P.REFUSED, COUNTY, A.REFUSE.label, needs_reason=True),
    Transition(P.ENDORSED, A.APPROVE, P.APPROVED, CITY, A.APPROVE.label, applies=_last_rung),
    Transition(P.ENDORSED, A.RETURN, P.RETURNED, CITY, A.RETURN.label, needs_reason=True, applies=_last_rung),
    Transition(P.ENDORSED, A.REFUSE, P.REFUSED, CITY, A.REFUSE.label, needs_reason=True, applies=_last_rung),
    # A returned proposal is completed and sent again by its township (or county).
    Transition(P.RETURNED, A.RESUBMIT, P.PROPOSED, PROPOSER_ROLES, A.RESUBMIT.label),
]


class PromotionWorkflow(Workflow):
    """Endorse, approve, return or refuse a promotion, or resubmit a returned one."""

    reason_message = _("Say why the promotion is returned or refused.")

    def check(self, record, transition, *, by, opinion, data):
        """A resubmission completes the evidence; whatever moves the promotion on must rest on it."""
        if transition.action == A.RESUBMIT:
            for name in EVIDENCE_FIELDS:
                if name in data:
                    setattr(record, name, data[name] or ("" if name != "declared_income" else None))
        if transition.action in (A.RESUBMIT, A.ENDORSE, A.APPROVE):
            candidate = (
                Candidate.objects.select_for_update().select_related("village").get(pk=record.candidate_id)
            )
            stated = {name: getattr(record, name) for name in EVIDENCE_FIELDS}
            problems = promotion_evidence_problems(candidate, record.to_stage, stated)
            if problems:
                raise WorkflowError(" ".join(problems))

    def enter(self, record, transition, *, by, opinion, data):
        record.state = transition.target
        if transition.target in (P.APPROVED, P.REFUSED):
            record.decided_at = timezone.now()

    def effects(self, record, transition, *, by, opinion, data):
        """An approval moves the person up; the wealth-creator flag of their seats follows."""
        if transition.target != P.APPROVED:
            return
        from villages.services import seats_follow_stage

        candidate = Candidate.objects.select_for_update().get(pk=record.candidate_id)
        candidate.stage = record.to_stage
        save_with_history(candidate, by)
        seats_follow_stage(candidate=candidate, by=by)

    def stale(self, record) -> AlreadyDecided:
        last = record.decisions.select_related("by").last()
        return AlreadyDecided(
            gettext("This promotion was already decided by %(user)s: “%(state)s”.")
            % {"user": last.by if last else "—", "state": record.get_state_display()}
        )

    def impossible(self, record) -> WorkflowError:
        return WorkflowError(
            gettext("That decision is not possible now (%(state)s).") % {"state": record.get_state_display()}
        )


def record_promotion_decision(promotion, action: str, by, opinion: str = "") -> None:
    """The log of a promotion: one row per decision, its proposal included."""
    PromotionDecision.objects.create(promotion=promotion, action=action, by=by, opinion=opinion)


def _log_promotion(promotion, transition, by, opinion, source):
    record_promotion_decision(promotion, transition.action, by, opinion)


PROMOTION = PromotionWorkflow(model=Promotion, transitions=PROMOTION_TRANSITIONS, log=_log_promotion)


# Eliminations -----------------------------------------------------------------------------------

# Who proposes an elimination: the township of the person, or their own mentor.
ELIMINATION_PROPOSER_ROLES = frozenset({Role.TOWNSHIP_OFFICIAL, Role.MENTOR})

E = EliminationState
ELIMINATION_TRANSITIONS = [
    Transition(E.PROPOSED, "approve", E.APPROVED, COUNTY, _("Approve the elimination"), needs_reason=True),
    Transition(
        E.PROPOSED, "refuse", E.REFUSED, COUNTY, _("Refuse: keep in the programme"), needs_reason=True
    ),
]


class EliminationWorkflow(Workflow):
    """The county decides a proposed elimination; an approval eliminates the person."""

    reason_message = _("Give the county's opinion.")

    def enter(self, record, transition, *, by, opinion, data):
        record.state = transition.target
        record.decided_by, record.decided_at, record.opinion = by, timezone.now(), opinion

    def effects(self, record, transition, *, by, opinion, data):
        if transition.target == E.APPROVED:
            from candidates.services.ladder import eliminate

            eliminate(
                record.candidate,
                by=by,
                on=timezone.localdate(record.decided_at),
                why=record.get_reason_display(),
            )

    def stale(self, record) -> AlreadyDecided:
        return AlreadyDecided(
            gettext("This proposal was already decided by %(user)s: “%(state)s”.")
            % {"user": record.decided_by or "—", "state": record.get_state_display()}
        )


ELIMINATION = EliminationWorkflow(model=Elimination, transitions=ELIMINATION_TRANSITIONS)
