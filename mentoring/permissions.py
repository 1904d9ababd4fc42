"""Who may act on mentoring, training, support and contributions (DESIGN §8, issue 9).

Jurisdiction is settled first by `visible_to`; these functions add the role and, for mentors, whose
mentor they are. Templates ask the same functions which buttons to draw.
"""

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction
from candidates.choices import Status
from candidates.permissions import mentors
from mentoring.workflow import ASSESSMENT

# Roles that keep the records of training, support and contributions for the people of their region.
RECORD_KEEPERS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER})


def _inside(user, candidate) -> bool:
    return in_jurisdiction(user, candidate.village_id)


def _active(candidate) -> bool:
    return candidate.status == Status.ACTIVE


def can_see_mentors(user) -> bool:
    """The leaders who mentor, and their load: the officials of the county and above, and the townships."""
    return user.is_authenticated and (
        user.is_administrator or user.role in (Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER, Role.CITY_STAFF)
    )


def can_manage_mentors(user) -> bool:
    """The county keeps its list of mentors and assigns them (DESIGN §8)."""
    return user.is_authenticated and user.role == Role.COUNTY_REVIEWER


def can_assign_mentor(user, candidate) -> bool:
    """The county of an active candidate assigns (or changes) their mentor."""
    return can_manage_mentors(user) and _inside(user, candidate) and _active(candidate)


def can_log_visit(user, candidate) -> bool:
    """The candidate's mentor, or the township of the candidate, logs a mentoring visit."""
    if not user.is_authenticated or not _active(candidate):
        return False
    if user.role == Role.TOWNSHIP_OFFICIAL:
        return _inside(user, candidate)
    return mentors(user, candidate)


def can_submit_assessment(user, candidate) -> bool:
    """The candidate's current mentor submits their assessments."""
    return user.is_authenticated and _active(candidate) and mentors(user, candidate)


def assessment_actions(user, assessment) -> list:
    """The decisions `user` may take on the assessment now: the county confirms or returns it, the
    assessing mentor submits a returned one again. `assessment` comes from `visible_to(user)`."""
    if not user.is_authenticated or not _inside(user, assessment.candidate):
        return []
    if user.role == Role.MENTOR and assessment.mentor.user_id != user.pk:
        return []
    return ASSESSMENT.actions(assessment, user)


def can_keep_training(user) -> bool:
    """Courses are entered by the city, the counties and the townships, each for its own level."""
    return user.is_authenticated and user.role in (*RECORD_KEEPERS, Role.CITY_STAFF)


def can_enrol(user, candidate) -> bool:
    """The township or county of the candidate enrols them in a course and records its completion."""
    return user.is_authenticated and user.role in RECORD_KEEPERS and _inside(user, candidate)


def can_import_online_learning(user) -> bool:
    """The monthly hours of online learning are imported by the city, a county or a township, for the
    people of their region."""
    return can_keep_training(user)


def can_record_support(user, candidate) -> bool:
    """The township or county of the candidate records the support they received."""
    return user.is_authenticated and user.role in RECORD_KEEPERS and _inside(user, candidate)


def can_record_contributions(user, candidate) -> bool:
    """The township or county of the candidate records what they contributed and their awards."""
    return user.is_authenticated and user.role in RECORD_KEEPERS and _inside(user, candidate)


def can_edit_policies(user) -> bool:
    """City staff keep the policy catalogue (DESIGN §8)."""
    return user.is_authenticated and (user.is_administrator or user.role == Role.CITY_STAFF)


# Training (issue 9): which levels of course each role enters, and who enrols people at all.


def course_levels(user) -> list[str]:
    """The levels of course `user` enters: a township and a county their own; the city (and the
    administrators, in the admin) every level, the university cohorts among them."""
    from mentoring.choices import CourseLevel

    if not user.is_authenticated:
        return []
    if user.is_administrator or user.role == Role.CITY_STAFF:
        return list(CourseLevel.values)
    own = {Role.COUNTY_REVIEWER: CourseLevel.COUNTY, Role.TOWNSHIP_OFFICIAL: CourseLevel.TOWNSHIP}
    return [own[user.role]] if user.role in own else []


def can_enrol_candidates(user) -> bool:
    """Whether `user` enrols people in courses at all (the townships and counties, each its own people):
    the enrolment page and its buttons; `can_enrol` decides for one person."""
    return user.is_authenticated and user.role in RECORD_KEEPERS
