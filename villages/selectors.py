"""Reads for the village pages: scoped lists with their counts, region summaries for drill-down."""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Substr

from accounts.jurisdiction import in_jurisdiction
from candidates.models import Candidate
from villages.choices import (
    OPEN_RESERVE,
    PREFIX_LENGTH,
    STANDING_RESERVE,
    RegionLevel,
    ReserveKind,
    ReserveStatus,
    SeatPosition,
)
from villages.codes import division_prefix
from villages.models import RESERVE_TARGET, CommitteeSeat, Pairing, Region, Reserve, StarRating, Village


def rating_year() -> int | None:
    """The latest year with star ratings: the year pages show unless told otherwise."""
    return StarRating.objects.order_by("-year").values_list("year", flat=True).first()


def _count(queryset: QuerySet, ref: str = "pk") -> Coalesce:
    """A correlated COUNT subquery, so several counts can sit on one row without join fan-out."""
    counted = queryset.filter(village=OuterRef(ref)).values("village").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def village_list(*, user, year: int | None) -> QuerySet:
    """Villages the user may see, each with its rating, committee, reserves and pairing.

    Every figure is an annotation, so the list costs the same number of queries for any page size.
    """
    # Every figure counts only what the user may see, so that it agrees with the list behind it.
    seats = CommitteeSeat.objects.visible_to(user).current()
    reserves = Reserve.objects.visible_to(user).standing()
    return (
        Village.objects.visible_to(user)
        .select_related("region__parent__parent")
        .annotate(
            stars=Subquery(
                StarRating.objects.visible_to(user)
                .filter(village=OuterRef("pk"), year=year)
                .values("stars")[:1],
                output_field=IntegerField(),
            ),
            committee_members=_count(seats),
            committee_wealth_creators=_count(seats.filter(is_wealth_creator=True)),
            secretary_reserves=_count(reserves.filter(kind=ReserveKind.SECRETARY)),
            committee_reserves=_count(reserves.filter(kind=ReserveKind.COMMITTEE)),
            paired_agency=Subquery(
                Pairing.objects.visible_to(user)
                .current()
                .filter(village=OuterRef("pk"))
                .values("branch__agency__name")[:1]
            ),
        )
        .annotate(
            meets_reserve_target=ExpressionWrapper(
                Q(secretary_reserves__gte=RESERVE_TARGET[ReserveKind.SECRETARY])
                & Q(committee_reserves__gte=RESERVE_TARGET[ReserveKind.COMMITTEE]),
                output_field=BooleanField(),
            )
        )
    )


@dataclass
class RegionFigures:
    """Counts for one region of a drill-down table."""

    region: Region
    villages: int = 0
    four_star_plus: int = 0
    committee_members: int = 0
    committee_wealth_creators: int = 0
    meeting_reserve_target: int = 0
    paired: int = 0

    @property
    def four_star_plus_share(self) -> float | None:
        return self.four_star_plus / self.villages if self.villages else None

    @property
    def committee_wealth_creator_share(self) -> float | None:
        return self.committee_wealth_creators / self.committee_members if self.committee_members else None

    @property
    def four_star_plus_percent(self) -> float | None:
        share = self.four_star_plus_share
        return None if share is None else share * 100

    @property
    def committee_wealth_creator_percent(self) -> float | None:
        share = self.committee_wealth_creator_share
        return None if share is None else share * 100


@dataclass
class RegionSummary:
    total: RegionFigures
    children: list[RegionFigures] = field(default_factory=list)


def grouped_by_prefix(queryset: QuerySet, code_field: str, length: int, **aggregates) -> dict[str, dict]:
    """Aggregates of `queryset` grouped by the first `length` digits of the division code `code_field`:
    one query for every region of a level (a model's default ordering would split the groups, so none)."""
    rows = (
        queryset.order_by()
        .annotate(group=Substr(code_field, 1, length))
        .values("group")
        .annotate(**aggregates)
    )
    return {row.pop("group"): row for row in rows}


