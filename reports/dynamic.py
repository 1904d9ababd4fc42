"""Dynamic management (五个一批, DESIGN §4) at `/reports/dynamic/`: the five groups of a year, per region.

Every query starts from `visible_to(user)`; the counts of every child region come from one grouped query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from candidates.choices import CertificationState, PromotionState
from candidates.models import Candidate, Certification, Elimination, Promotion
from reports.permissions import FIRST_YEAR
from villages.choices import PREFIX_LENGTH, RegionLevel
from villages.models import Region
from villages.selectors import grouped_by_prefix

GROUPS = ("contacted", "selected", "consolidated", "promoted", "eliminated")

GROUP_LABELS = {
    "contacted": pgettext_lazy("dynamic management", "Contacted"),
    "selected": pgettext_lazy("dynamic management", "Selected"),
    "consolidated": pgettext_lazy("dynamic management", "Consolidated"),
    "promoted": pgettext_lazy("dynamic management", "Promoted"),
    "eliminated": pgettext_lazy("dynamic management", "Eliminated"),
}

# One line per group, shown beside its count: the definitions `_group_conditions` implements.
GROUP_DEFINITIONS = {
    "contacted": gettext_lazy(
        "People entered during the year who had no certification started by 31 December: "
        "noted, not nominated."
    ),
    "selected": gettext_lazy("People whose certification was filed, its last step, during the year."),
    "consolidated": gettext_lazy(
        "People filed by 31 December and not eliminated before the year, who were neither selected, "
        "promoted nor eliminated during it."
    ),
    "promoted": gettext_lazy("People with a promotion approved during the year."),
    "eliminated": gettext_lazy("People whose elimination was approved during the year."),
}

# What the date column of a group's list shows.
GROUP_DATE_LABELS = {
    "contacted": gettext_lazy("Entered on"),
    "selected": gettext_lazy("Filed on"),
    "consolidated": gettext_lazy("Filed on"),
    "promoted": gettext_lazy("Promoted on"),
    "eliminated": gettext_lazy("Eliminated on"),
}


def _region_prefix(region: Region | None) -> str:
    return region.prefix if region is not None else ""


def _group_conditions(year: int) -> dict[str, Q]:
    """Each group of `year` as a condition on a Candidate row, from dated records only.

    `__year` lookups on date-times use the current time zone (Asia/Shanghai), so a decision taken at
    00:30 on 1 January in Fushun belongs to the new year. The subqueries are not correlated with the
    row: the database runs each once and looks people up in its result (a per-person EXISTS inside
    an aggregate's filter is run again for every person, and the planner may pick a poor index).
    """

    def people(queryset: QuerySet) -> Q:
        # Not narrowed to the region: a join in the subquery invites nested loops on poor statistics,
        # and the outer query already keeps only the region's people.
        return Q(pk__in=queryset.values("candidate_id"))

    filed = Certification.objects.filter(state=CertificationState.FILED)
    approved_eliminations = Elimination.objects.approved()
    selected = people(filed.filter(filed_on__year=year))
    promoted = people(Promotion.objects.approved_in(year))
    eliminated = people(approved_eliminations.filter(decided_at__year=year))
    return {
        "contacted": Q(created_at__year=year)
        & ~people(Certification.objects.filter(started_at__year__lte=year)),
        "selected": selected,
        "consolidated": people(filed.filter(filed_on__year__lte=year))
        & ~people(approved_eliminations.filter(decided_at__year__lt=year))
        & ~selected
        & ~promoted
        & ~eliminated,
        "promoted": promoted,
        "eliminated": eliminated,
    }


def _group_annotations(group: str, year: int) -> dict:
    """The date (and for promotions and eliminations, the outcome) a group's list shows per person."""
    filed = Certification.objects.filter(candidate=OuterRef("pk"), state=CertificationState.FILED)
    if group == "contacted":
        return {"group_date": TruncDate("created_at")}
    if group in ("selected", "consolidated"):
        within = (
            filed.filter(filed_on__year=year)
            if group == "selected"
            else filed.filter(filed_on__year__lte=year)
        )
        return {"group_date": Subquery(within.order_by("-filed_on").values("filed_on")[:1])}
    if group == "promoted":
        promotions = (
            Promotion.objects.approved_in(year)
            .filter(candidate=OuterRef("pk"))
            .order_by("-decided_at", "-pk")
        )
        return {
            "group_date": Subquery(
                promotions.annotate(day=TruncDate("decided_at")).values("day")[:1], output_field=DateField()
            ),
            "group_outcome": Subquery(promotions.values("to_stage")[:1]),
        }
    eliminations = (
        Elimination.objects.approved()
        .filter(candidate=OuterRef("pk"), decided_at__year=year)
        .order_by("-decided_at", "-pk")
    )
    return {
        "group_date": Subquery(
            eliminations.annotate(day=TruncDate("decided_at")).values("day")[:1], output_field=DateField()
        ),
        "group_outcome": Subquery(eliminations.values("reason")[:1]),
    }


@dataclass
class DynamicRow:
    """The five counts of one region (or of the whole focus region, for the totals)."""

    region: Region | None
    counts: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(group, count) in the order of the five groups, for a table row."""
        return [(group, self.counts.get(group, 0)) for group in GROUPS]


@dataclass
class DynamicGroups:
    """Dynamic management of a region for a year: the totals, the same per child region, and the
    people of each group."""

    region: Region | None
    year: int
    total: DynamicRow
    children: list[DynamicRow]
    # The level of the children (None below a village), for the table's heading.
    child_level: RegionLevel | None
    people_base: QuerySet

    def people(self, group: str) -> QuerySet:
        """The candidates of `group`, scoped like the counts, with what the list's rows show."""
        return (
            self.people_base.filter(_group_conditions(self.year)[group])
            .select_related("village__region__parent")
            .annotate(**_group_annotations(group, self.year))
        )


def dynamic_groups(*, user, region: Region | None, year: int) -> DynamicGroups:
    """The five groups of dynamic management (五个一批) for the people under `region` in `year`.

    A person counts in a region when their village is under it. Only dated records are read, never
    a status "now", so a past year's figures do not change as people move on:

    - contacted (联系一批): entered in the year (`Candidate.created_at`) with no certification started
      (`Certification.started_at`) on or before 31 December: noted that year, not nominated within it;
    - selected (选拔一批): a certification filed in the year (state filed, `filed_on` in the year);
    - promoted (提升一批): a promotion approved in the year (`Promotion.decided_at`);
    - eliminated (淘汰一批): an elimination approved in the year (`Elimination.decided_at`);
    - consolidated (巩固一批): in the programme during the year (filed on or before 31 December, no
      elimination approved before 1 January) and neither selected, promoted nor eliminated in it.

    Each group counts people, not records. The counts of all five groups for every child region come
    from one grouped query; `region=None` (an administrator without a jurisdiction) means everything
    visible, by province.
    """
    people = Candidate.objects.visible_to(user)
    prefix = _region_prefix(region)
    if prefix:
        people = people.filter(village__region__code__startswith=prefix)
    child_level = RegionLevel.PROVINCE if region is None else region.child_level
    if child_level is None:
        children = Region.objects.none()
        length = PREFIX_LENGTH[RegionLevel.VILLAGE]
    else:
        children = Region.objects.visible_to(user).filter(parent=region, level=child_level)
        length = PREFIX_LENGTH[child_level]

    conditions = _group_conditions(year)
    by_area = grouped_by_prefix(
        people,
        "village_id",
        length,
        **{group: Count("pk", filter=condition) for group, condition in conditions.items()},
    )
    total = DynamicRow(region, {group: sum(row[group] for row in by_area.values()) for group in GROUPS})
    child_rows = [
        DynamicRow(child, {group: by_area.get(child.code[:length], {}).get(group, 0) for group in GROUPS})
        for child in children.order_by("code")
    ]
    return DynamicGroups(
        region=region,
        year=year,
        total=total,
        children=child_rows,
        child_level=child_level,
        people_base=people,
    )


def dynamic_years(*, user, region: Region | None, today: datetime.date | None = None) -> list[int]:
    """The years the report can show, newest first: from the first dated record under the region to now.

    Every year after a filing has people to count (those consolidated), so the years in between are
    offered too. One query.
    """
    this_year = (today or timezone.localdate()).year
    prefix = _region_prefix(region)

    def years(queryset: QuerySet, path: str, when: str) -> QuerySet:
        scoped = (
            queryset.filter(**{f"{path}village__region__code__startswith": prefix}) if prefix else queryset
        )
        return scoped.annotate(year=ExtractYear(when)).values_list("year", flat=True).order_by()

    found = (
        years(Candidate.objects.visible_to(user), "", "created_at")
        .union(
            years(
                Certification.objects.visible_to(user).filter(state=CertificationState.FILED),
                "candidate__",
                "filed_on",
            ),
            years(
                Promotion.objects.visible_to(user).filter(state=PromotionState.APPROVED),
                "candidate__",
                "decided_at",
            ),
            years(Elimination.objects.visible_to(user).approved(), "candidate__", "decided_at"),
        )
        .order_by()
    )
    first = min([year for year in found if year and year >= FIRST_YEAR] or [this_year - 1])
    return list(range(this_year, min(first, this_year - 1) - 1, -1))
