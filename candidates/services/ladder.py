"""Writes on the ladder: Party development milestones, promotions and eliminations."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from candidates.choices import (
    EliminationState,
    PoliticalStatus,
    PromotionAction,
    PromotionState,
    Stage,
    Status,
)
from candidates.ladder import (
    NEXT_STAGE,
    PROMOTION_TRANSITIONS,
    may_propose_elimination,
    may_propose_promotion,
    may_record_milestones,
    promotion_evidence_problems,
    promotion_transition,
)
from candidates.models import MILESTONES, Candidate, Elimination, Promotion, PromotionDecision
from candidates.services.base import StepAlreadyTaken, WorkflowError, _require_visible, _save

# What a proposal may state besides its text; the rest of the promotion is the workflow's.
EVIDENCE_FIELDS = ("evidence", "declared_income", "business", "cooperative", "industry_leader_certificate")


@transaction.atomic
def party_milestones_record(*, by, candidate: Candidate, dates: dict) -> Candidate:
    """Record the Party development milestones: in order, none in the future. The political status
    follows the last milestone reached."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _require_visible(Candidate, by, candidate)
    if not may_record_milestones(candidate, by):
        raise PermissionDenied
    today = timezone.localdate()
    errors, previous = {}, None
    for name in MILESTONES:
        day = dates.get(name, getattr(candidate, name))
        label = Candidate._meta.get_field(name).verbose_name
        if day and day > today:
            errors[name] = _("“%(milestone)s” cannot be in the future.") % {"milestone": label}
        elif day and previous and day < previous[1]:
            errors[name] = _(
                "“%(milestone)s” (%(day)s) cannot come before “%(before)s” (%(before_day)s)."
            ) % {
                "milestone": label,
                "day": day,
                "before": previous[0],
                "before_day": previous[1],
            }
        if day:
            previous = (label, day)
        setattr(candidate, name, day)
    if errors:
        raise ValidationError(errors)
    if candidate.full_member_on:
        candidate.political_status = PoliticalStatus.MEMBER
    elif candidate.probationary_on:
        candidate.political_status = PoliticalStatus.PROBATIONARY
    _save(candidate, by)
    return candidate


def _log(promotion, action, by, opinion=""):
    PromotionDecision.objects.create(
        promotion=promotion, action=action, by=by, opinion=(opinion or "").strip()
    )


def _relied_seat(candidate, to_stage):
    from villages.choices import SeatPosition
    from villages.models import CommitteeSeat

    seats = CommitteeSeat.objects.current().filter(candidate=candidate)
    heads = seats.filter(position__in=(SeatPosition.SECRETARY, SeatPosition.DIRECTOR))
    if to_stage not in (Stage.VILLAGE_CADRE, Stage.VILLAGE_LEADER):
        return None
    return heads.first() or seats.first()


@transaction.atomic
def promotion_propose(*, by, candidate: Candidate, evidence: dict) -> Promotion:
    """The township (or county) proposes the next rung for an active candidate, with its evidence."""
    candidate = Candidate.objects.select_for_update().select_related("village").get(pk=candidate.pk)
    _require_visible(Candidate, by, candidate)
    if not may_propose_promotion(candidate, by):
        if by.role in (Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER) and candidate.status != Status.ACTIVE:
            raise WorkflowError(
                _("%(name)s is %(status)s and cannot be promoted.")
                % {"name": candidate.name, "status": candidate.get_status_display()}
            )
        if by.role in (Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER):
            raise WorkflowError(_("%(name)s is already on the top rung.") % {"name": candidate.name})
        raise PermissionDenied
    open_promotion = Promotion.objects.open().filter(candidate=candidate).first()
    if open_promotion is not None:
        raise WorkflowError(
            _("A promotion of %(name)s is already under way (%(state)s).")
            % {"name": candidate.name, "state": open_promotion.get_state_display()}
        )
    to_stage = NEXT_STAGE[candidate.stage]
    problems = promotion_evidence_problems(candidate, to_stage, evidence)
    if problems:
        raise WorkflowError(" ".join(problems))
    promotion = Promotion(
        candidate=candidate,
        from_stage=candidate.stage,
        to_stage=to_stage,
        proposed_by=by,
        seat=_relied_seat(candidate, to_stage),
        **{
            name: evidence.get(name) or ("" if name != "declared_income" else None)
            for name in EVIDENCE_FIELDS
        },
    )
    _save(promotion, by)
    _log(promotion, PromotionAction.PROPOSE, by)
    return promotion


