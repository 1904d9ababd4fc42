"""Reads for the village pages: scoped lists with their counts, region summaries for drill-down."""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from accounts.jurisdiction import in_jurisdiction
from villages.choices import PREFIX_LENGTH, STANDING_RESERVE, RegionLevel, ReserveKind, SeatPosition
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
    seats = CommitteeSeat.objects.current()
    reserves = Reserve.objects.standing()
    return (
        Village.objects.visible_to(user)
        .select_related("region__parent__parent")
        .annotate(
            stars=Subquery(
                StarRating.objects.filter(village=OuterRef("pk"), year=year).values("stars")[:1],
                output_field=IntegerField(),
            ),
            committee_members=_count(seats),
            committee_wealth_creators=_count(seats.filter(is_wealth_creator=True)),
            secretary_reserves=_count(reserves.filter(kind=ReserveKind.SECRETARY)),
            committee_reserves=_count(reserves.filter(kind=ReserveKind.COMMITTEE)),
            paired_agency=Subquery(
                Pairing.objects.current().filter(village=OuterRef("pk")).values("branch__agency__name")[:1]
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


def _grouped(queryset: QuerySet, code_field: str, length: int, **aggregates) -> dict[str, dict]:
    """Aggregates of `queryset` grouped by the first `length` digits of `code_field`."""
    rows = queryset.annotate(group=Substr(code_field, 1, length)).values("group").annotate(**aggregates)
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
    reserves = Reserve.objects.standing()
    meeting = villages.annotate(
        sec=_count(reserves.filter(kind=ReserveKind.SECRETARY)),
        com=_count(reserves.filter(kind=ReserveKind.COMMITTEE)),
    ).filter(sec__gte=RESERVE_TARGET[ReserveKind.SECRETARY], com__gte=RESERVE_TARGET[ReserveKind.COMMITTEE])

    groups = {
        "villages": _grouped(villages, "region_id", length, n=Count("pk")),
        "four_star_plus": _grouped(ratings, "village_id", length, n=Count("pk")),
        "paired": _grouped(pairings, "village_id", length, n=Count("village", distinct=True)),
        "meeting_reserve_target": _grouped(meeting, "region_id", length, n=Count("pk")),
    }
    seat_groups = _grouped(
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
    seats = CommitteeSeat.objects.visible_to(user).filter(village=village)
    rank = {position: index for index, position in enumerate(SeatPosition.values)}
    current_seats = sorted(seats.current(), key=lambda seat: (rank[seat.position], seat.holder_name))
    reserves = list(
        Reserve.objects.visible_to(user).filter(village=village).order_by("kind", "designated_on")
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
        "secretary_reserves": secretary,
        "committee_reserves": committee,
        "reserve_target": RESERVE_TARGET,
        "meets_reserve_target": secretary >= RESERVE_TARGET[ReserveKind.SECRETARY]
        and committee >= RESERVE_TARGET[ReserveKind.COMMITTEE],
        "star_ratings": list(StarRating.objects.visible_to(user).filter(village=village).order_by("-year")),
        "current_stars": next((r.stars for r in StarRating.objects.filter(village=village, year=year)), None),
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


def region_breadcrumbs(*, region: Region, user) -> list[dict]:
    """The path from the province down to `region`; ancestors outside the jurisdiction are not links."""
    crumbs = [{"region": r, "link": in_jurisdiction(user, r.code)} for r in region.ancestors()]
    crumbs.append({"region": region, "link": False})
    return crumbs
