"""Writes on village records: committee seats, star ratings and reserves. Checked, atomic, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from config.workflows import WorkflowError, require_visible, save_with_history
from villages.choices import OPEN_RESERVE, ReserveKind, ReserveStatus, SeatPosition
from villages.models import CommitteeSeat, Reserve, StarRating, Village
from villages.permissions import can_keep_village_records, can_rate_villages
from villages.workflow import RESERVE

# Positions one person holds at a time in a village: their terms may not overlap.
SINGLE_HOLDER = (SeatPosition.SECRETARY, SeatPosition.DIRECTOR)


def _village_for(by: User, village: Village) -> Village:
    """The village, locked, if `by` may keep its records: NotVisible outside the jurisdiction,
    PermissionDenied for another role."""
    require_visible(Village, by, village)
    if not can_keep_village_records(by):
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


def committee_seat_problems(
    *,
    by: User,
    village: Village,
    position: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    candidate=None,
    holder_name: str = "",
) -> dict[str, str]:
    """What keeps a seat from being entered, by field; empty when it may be. Queries the database."""
    from candidates.choices import Status
    from candidates.models import Candidate

    errors = {}
    if term_end and term_end < term_start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if candidate is not None:
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
    elif not holder_name.strip():
        errors["holder_name"] = _("Name the holder, or choose a candidate.")
    if not errors:
        clash = _overlapping(village, position, term_start, term_end, candidate=candidate)
        if clash is not None:
            errors["term_start"] = _(
                "%(holder)s already holds this position from %(start)s to %(end)s; "
                "the terms may not overlap. End that term first."
            ) % {"holder": clash.holder, "start": clash.term_start, "end": clash.term_end or _("now")}
    return errors


@transaction.atomic
def committee_seat_create(
    *,
    by: User,
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
    errors = committee_seat_problems(
        by=by,
        village=village,
        position=position,
        term_start=term_start,
        term_end=term_end,
        candidate=candidate,
        holder_name=holder_name,
    )
    if errors:
        raise ValidationError(errors)
    if candidate is not None:
        holder_name, is_wealth_creator = "", _wealth_creator(candidate)
    seat = CommitteeSeat(
        village=village,
        position=position,
        holder_name=holder_name.strip(),
        candidate=candidate,
        is_wealth_creator=is_wealth_creator,
        term_start=term_start,
        term_end=term_end,
    )
    save_with_history(seat, by)
    return seat


@transaction.atomic
def committee_seat_end(*, by: User, seat: CommitteeSeat, term_end: datetime.date) -> CommitteeSeat:
    """End a term (a seat is never deleted: the committee's history stays)."""
    _village_for(by, seat.village)
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    problem = committee_seat_end_problem(seat=seat, term_end=term_end)
    if problem:
        raise ValidationError({"term_end": problem})
    seat.term_end = term_end
    save_with_history(seat, by)
    return seat


def committee_seat_end_problem(*, seat: CommitteeSeat, term_end: datetime.date) -> str:
    """Why the seat's term cannot end on `term_end`, or ""."""
    if seat.term_end is not None and seat.term_end <= term_end:
        return _("This term already ended on %(day)s.") % {"day": seat.term_end}
    if term_end < seat.term_start:
        return _("The term cannot end before it starts.")
    return ""


def seats_follow_stage(*, candidate, by: User) -> None:
    """A candidate's seats say "wealth-creator" exactly when the candidate's stage does."""
    flag = _wealth_creator(candidate)
    for seat in CommitteeSeat.objects.filter(candidate=candidate).exclude(is_wealth_creator=flag):
        seat.is_wealth_creator = flag
        save_with_history(seat, by)


# Star ratings ------------------------------------------------------------------------------------


@transaction.atomic
def star_rating_record(*, by: User, village: Village, year: int, stars: int) -> StarRating:
    """The county rates a village of its own for a year (星级评定); a second rating of the same year
    replaces the first, its history kept."""
    require_visible(Village, by, village)
    if not can_rate_villages(by):
        raise PermissionDenied
    rating = StarRating.objects.select_for_update().filter(village=village, year=year).first()
    rating = rating or StarRating(village=village, year=year)
    rating.stars, rating.rated_by = stars, by
    rating.full_clean(validate_unique=False)
    save_with_history(rating, by)
    return rating


# Reserves ----------------------------------------------------------------------------------------


@transaction.atomic
def reserve_designate(*, by: User, candidate, kind: str, note: str = "") -> Reserve:
    """Propose a candidate as a secretary or committee reserve of their village; the county confirms."""
    from candidates.choices import Status
    from candidates.models import Candidate

    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    require_visible(Candidate, by, candidate)
    village = _village_for(by, candidate.village)
    if candidate.status != Status.ACTIVE:
        raise WorkflowError(
            _("%(name)s is %(status)s; only an active candidate can be a reserve.")
            % {"name": candidate.name, "status": candidate.get_status_display()}
        )
    seats = CommitteeSeat.objects.current().filter(candidate=candidate, village=village)
    if kind == ReserveKind.SECRETARY:
        seats = seats.filter(position=SeatPosition.SECRETARY)
    seat = seats.first()
    if seat is not None:
        # A reserve waits for a seat: the secretary is no secretary reserve, a member no committee reserve.
        raise WorkflowError(
            _("%(name)s already holds the seat of %(position)s; a reserve is someone who does not yet.")
            % {"name": candidate.name, "position": seat.get_position_display()}
        )
    current = Reserve.objects.filter(candidate=candidate, status__in=OPEN_RESERVE).first()
    if current is not None:
        raise WorkflowError(
            _("%(name)s is already a %(kind)s (%(status)s).")
            % {
                "name": candidate.name,
                "kind": current.get_kind_display(),
                "status": current.get_status_display(),
            }
        )
    reserve = Reserve(village=village, candidate=candidate, kind=kind, proposed_by=by, note=note.strip())
    save_with_history(reserve, by)
    return reserve


def reserve_decide(
    *, by: User, reserve: Reserve, action: str, expected_status: str, note: str = ""
) -> Reserve:
    """Confirm or decline a designation, propose or decide a removal (villages.workflow.RESERVE), if the
    reserve is still in the status `expected_status` that the user's page showed."""
    return RESERVE.apply(reserve, action=action, by=by, expected=expected_status, opinion=note)


def reserves_close(*, candidate, by: User, on: datetime.date, note: str) -> None:
    """An eliminated person leaves every reserve at once (called inside the elimination's transaction)."""
    for reserve in Reserve.objects.select_for_update().filter(candidate=candidate, status__in=OPEN_RESERVE):
        reserve.status, reserve.removed_on, reserve.decided_by, reserve.note = (
            ReserveStatus.REMOVED,
            on,
            by,
            note,
        )
        save_with_history(reserve, by)
