"""Who may act on candidates and certifications (DESIGN §8). Jurisdiction is checked with `visible_to`."""

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction
from candidates.choices import CertificationState, Decision, Status
from candidates.ladder import ELIMINATION, NEXT_STAGE, PROMOTION, PROPOSER_ROLES
from candidates.workflow import CERTIFICATION, STEPS, Action, notice_blockers
from mentoring.models import MentorAssignment

# Roles that see full ID card numbers and phones on the detail page (each view is logged).
FULL_IDENTITY_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER, Role.ADMINISTRATOR}


def _inside(user, candidate) -> bool:
    return in_jurisdiction(user, candidate.village_id)


def can_enter_candidates(user) -> bool:
    """Enter prospects, nominate, import: township officials."""
    return user.is_authenticated and user.role == Role.TOWNSHIP_OFFICIAL


def can_edit_candidate(user, candidate) -> bool:
    return can_enter_candidates(user) and _inside(user, candidate)


def can_nominate_candidate(user, candidate) -> bool:

    return can_edit_candidate(user, candidate) and candidate.status in (Status.PROSPECT, Status.REJECTED)


def can_see_full_identity(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in FULL_IDENTITY_ROLES)


def can_record_objection(user, certification) -> bool:
    """Officials of the candidate's township or county record objections received by phone or letter."""
    return (
        user.is_authenticated
        and user.role in (Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER)
        and _inside(user, certification.candidate)
    )


def can_rule_on_objections(user, certification) -> bool:
    """The county reviewer of the candidate's county rules on objections to the notice."""
    return (
        user.is_authenticated and user.role == Role.COUNTY_REVIEWER and _inside(user, certification.candidate)
    )


def can_rule_on_objection(user, objection) -> bool:
    return can_rule_on_objections(user, objection.notice.certification)


def can_edit_standards(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in (Role.CITY_STAFF, Role.ADMINISTRATOR))


# The certification -------------------------------------------------------------------------------


def can_decide_certification(user, certification) -> bool:
    """Whether `user` takes the certification's current step: the step's role, in the jurisdiction."""

    return (
        certification.state == CertificationState.IN_PROGRESS
        and user.is_authenticated
        and user.role == STEPS[certification.step].role
        and _inside(user, certification.candidate)
    )


def can_publish_notice(user, certification) -> bool:
    """The county publishes the public notice at the step that publishes it."""
    return can_decide_certification(user, certification) and STEPS[certification.step].publishes_notice


def certification_actions(user, certification) -> list:
    """The decisions `user` may take on the current step, as buttons; passing a step that waits for
    the notice shows what still blocks it. Queries the database for the blockers."""

    if not can_decide_certification(user, certification):
        return []
    step = STEPS[certification.step]
    actions = []
    for transition in CERTIFICATION.actions(certification, user):
        blockers = ()
        if transition.action == Decision.PASS and step.waits_for_notice and not step.needs_decision_input:
            blockers = tuple(notice_blockers(certification))
        actions.append(Action(transition.action, transition.label, not blockers, blockers))
    return actions


# The ladder ----------------------------------------------------------------------------------------


def can_record_milestones(user, candidate) -> bool:
    """The township or county of the candidate records the Party development milestones."""

    return user.is_authenticated and user.role in PROPOSER_ROLES and _inside(user, candidate)


def can_propose_promotion(user, candidate) -> bool:
    """The township or county proposes the next rung of an active candidate below the top."""

    return (
        user.is_authenticated
        and user.role in PROPOSER_ROLES
        and _inside(user, candidate)
        and candidate.status == Status.ACTIVE
        and candidate.stage in NEXT_STAGE
    )


def mentors(user, candidate) -> bool:
    """Whether `user` is the candidate's current mentor. Queries the database (for mentors only)."""

    return (
        user.is_authenticated
        and user.role == Role.MENTOR
        and MentorAssignment.objects.current().filter(candidate=candidate, mentor__user=user).exists()
    )


def can_propose_elimination(user, candidate) -> bool:
    """The township of an active candidate, or the candidate's own mentor, proposes an elimination."""

    if not user.is_authenticated or candidate.status != Status.ACTIVE:
        return False
    if user.role == Role.TOWNSHIP_OFFICIAL:
        return _inside(user, candidate)
    return mentors(user, candidate)


def promotion_actions(user, promotion) -> list[tuple[str, str]]:
    """(action, label) of the decisions `user` may take on the promotion now: the buttons to draw."""

    if not user.is_authenticated or not _inside(user, promotion.candidate):
        return []
    return [(t.action, t.label) for t in PROMOTION.actions(promotion, user)]


def elimination_actions(user, elimination) -> list[tuple[str, str]]:
    """The county of the candidate decides a proposed elimination: its two buttons."""

    if not user.is_authenticated or not _inside(user, elimination.candidate):
        return []
    return [(t.action, t.label) for t in ELIMINATION.actions(elimination, user)]