def region_summary(*, region: Region, user, year: int | None) -> RegionSummary:
    """Figures for a region and for each of its children the user may see.

    A fixed number of grouped queries, whatever the size of the region.
    """
    prefix = division_prefix(region.code)
    children = list(Region.objects.visible_to(user).filter(parent=region).order_by("code"))
    length = PREFIX_LENGTH[RegionLevel(region.level + 1)] if region.level < RegionLevel.VILLAGE else 12

    villages = Village.objects.visible_to(user).filter(region__code__startswith=prefix)
    seats = CommitteeSeat.objects.visible_to(user).current().filter(village__region__code__startswith=prefix)
    ratings = StarRating.objects.visible_to(user).filter(
        village__region__code__startswith=prefix, year=year, stars__gte=4
    )
    pairings = Pairing.objects.visible_to(user).current().filter(village__region__code__startswith=prefix)
    reserves = Reserve.objects.visible_to(user).standing()
    meeting = villages.annotate(
        sec=_count(reserves.filter(kind=ReserveKind.SECRETARY)),
        com=_count(reserves.filter(kind=ReserveKind.COMMITTEE)),
    ).filter(sec__gte=RESERVE_TARGET[ReserveKind.SECRETARY], com__gte=RESERVE_TARGET[ReserveKind.COMMITTEE])

    groups = {
        "villages": grouped_by_prefix(villages, "region_id", length, n=Count("pk")),
        "four_star_plus": grouped_by_prefix(ratings, "village_id", length, n=Count("pk")),
        "paired": grouped_by_prefix(pairings, "village_id", length, n=Count("village", distinct=True)),
        "meeting_reserve_target": grouped_by_prefix(meeting, "region_id", length, n=Count("pk")),
    }
    seat_groups = grouped_by_prefix(
        seats,
        "village_id",
        length,
        members=Count("pk"),
        wealth_creators=Count("pk", filter=Q(is_wealth_creator=True)),
    )

    def figures_for(child: Region, key: str) -> RegionFigures:
        seat_row = seat_groups.get(key, {})
        return RegionFigures(
            region=child,
            committee_members=seat_row.get("members", 0),
            committee_wealth_creators=seat_row.get("wealth_creators", 0),
            **{name: rows.get(key, {}).get("n", 0) for name, rows in groups.items()},
        )

    rows = [figures_for(child, child.code[:length]) for child in children]
    total = RegionFigures(region=region)
    for name in (
        "villages",
        "four_star_plus",
        "committee_members",
        "committee_wealth_creators",
        "meeting_reserve_target",
        "paired",
    ):
        setattr(total, name, sum(getattr(row, name) for row in rows))
    return RegionSummary(total=total, children=rows)


def village_detail(*, village: Village, user, year: int | None) -> dict:
    """Everything the village page shows, each related list scoped like the village itself."""
    seats = CommitteeSeat.objects.visible_to(user).filter(village=village).select_related("candidate")
    rank = {position: index for index, position in enumerate(SeatPosition.values)}
    current_seats = sorted(seats.current(), key=lambda seat: (rank[seat.position], seat.holder))
    reserves = list(
        Reserve.objects.visible_to(user)
        .filter(village=village)
        .select_related("candidate")
        .order_by("kind", "designated_on")
    )
    standing = [r for r in reserves if r.status in STANDING_RESERVE]
    members = len(current_seats)
    wealth_creators = sum(seat.is_wealth_creator for seat in current_seats)
    secretary = sum(r.kind == ReserveKind.SECRETARY for r in standing)
    committee = sum(r.kind == ReserveKind.COMMITTEE for r in standing)
    return {
        "current_seats": current_seats,
        "past_seats": list(seats.exclude(pk__in=[s.pk for s in current_seats]).order_by("-term_start")),
        "committee_wealth_creator_percent": wealth_creators * 100 / members if members else None,
        "reserves": reserves,
        "standing_reserves": standing,
        # Proposals still awaiting the county: shown apart, they do not count toward the target yet.
        "pending_reserves": [r for r in reserves if r.status == ReserveStatus.PROPOSED],
        "closed_reserves": [r for r in reserves if r.status not in OPEN_RESERVE],
        "secretary_reserves": secretary,
        "committee_reserves": committee,
        "reserve_target": RESERVE_TARGET,
        "meets_reserve_target": secretary >= RESERVE_TARGET[ReserveKind.SECRETARY]
        and committee >= RESERVE_TARGET[ReserveKind.COMMITTEE],
        "star_ratings": list(StarRating.objects.visible_to(user).filter(village=village).order_by("-year")),
        "current_stars": next(
            (r.stars for r in StarRating.objects.visible_to(user).filter(village=village, year=year)), None
        ),
        "pairings": list(
            Pairing.objects.visible_to(user).filter(village=village).select_related("branch__agency")
        ),
    }


def focus_region(*, user, code: str | None) -> Region | None:
    """The region a list is narrowed to: the one asked for if visible, else the user's own."""
    visible = Region.objects.visible_to(user)
    if code:
        return visible.filter(code=code).first()
    if user.jurisdiction_id:
        return visible.filter(code=user.jurisdiction_id).first()
    return None


def child_regions(*, region: Region, user) -> list[Region]:
    """The regions directly below `region` that the user may see, for drill-down links."""
    if region.level >= RegionLevel.TOWNSHIP:
        return []
    return list(Region.objects.visible_to(user).filter(parent=region).order_by("code"))


def region_breadcrumbs(*, region: Region, user, link_to=Region.get_absolute_url) -> list[dict]:
    """The path from the province down to `region`, as breadcrumbs (config/breadcrumbs.py); ancestors
    outside the jurisdiction are not links. `link_to(region)` is an ancestor's link: its page by default."""
    crumbs = [
        {"label": r.name, "url": link_to(r) if in_jurisdiction(user, r.code) else ""}
        for r in region.ancestors()
    ]
    crumbs.append({"label": region.name, "url": ""})
    return crumbs


# Committee seats and reserves ---------------------------------------------------------------------


