"""Writes on assessments (考核): the mentor submits, the county confirms or returns (mentoring.workflow)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.workflows import require_visible, save_with_history
from mentoring import permissions
from mentoring.choices import grade_of
from mentoring.models import DIMENSIONS, Assessment, MentorAssignment
from mentoring.workflow import ASSESSMENT


def _score_errors(scores: dict) -> dict:
    return {
        name: _("A score lies between 0 and 20.")
        for name in DIMENSIONS
        if scores.get(name) is None or not 0 <= scores[name] <= 20
    }


@transaction.atomic
def assessment_submit(
    *, by: User, candidate, year: int, quarter: int, scores: dict, comments: str = ""
) -> Assessment:
    """The mentor submits the assessment of a mentee for a quarter (1–4) or a year (0); the total and
    the grade follow from the five scores, never typed."""
    from candidates.models import Candidate

    require_visible(Candidate, by, candidate)
    if not permissions.can_submit_assessment(by, candidate):
        raise PermissionDenied
    errors = _score_errors(scores)
    if quarter not in range(5):
        errors["quarter"] = _("Choose a quarter, or the whole year.")
    if errors:
        raise ValidationError(errors)
    mentor = MentorAssignment.objects.current().get(candidate=candidate).mentor
    total = sum(scores[name] for name in DIMENSIONS)
    assessment = Assessment(
        candidate=candidate,
        mentor=mentor,
        year=year,
        quarter=quarter,
        total=total,
        grade=grade_of(total),
        comments=comments.strip(),
        submitted_by=by,
        **{name: scores[name] for name in DIMENSIONS},
    )
    assessment.full_clean(exclude=["candidate", "mentor", "submitted_by"], validate_unique=False)
    try:
        with transaction.atomic():
            save_with_history(assessment, by)
    except IntegrityError:
        raise ValidationError(
            {"quarter": _("%(period)s is already assessed.") % {"period": assessment.period}}
        ) from None
    return assessment


@transaction.atomic
def assessment_decide(
    *,
    by: User,
    assessment: Assessment,
    action: str,
    expected_state: str,
    opinion: str = "",
    scores: dict | None = None,
    comments: str | None = None,
) -> Assessment:
    """Confirm (and lock) or return an assessment (the county), or submit a returned one again with
    corrected scores (its mentor), if it is still in the state the user's page showed."""
    if action == "resubmit" and assessment.mentor.user_id != by.pk:
        raise PermissionDenied
    data = dict(scores or {})
    if comments is not None:
        data["comments"] = comments.strip()
    return ASSESSMENT.apply(
        assessment, action=action, by=by, expected=expected_state, opinion=opinion, data=data
    )
