"""Writes on the candidate registry: entering, correcting, and logging who saw personal data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from candidates import permissions
from candidates.choices import PersonalDataPlace
from candidates.models import (
    Candidate,
    PersonalDataView,
)
from candidates.services.base import PERSONAL_FIELDS, pinyin_initials
from config.workflows import require_visible, save_with_history


def duplicate_message(*, by: User, id_number: str, exclude_pk=None) -> str | None:
    """Why `id_number` cannot be registered, or None. Names the village only to those who may see it."""
    existing = Candidate.objects.filter(id_number=id_number).exclude(pk=exclude_pk).first()
    if existing is None:
        return None
    if Candidate.objects.visible_to(by).filter(pk=existing.pk).exists():
        return _("This person is already registered, in %(village)s, as %(name)s.") % {
            "village": existing.village.region.name,
            "name": existing.name,
        }
    return _("This person is already registered elsewhere.")


def _check_candidate_fields(*, by: User, candidate: Candidate):
    from villages.models import Village

    if not Village.objects.visible_to(by).filter(pk=candidate.village_id).exists():
        raise ValidationError({"village": _("This village is not in your jurisdiction.")})
    message = duplicate_message(by=by, id_number=candidate.id_number, exclude_pk=candidate.pk)
    if message:
        raise ValidationError({"id_number": message})
    candidate.full_clean(exclude=["village"], validate_unique=False)


@transaction.atomic
def candidate_create(
    *, by: User, fields: dict, track: str | None = None, recommender: str = "", reason: str = ""
) -> Candidate:
    """Enter a person: a prospect (联系一批), or a nomination at step 1 when a track is given."""
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    candidate = Candidate(**{k: fields[k] for k in PERSONAL_FIELDS if k in fields}, created_by=by)
    candidate.name_initials = pinyin_initials(candidate.name)
    _check_candidate_fields(by=by, candidate=candidate)
    save_with_history(candidate, by)
    if track:
        from candidates.services.certification import certification_nominate

        certification_nominate(
            by=by, candidate=candidate, track=track, recommender=recommender, reason=reason
        )
    return candidate


@transaction.atomic
def candidate_update(*, by: User, candidate: Candidate, fields: dict) -> Candidate:
    """Change a person's record; the status, stage and tier change only through the workflows."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
    if not permissions.can_edit_candidate(by, candidate):
        raise PermissionDenied
    for name in PERSONAL_FIELDS:
        if name in fields:
            setattr(candidate, name, fields[name])
    candidate.name_initials = pinyin_initials(candidate.name)
    _check_candidate_fields(by=by, candidate=candidate)
    save_with_history(candidate, by)
    return candidate


def personal_data_view_log(*, by: User, candidate: Candidate, where: str = PersonalDataPlace.DETAIL) -> bool:
    """Record that `by` is shown the full ID number and phone of `candidate` on the page `where`;
    False, and nothing logged, if their role may not see them."""
    if not permissions.can_see_full_identity(by):
        return False
    PersonalDataView.objects.create(user=by, candidate=candidate, where=where)
    return True


def id_number_search_log(*, by: User, candidates) -> int:
    """Record that `by` searched by a whole ID card number and found `candidates`, whatever their role:
    such a search says whose number it is. Returns how many were logged."""
    where = PersonalDataPlace.SEARCH
    rows = [PersonalDataView(user=by, candidate=candidate, where=where) for candidate in candidates]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)