def seat_candidates(*, village: Village, user) -> QuerySet:
    """The village's active candidates the user may see: who can take a seat as a candidate."""
    return Candidate.objects.visible_to(user).active().filter(village=village).order_by("name", "pk")


def reservable_candidates(*, village: Village, user) -> QuerySet:
    """The village's active candidates without an open reserve: who can be designated now."""
    open_reserve = Reserve.objects.filter(candidate=OuterRef("pk"), status__in=OPEN_RESERVE)
    return seat_candidates(village=village, user=user).exclude(Exists(open_reserve))


def reserve_queryset(*, user) -> QuerySet:
    """Reserves the user may see, with what their page shows fetched in the same query."""
    return Reserve.objects.visible_to(user).select_related(
        "candidate", "village__region__parent", "proposed_by", "decided_by"
    )


def reserve_history(*, reserve: Reserve) -> list:
    """Every saved state of the reserve, oldest first, with who saved it: one query."""
    return list(reserve.history.select_related("history_user").order_by("history_date", "history_id"))


@dataclass
class ShortfallFigures:
    """Reserve figures for one region of the shortfall table."""

    region: Region | None
    villages: int = 0
    villages_short: int = 0
    secretary_reserves: int = 0
    committee_reserves: int = 0
    pending_proposals: int = 0


FIGURES = ("villages", "villages_short", "secretary_reserves", "committee_reserves", "pending_proposals")


@dataclass
class ReserveShortfall:
    total: ShortfallFigures
    children: list[ShortfallFigures]
    villages_short: QuerySet


def short_of_reserves(queryset: QuerySet, *, user) -> QuerySet:
    """Villages of `queryset` below the target, with their standing reserves, what is missing and
    the proposals awaiting the county, as `user` may see them; every figure an annotation, so a page
    costs the same for any size."""
    reserves = Reserve.objects.visible_to(user)
    standing = reserves.standing()
    secretary_target = RESERVE_TARGET[ReserveKind.SECRETARY]
    committee_target = RESERVE_TARGET[ReserveKind.COMMITTEE]
    return (
        queryset.annotate(
            secretary_reserves=_count(standing.filter(kind=ReserveKind.SECRETARY)),
            committee_reserves=_count(standing.filter(kind=ReserveKind.COMMITTEE)),
            pending_proposals=_count(reserves.filter(status=ReserveStatus.PROPOSED)),
        )
        .filter(Q(secretary_reserves__lt=secretary_target) | Q(committee_reserves__lt=committee_target))
        .annotate(
            secretary_missing=Greatest(Value(secretary_target) - F("secretary_reserves"), Value(0)),
            committee_missing=Greatest(Value(committee_target) - F("committee_reserves"), Value(0)),
        )
    )


def reserve_shortfall(*, user, region: Region | None) -> ReserveShortfall:
    """Villages short of reserves under `region` (everything the user sees when None), by child region
    down to the townships.

    Standing reserves only count; proposals awaiting the county are shown apart. A fixed number of
    grouped queries, whatever the size of the region.
    """
    if region is None:
        prefix, length = "", PREFIX_LENGTH[RegionLevel.PROVINCE]
        children = list(Region.objects.visible_to(user).filter(parent__isnull=True).order_by("code"))
    else:
        # Below a township the villages themselves are the list: no table of children.
        prefix = division_prefix(region.code)
        length = PREFIX_LENGTH[region.child_level] if region.child_level else 12
        children = child_regions(region=region, user=user)
    villages = Village.objects.visible_to(user).filter(region__code__startswith=prefix)
    short = short_of_reserves(villages, user=user)
    reserves = Reserve.objects.visible_to(user).filter(village__region__code__startswith=prefix)
    groups = {
        "villages": grouped_by_prefix(villages, "region_id", length, n=Count("pk")),
        "villages_short": grouped_by_prefix(short, "region_id", length, n=Count("pk")),
    }
    reserve_groups = grouped_by_prefix(
        reserves,
        "village_id",
        length,
        secretary_reserves=Count("pk", filter=Q(status__in=STANDING_RESERVE, kind=ReserveKind.SECRETARY)),
        committee_reserves=Count("pk", filter=Q(status__in=STANDING_RESERVE, kind=ReserveKind.COMMITTEE)),
        pending_proposals=Count("pk", filter=Q(status=ReserveStatus.PROPOSED)),
    )

    def figures(key: str, child: Region | None) -> ShortfallFigures:
        return ShortfallFigures(
            region=child,
            **{name: rows.get(key, {}).get("n", 0) for name, rows in groups.items()},
            **reserve_groups.get(key, {}),
        )

    # Every reserve lies in a village counted in "villages", so its groups add up to the whole region,
    # also where no child is listed (a village as focus).
    total = ShortfallFigures(region=region)
    for row in (figures(key, None) for key in groups["villages"]):
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return ReserveShortfall(
        total=total,
        children=[figures(child.code[:length], child) for child in children],
        villages_short=short.select_related("region__parent").order_by("region_id"),
    )
