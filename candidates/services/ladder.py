"""Writes on the ladder: Party development milestones, promotions and eliminations.

The proposals are written here; every later decision is a transition of the workflows declared in
candidates/ladder.py, taken by `Workflow.apply`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from candidates import permissions
from candidates.choices import (
    EliminationState,
    PoliticalStatus,
    PromotionAction,
    PromotionState,
    Stage,
    Status,
)
from candidates.ladder import (
    ELIMINATION,
    EVIDENCE_FIELDS,
    NEXT_STAGE,
    PROMOTION,
    promotion_evidence_problems,
    record_promotion_decision,
)
from candidates.models import MILESTONES, Candidate, Elimination, Promotion
from config.workflows import WorkflowError, require_visible, save_with_history


@transaction.atomic
def party_milestones_record(*, by: User, candidate: Candidate, dates: dict) -> Candidate:
    """Record the Party development milestones: in order, none in the future. The political status
    follows the last milestone reached."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
    if not permissions.can_record_milestones(by, candidate):
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
    save_with_history(candidate, by)
    return candidate


def _relied_seat(candidate, to_stage):
    from villages.choices import SeatPosition
    from villages.models import CommitteeSeat

    seats = CommitteeSeat.objects.current().filter(candidate=candidate)
    heads = seats.filter(position__in=(SeatPosition.SECRETARY, SeatPosition.DIRECTOR))
    if to_stage not in (Stage.VILLAGE_CADRE, Stage.VILLAGE_LEADER):
        return None
    return heads.first() or seats.first()


@transaction.atomic
def promotion_propose(*, by: User, candidate: Candidate, evidence: dict) -> Promotion:
    """The township (or county) proposes the next rung for an active candidate, with its evidence."""
    candidate = Candidate.objects.select_for_update().select_related("village").get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
    if not permissions.can_propose_promotion(by, candidate):
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
    save_with_history(promotion, by)
    record_promotion_decision(promotion, PromotionAction.PROPOSE, by)
    return promotion


def promotion_decide(
    *,
    by: User,
    promotion: Promotion,
    action: str,
    expected_state: str,
    opinion: str = "",
    evidence: dict | None = None,
) -> Promotion:
    """Endorse, approve, return or refuse a promotion, or resubmit a returned one (with its completed
    `evidence`), if it is still in the state `expected_state` that the user's page showed."""
    return PROMOTION.apply(
        promotion, action=action, by=by, expected=expected_state, opinion=opinion, data=evidence or {}
    )


# Eliminations -----------------------------------------------------------------------------------


@transaction.atomic
def elimination_propose(*, by: User, candidate: Candidate, reason: str, details: str) -> Elimination:
    """The township, or the candidate's mentor, proposes to eliminate a candidate, with a reason."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
    if not permissions.can_propose_elimination(by, candidate):
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
    save_with_history(elimination, by)
    return elimination


def elimination_decide(
    *, by: User, elimination: Elimination, approve: bool, opinion: str, expected_state: str
) -> Elimination:
    """The county decides, if the proposal is still in the state `expected_state` that the user's page
    showed. Approved: the person is eliminated, leaves the reserves, their open promotion is refused
    and their mentoring ends; every record is kept."""
    action = "approve" if approve else "refuse"
    return ELIMINATION.apply(elimination, action=action, by=by, expected=expected_state, opinion=opinion)


def eliminate(candidate: Candidate, *, by: User, on: datetime.date, why: str) -> None:
    """What an approved elimination does to the person, inside its transaction."""
    from villages.services import reserves_close

    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    candidate.status = Status.ELIMINATED
    save_with_history(candidate, by)
    reserves_close(candidate=candidate, by=by, on=on, note=_("Eliminated: %(why)s") % {"why": why})
    for promotion in Promotion.objects.open().filter(candidate=candidate):
        promotion.state, promotion.decided_at = PromotionState.REFUSED, timezone.now()
        save_with_history(promotion, by)
        record_promotion_decision(promotion, PromotionAction.REFUSE, by, _("The candidate was eliminated."))
    for assignment in candidate.mentor_assignments.filter(end_date__isnull=True):
        assignment.end_date = on
        save_with_history(assignment, by)
