"""Writes on support (扶持): what a candidate received, recorded by the township or county of the person.

The policy catalogue itself is kept by city staff in the admin (`config.workflows.record_save`).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from candidates.models import Candidate
from config.workflows import require_visible, save_with_history
from mentoring import permissions
from mentoring.choices import SupportKind
from mentoring.models import Policy, Support

# The field each kind records (besides the date, the granting unit and the note); the others stay empty,
# so that a loan's yuan and a transfer's mu add up to the figures of DESIGN §1 and nothing else does.
KIND_FIELDS = {
    SupportKind.POLICY: "policy",
    SupportKind.LOAN: "amount",
    SupportKind.LAND: "area",
    SupportKind.PROJECT: "project",
}


def merge_errors(own: dict, error: ValidationError | None) -> dict:
    """The service's own messages, then the model's for the fields the service said nothing about."""
    merged = dict(own)
    if error is not None:
        for name, messages in error.message_dict.items():
            merged.setdefault(name, messages)
    return merged


def full_clean_errors(record, own: dict) -> None:
    """Validate `record` (its fields and `clean()`); raise every problem found, the service's first."""
    try:
        record.full_clean()
    except ValidationError as error:
        raise ValidationError(merge_errors(own, error)) from None
    if own:
        raise ValidationError(own)


def not_in_future(day: datetime.date | None, message: str, *, field: str = "date") -> dict:
    """{field: message} when `day` lies after today, else nothing: the errors to start from."""
    return {field: message} if day is not None and day > timezone.localdate() else {}


@transaction.atomic
def support_record(
    *,
    by: User,
    candidate: Candidate,
    kind: str,
    date: datetime.date,
    granted_by: str,
    policy: Policy | None = None,
    amount: Decimal | None = None,
    area: Decimal | None = None,
    project: str = "",
    note: str = "",
) -> Support:
    """Record support the candidate received: a policy in force, a loan (yuan), land (mu) or a project."""
    require_visible(Candidate, by, candidate)
    if not permissions.can_record_support(by, candidate):
        raise PermissionDenied
    project, granted_by, note = (project or "").strip(), (granted_by or "").strip(), (note or "").strip()
    errors = not_in_future(date, _("Support cannot be dated in the future."))
    if kind not in SupportKind.values:
        errors["kind"] = _("Choose the kind of support.")
    if not granted_by:
        errors["granted_by"] = _("Give the unit that granted the support.")
    given = {"policy": policy, "amount": amount, "area": area, "project": project}
    own_field = KIND_FIELDS.get(kind)
    for name, value in given.items():
        if own_field and name != own_field and value not in (None, ""):
            errors[name] = _("Leave this empty: %(kind)s records no such value.") % {
                "kind": SupportKind(kind).label
            }
    if kind == SupportKind.POLICY and policy is not None and not policy.active:
        errors["policy"] = _("This policy is no longer in force; choose one that is.")
    support = Support(
        candidate=candidate,
        kind=kind,
        date=date,
        granted_by=granted_by,
        note=note,
        recorded_by=by,
        **given,
    )
    full_clean_errors(support, errors)
    save_with_history(support, by)
    return support