@transaction.atomic
def promotion_decide(
    *,
    by,
    promotion: Promotion,
    action: str,
    opinion: str = "",
    evidence: dict | None = None,
    expected_state: str | None = None,
) -> Promotion:
    """Endorse, approve, return or refuse a promotion, or resubmit a returned one. Approval moves the
    person up and the wealth-creator flag of their seats follows."""
    promotion = (
        Promotion.objects.select_for_update().select_related("candidate__village").get(pk=promotion.pk)
    )
    _require_visible(Promotion, by, promotion)
    if expected_state and promotion.state != expected_state:
        last = promotion.decisions.select_related("by").last()
        raise StepAlreadyTaken(
            _("This promotion was already decided by %(user)s: “%(state)s”.")
            % {"user": last.by if last else "—", "state": promotion.get_state_display()}
        )
    transition = promotion_transition(promotion, action, by.role)
    if transition is None:
        if any(t.state == promotion.state and t.action == action for t in PROMOTION_TRANSITIONS):
            raise PermissionDenied
        raise WorkflowError(
            _("That decision is not possible now (%(state)s).") % {"state": promotion.get_state_display()}
        )
    if action in (PromotionAction.RETURN, PromotionAction.REFUSE) and not opinion.strip():
        raise WorkflowError(_("Say why the promotion is returned or refused."))
    candidate = Candidate.objects.select_for_update().get(pk=promotion.candidate_id)
    if action == PromotionAction.RESUBMIT:
        for name in EVIDENCE_FIELDS:
            if evidence and name in evidence:
                setattr(promotion, name, evidence[name] or ("" if name != "declared_income" else None))
    if action in (PromotionAction.RESUBMIT, PromotionAction.ENDORSE, PromotionAction.APPROVE):
        stated = {name: getattr(promotion, name) for name in EVIDENCE_FIELDS}
        problems = promotion_evidence_problems(candidate, promotion.to_stage, stated)
        if problems:
            raise WorkflowError(" ".join(problems))
    promotion.state = transition.target
    if transition.target in (PromotionState.APPROVED, PromotionState.REFUSED):
        promotion.decided_at = timezone.now()
    if transition.target == PromotionState.APPROVED:
        from villages.services import seats_follow_stage

        candidate.stage = promotion.to_stage
        _save(candidate, by)
        seats_follow_stage(candidate=candidate, by=by)
    _save(promotion, by)
    _log(promotion, action, by, opinion)
    return promotion


# Eliminations -----------------------------------------------------------------------------------


def _is_mentor_of(user, candidate) -> bool:
    return candidate.mentor_assignments.filter(end_date__isnull=True, mentor__user=user).exists()


@transaction.atomic
def elimination_propose(*, by, candidate: Candidate, reason: str, details: str) -> Elimination:
    """The township, or the candidate's mentor, proposes to eliminate a candidate, with a reason."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _require_visible(Candidate, by, candidate)
    if not may_propose_elimination(candidate, by, is_mentor=_is_mentor_of(by, candidate)):
        if candidate.status != Status.ACTIVE and by.role in (Role.TOWNSHIP_OFFICIAL, Role.MENTOR):
            raise WorkflowError(
                _("%(name)s is %(status)s; only an active candidate can be eliminated.")
                % {"name": candidate.name, "status": candidate.get_status_display()}
            )
        raise PermissionDenied
    if Elimination.objects.filter(candidate=candidate, state=EliminationState.PROPOSED).exists():
        raise WorkflowError(
            _("The elimination of %(name)s is already awaiting the county.") % {"name": candidate.name}
        )
    if not details.strip():
        raise WorkflowError(_("Describe what happened: the county decides on it."))
    elimination = Elimination(candidate=candidate, reason=reason, details=details.strip(), proposed_by=by)
    _save(elimination, by)
    return elimination


@transaction.atomic
def elimination_decide(*, by, elimination: Elimination, approve: bool, opinion: str) -> Elimination:
    """The county decides. Approved: the person is eliminated, leaves the reserves, their open
    promotion is refused and their mentoring ends; every record is kept."""
    elimination = Elimination.objects.select_for_update().get(pk=elimination.pk)
    _require_visible(Elimination, by, elimination)
    if by.role != Role.COUNTY_REVIEWER:
        raise PermissionDenied
    if elimination.state != EliminationState.PROPOSED:
        raise StepAlreadyTaken(
            _("This proposal was already decided by %(user)s: “%(state)s”.")
            % {"user": elimination.decided_by or "—", "state": elimination.get_state_display()}
        )
    if not opinion.strip():
        raise WorkflowError(_("Give the county's opinion."))
    now = timezone.now()
    elimination.state = EliminationState.APPROVED if approve else EliminationState.REFUSED
    elimination.decided_by, elimination.decided_at, elimination.opinion = by, now, opinion.strip()
    _save(elimination, by)
    if approve:
        _eliminate(
            elimination.candidate, by=by, on=timezone.localdate(now), why=elimination.get_reason_display()
        )
    return elimination


def _eliminate(candidate: Candidate, *, by, on: datetime.date, why: str):
    from villages.services import reserves_close

    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    candidate.status = Status.ELIMINATED
    _save(candidate, by)
    reserves_close(candidate=candidate, by=by, on=on, note=_("Eliminated: %(why)s") % {"why": why})
    for promotion in Promotion.objects.open().filter(candidate=candidate):
        promotion.state, promotion.decided_at = PromotionState.REFUSED, timezone.now()
        _save(promotion, by)
        _log(promotion, PromotionAction.REFUSE, by, _("The candidate was eliminated."))
    for assignment in candidate.mentor_assignments.filter(end_date__isnull=True):
        assignment.end_date = on
        _save(assignment, by)
