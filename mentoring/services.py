"""Writes on mentoring: assignments (the county assigns; each active candidate has one mentor)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from config.workflows import require_visible, save_with_history
from mentoring.models import Mentor, MentorAssignment


@transaction.atomic
def mentor_assign(*, by: User, candidate, mentor: Mentor) -> MentorAssignment:
    """Make `mentor` the candidate's mentor from today, ending the current assignment if any."""
    from candidates.models import Candidate

    if by.role != Role.COUNTY_REVIEWER:
        raise PermissionDenied
    require_visible(Candidate, by, candidate)
    require_visible(Mentor, by, mentor)
    today = timezone.localdate()
    for current in MentorAssignment.objects.select_for_update().filter(
        candidate=candidate, end_date__isnull=True
    ):
        if current.mentor_id == mentor.pk:
            return current
        current.end_date = today
        save_with_history(current, by)
    assignment = MentorAssignment(candidate=candidate, mentor=mentor, start_date=today, assigned_by=by)
    save_with_history(assignment, by)
    return assignment
