"""Writes on mentors and their assignments: the county assigns, reassigns, and records a leader leaving."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from candidates.choices import Status
from config.workflows import require_visible, save_with_history
from mentoring.models import Mentor, MentorAssignment
from mentoring.selectors.mentors import mentor_regions


@transaction.atomic
def mentor_assign(*, by: User, candidate, mentor: Mentor) -> MentorAssignment:
    """Make `mentor` the candidate's mentor from today, ending the current assignment if any (its
    history kept): at filing, and for a reassignment."""
    from candidates.models import Candidate

    if by.role != Role.COUNTY_REVIEWER:
        raise PermissionDenied
    require_visible(Candidate, by, candidate)
    require_visible(Mentor, by, mentor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != Status.ACTIVE:
        raise ValidationError(_("Only an active candidate has a mentor."))
    if not mentor.active:
        raise ValidationError({"mentor": _("%(mentor)s no longer mentors anyone.") % {"mentor": mentor}})
    if mentor.region_id not in mentor_regions(candidate.village_id):
        raise ValidationError({"mentor": _("A mentor is a leader of the person's own township or county.")})
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


@transaction.atomic
def mentor_leave(*, by: User, mentor: Mentor) -> int:
    """A leader who leaves mentors no one from today: their assignments end (the people join the
    county's "without mentor" list). Returns how many assignments ended."""
    if by.role != Role.COUNTY_REVIEWER:
        raise PermissionDenied
    require_visible(Mentor, by, mentor)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    today = timezone.localdate()
    ended = 0
    for assignment in MentorAssignment.objects.select_for_update().filter(
        mentor=mentor, end_date__isnull=True
    ):
        assignment.end_date = today
        save_with_history(assignment, by)
        ended += 1
    mentor.active = False
    save_with_history(mentor, by)
    return ended
