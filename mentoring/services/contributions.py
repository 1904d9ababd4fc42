"""Writes on contributions (DESIGN §6): collective-economy projects led, counted contributions (households
helped, service items, problems solved) and awards, recorded by the township or county of the person."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from candidates.models import Candidate
from config.workflows import require_visible, save_with_history
from mentoring import permissions
from mentoring.choices import AwardLevel, ContributionKind
from mentoring.models import Award, CollectiveProject, Contribution
from mentoring.services.support import full_clean_errors, not_in_future
from villages.models import Village


def _may_record(by: User, candidate: Candidate) -> None:
    require_visible(Candidate, by, candidate)
    if not permissions.can_record_contributions(by, candidate):
        raise PermissionDenied


@transaction.atomic
def collective_project_record(
    *,
    by: User,
    candidate: Candidate,
    village: Village,
    name: str,
    amount: Decimal,
    start_date: datetime.date,
) -> CollectiveProject:
    """Record a collective-economy project the candidate leads, in a village of `by`'s jurisdiction."""
    _may_record(by, candidate)
    name = (name or "").strip()
    errors = not_in_future(start_date, _("A project cannot start in the future."), field="start_date")
    if not name:
        errors["name"] = _("Name the project.")
    if village is None or not Village.objects.visible_to(by).filter(pk=village.pk).exists():
        errors["village"] = _("Choose a village of your jurisdiction.")
    project = CollectiveProject(
        candidate=candidate,
        village=village,
        name=name,
        amount=amount if amount is not None else Decimal(0),
        start_date=start_date,
        recorded_by=by,
    )
    full_clean_errors(project, errors)
    save_with_history(project, by)
    return project


@transaction.atomic
def contribution_record(
    *, by: User, candidate: Candidate, kind: str, count: int, date: datetime.date, note: str = ""
) -> Contribution:
    """Record what the candidate contributed on a day: households helped, service items, problems solved."""
    _may_record(by, candidate)
    errors = not_in_future(date, _("A contribution cannot be dated in the future."))
    if kind not in ContributionKind.values:
        errors["kind"] = _("Choose what was contributed.")
    if count is None or count < 1:
        errors["count"] = _("Give a number of 1 or more.")
    contribution = Contribution(
        candidate=candidate,
        kind=kind,
        count=count,
        date=date,
        note=(note or "").strip(),
        recorded_by=by,
    )
    full_clean_errors(contribution, errors)
    save_with_history(contribution, by)
    return contribution


@transaction.atomic
def award_record(
    *, by: User, candidate: Candidate, title: str, level: str, date: datetime.date, granted_by: str = ""
) -> Award:
    """Record an award the candidate received (评优评先): its title, level and date."""
    _may_record(by, candidate)
    title = (title or "").strip()
    errors = not_in_future(date, _("An award cannot be dated in the future."))
    if not title:
        errors["title"] = _("Give the title of the award.")
    if level not in AwardLevel.values:
        errors["level"] = _("Choose the level of the award.")
    award = Award(
        candidate=candidate,
        title=title,
        level=level,
        date=date,
        granted_by=(granted_by or "").strip(),
        recorded_by=by,
    )
    full_clean_errors(award, errors)
    save_with_history(award, by)
    return award
