"""Writes on mentoring: assignments (the county assigns; each active candidate has one mentor)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.choices import Role
from mentoring.models import Mentor, MentorAssignment


@transaction.atomic
def mentor_assign(*, by, candidate, mentor: Mentor) -> MentorAssignment:
    """Make `mentor` the candidate's mentor from today, ending the current assignment if any."""
    from candidates.models import Candidate

    if by.role != Role.COUNTY_REVIEWER:
        raise PermissionDenied
    if not Candidate.objects.visible_to(by).filter(pk=candidate.pk).exists():
        raise Http404
    if not Mentor.objects.visible_to(by).filter(pk=mentor.pk).exists():
        raise Http404
    today = timezone.localdate()
    for current in MentorAssignment.objects.select_for_update().filter(
        candidate=candidate, end_date__isnull=True
    ):
        if current.mentor_id == mentor.pk:
            return current
        current.end_date = today
        current._history_user = by
        current.save()
    assignment = MentorAssignment(candidate=candidate, mentor=mentor, start_date=today, assigned_by=by)
    assignment._history_user = by
    assignment.save()
    return assignment
