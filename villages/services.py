"""Writes on village records: committee seats and reserves. Checked, atomic, audited."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from villages.choices import OPEN_RESERVE, ReserveKind, ReserveStatus, SeatPosition
from villages.models import CommitteeSeat, Reserve, Village
from villages.permissions import VILLAGE_RECORD_ROLES

# Positions one person holds at a time in a village: their terms may not overlap.
SINGLE_HOLDER = (SeatPosition.SECRETARY, SeatPosition.DIRECTOR)


class ReserveError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _save(instance, by):
    instance._history_user = by
    instance.save()


def _village_for(by, village: Village) -> Village:
    """The village, locked, if `by` may keep its records; 404 outside the jurisdiction."""
    if not Village.objects.visible_to(by).filter(pk=village.pk).exists():
        raise Http404
    if by.role not in VILLAGE_RECORD_ROLES:
        raise PermissionDenied
    return Village.objects.select_for_update().get(pk=village.pk)


def _wealth_creator(candidate) -> bool:
    from candidates.choices import WEALTH_CREATOR_STAGES

    return candidate.stage in WEALTH_CREATOR_STAGES


def _overlapping(village, position, start, end, *, candidate=None, exclude=None):
    seats = CommitteeSeat.objects.filter(village=village, position=position).exclude(pk=exclude)
    seats = seats.filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
    if end is not None:
        seats = seats.filter(term_start__lte=end)
    if position not in SINGLE_HOLDER:
        seats = seats.filter(candidate=candidate) if candidate else seats.none()
    return seats.first()


@transaction.atomic
def committee_seat_create(
    *,
    by,
    village: Village,
    position: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    candidate=None,
    holder_name: str = "",
    is_wealth_creator: bool = False,
) -> CommitteeSeat:
    """A seat on the village's two committees, held by a candidate or a plain person, for a term.

    Terms of a secretary or director may not overlap; nor may one person hold the same position twice.
    A candidate holder counts as a wealth-creator when their stage says so.
    """
    village = _village_for(by, village)
    errors = {}
    if term_end and term_end < term_start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if candidate is not None:
        from candidates.choices import Status
        from candidates.models import Candidate

        if (
            not Candidate.objects.visible_to(by).filter(pk=candidate.pk).exists()
            or candidate.village_id != village.pk
        ):
            errors["candidate"] = _("The candidate must be one of this village's.")
        elif candidate.status != Status.ACTIVE:
            errors["candidate"] = _("%(name)s is %(status)s and cannot take a seat as a candidate.") % {
                "name": candidate.name,
                "status": candidate.get_status_display(),
            }
        holder_name, is_wealth_creator = "", _wealth_creator(candidate)
    elif not holder_name.strip():
        errors["holder_name"] = _("Name the holder, or choose a candidate.")
    if not errors:
        clash = _overlapping(village, position, term_start, term_end, candidate=candidate)
        if clash is not None:
            errors["term_start"] = _(
                "%(holder)s already holds this position from %(start)s to %(end)s; "
                "the terms may not overlap. End that term first."
            ) % {"holder": clash.holder, "start": clash.term_start, "end": clash.term_end or _("now")}
    if errors:
        raise ValidationError(errors)
    seat = CommitteeSeat(
        village=village,
        position=position,
        holder_name=holder_name.strip(),
        candidate=candidate,
        is_wealth_creator=is_wealth_creator,
        term_start=term_start,
        term_end=term_end,
    )
    _save(seat, by)
    return seat


@transaction.atomic
def committee_seat_end(*, by, seat: CommitteeSeat, term_end: datetime.date) -> CommitteeSeat:
    """End a term (a seat is never deleted: the committee's history stays)."""
    _village_for(by, seat.village)
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.term_end is not None and seat.term_end <= term_end:
        raise ValidationError({"term_end": _("This term already ended on %(day)s.") % {"day": seat.term_end}})
    if term_end < seat.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    seat.term_end = term_end
    _save(seat, by)
    return seat


def seats_follow_stage(*, candidate, by) -> None:
    """A candidate's seats say "wealth-creator" exactly when the candidate's stage does."""
    flag = _wealth_creator(candidate)
    for seat in CommitteeSeat.objects.filter(candidate=candidate).exclude(is_wealth_creator=flag):
        seat.is_wealth_creator = flag
        _save(seat, by)


# Reserves ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReserveTransition:
    status: str
    action: str
    target: str
    roles: tuple
    label: str


RESERVE_TRANSITIONS = [
    ReserveTransition(
        ReserveStatus.PROPOSED,
        "confirm",
        ReserveStatus.CONFIRMED,
        (Role.COUNTY_REVIEWER,),
        gettext_lazy("Confirm"),
    ),
    ReserveTransition(
        ReserveStatus.PROPOSED,
        "decline",
        ReserveStatus.DECLINED,
        (Role.COUNTY_REVIEWER,),
        gettext_lazy("Decline"),
    ),
    ReserveTransition(
        ReserveStatus.CONFIRMED,
        "propose_removal",
        ReserveStatus.REMOVAL_PROPOSED,
        VILLAGE_RECORD_ROLES,
        gettext_lazy("Propose removal"),
    ),
    ReserveTransition(
        ReserveStatus.REMOVAL_PROPOSED,
        "confirm_removal",
        ReserveStatus.REMOVED,
        (Role.COUNTY_REVIEWER,),
        gettext_lazy("Confirm the removal"),
    ),
    ReserveTransition(
        ReserveStatus.REMOVAL_PROPOSED,
        "keep",
        ReserveStatus.CONFIRMED,
        (Role.COUNTY_REVIEWER,),
        gettext_lazy("Keep as reserve"),
    ),
]


def reserve_actions(reserve: Reserve, user) -> list[ReserveTransition]:
    """The decisions `user` may take on the reserve now: the buttons to draw."""
    from accounts.jurisdiction import in_jurisdiction

    if not user.is_authenticated or not in_jurisdiction(user, reserve.village_id):
        return []
    return [t for t in RESERVE_TRANSITIONS if t.status == reserve.status and user.role in t.roles]


@transaction.atomic
def reserve_designate(*, by, candidate, kind: str, note: str = "") -> Reserve:
    """Propose a candidate as a secretary or committee reserve of their village; the county confirms."""
    from candidates.choices import Status
    from candidates.models import Candidate

    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not Candidate.objects.visible_to(by).filter(pk=candidate.pk).exists():
        raise Http404
    village = _village_for(by, candidate.village)
    if candidate.status != Status.ACTIVE:
        raise ReserveError(
            _("%(name)s is %(status)s; only an active candidate can be a reserve.")
            % {"name": candidate.name, "status": candidate.get_status_display()}
        )
    seats = CommitteeSeat.objects.current().filter(candidate=candidate, village=village)
    if kind == ReserveKind.SECRETARY:
        seats = seats.filter(position=SeatPosition.SECRETARY)
    seat = seats.first()
    if seat is not None:
        # A reserve waits for a seat: the secretary is no secretary reserve, a member no committee reserve.
        raise ReserveError(
            _("%(name)s already holds the seat of %(position)s; a reserve is someone who does not yet.")
            % {"name": candidate.name, "position": seat.get_position_display()}
        )
    current = Reserve.objects.filter(candidate=candidate, status__in=OPEN_RESERVE).first()
    if current is not None:
        raise ReserveError(
            _("%(name)s is already a %(kind)s (%(status)s).")
            % {
                "name": candidate.name,
                "kind": current.get_kind_display(),
                "status": current.get_status_display(),
            }
        )
    reserve = Reserve(village=village, candidate=candidate, kind=kind, proposed_by=by, note=note.strip())
    _save(reserve, by)
    return reserve


@transaction.atomic
def reserve_decide(*, by, reserve: Reserve, action: str, note: str = "") -> Reserve:
    """Take one of RESERVE_TRANSITIONS: confirm or decline a designation, propose or decide a removal."""
    if not Reserve.objects.visible_to(by).filter(pk=reserve.pk).exists():
        raise Http404
    reserve = Reserve.objects.select_for_update().select_related("candidate").get(pk=reserve.pk)
    matching = [t for t in RESERVE_TRANSITIONS if t.status == reserve.status and t.action == action]
    if not matching:
        raise ReserveError(
            _("That is not possible now: the reserve is %(status)s.")
            % {"status": reserve.get_status_display()}
        )
    if by.role not in matching[0].roles:
        raise PermissionDenied
    if action == "confirm" and reserve.candidate.status != "active":
        raise ReserveError(
            _("%(name)s is no longer active and cannot be a reserve.") % {"name": reserve.candidate.name}
        )
    reserve.status = matching[0].target
    reserve.decided_by = by
    if reserve.status == ReserveStatus.REMOVED:
        reserve.removed_on = timezone.localdate()
    if note.strip():
        reserve.note = note.strip()
    _save(reserve, by)
    return reserve


def reserves_close(*, candidate, by, on: datetime.date, note: str) -> None:
    """An eliminated person leaves every reserve at once (called inside the elimination's transaction)."""
    for reserve in Reserve.objects.select_for_update().filter(candidate=candidate, status__in=OPEN_RESERVE):
        reserve.status, reserve.removed_on, reserve.decided_by, reserve.note = (
            ReserveStatus.REMOVED,
            on,
            by,
            note,
        )
        _save(reserve, by)
