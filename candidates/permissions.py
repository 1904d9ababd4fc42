"""Who may act on candidates and certifications (DESIGN §8). Jurisdiction is checked with `visible_to`."""

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction

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
    from candidates.choices import Status

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
