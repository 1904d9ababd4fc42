"""Writes on mentoring visits (帮带记录), logged by the mentor or the township."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.workflows import require_visible, save_with_history
from mentoring import permissions
from mentoring.choices import VisitForm
from mentoring.models import MentorAssignment, MentoringVisit


@transaction.atomic
def visit_log(
    *, by: User, candidate, date, form: str, content: str, problems: str = "", follow_up: str = ""
) -> MentoringVisit:
    """Log a mentoring visit of an active candidate, on a day not in the future; the visit is the
    mentor's of the day."""
    from candidates.models import Candidate

    require_visible(Candidate, by, candidate)
    if not permissions.can_log_visit(by, candidate):
        raise PermissionDenied
    errors = {}
    if date > timezone.localdate():
        errors["date"] = _("A visit cannot be in the future.")
    if form not in VisitForm.values:
        errors["form"] = _("Choose how the visit took place.")
    if not content.strip():
        errors["content"] = _("Write what was discussed.")
    if errors:
        raise ValidationError(errors)
    assignment = (
        MentorAssignment.objects.filter(candidate=candidate, start_date__lte=date)
        .exclude(end_date__lt=date)
        .order_by("-start_date")
        .first()
    )
    visit = MentoringVisit(
        candidate=candidate,
        mentor=assignment.mentor if assignment else None,
        date=date,
        form=form,
        content=content.strip(),
        problems=problems.strip(),
        follow_up=follow_up.strip(),
        recorded_by=by,
    )
    save_with_history(visit, by)
    return visit
