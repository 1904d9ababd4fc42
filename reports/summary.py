"""The figures the city reports (DESIGN §1), for any region and year, in the shape of summary.json
(DESIGN §9), read from the rollups (`reports.rollups`): a region's figures cost one query whatever
the number of candidates under it.

Callers pass a region the user may see (`villages.selectors.focus_region`); the figures of a region
are all of its records, which the user's jurisdiction covers whole.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from candidates.choices import Source, Stage
from candidates.workflow import STEPS
from mentoring.models import Policy
from reports.models import NOW, Rollup
from reports.rollups import DUE, SOURCE, STAGE, STEP
from villages.choices import RegionLevel
from villages.codes import division_prefix
from villages.models import Region

# "Eliminated in the last five years": the five calendar years up to the report's year.
ELIMINATION_YEARS = 5


def default_year() -> int:
    """The year a report shows unless asked: the last whole calendar year."""
    return timezone.localdate().year - 1


def _share(part, whole) -> float:
    return round(float(part) / float(whole), 3) if whole else 0.0


def _number(value: Decimal | int):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _figures(rows: dict[tuple[int, str], Decimal], year: int) -> dict:
    """The summary of one region from its rollup rows {(year, key): value}."""

    def now(key: str) -> Decimal:
        return rows.get((NOW, key), Decimal(0))

    def of_year(key: str, y: int = year) -> Decimal:
        return rows.get((y, key), Decimal(0))

    active = now("active")
    villages = now("villages")
    members = now("committee_members")
    return {
        "candidates": {
            "active": _number(active),
            "by_stage": {stage: _number(now(STAGE + stage)) for stage in Stage.values},
            "eliminated_last_5_years": _number(
                sum(of_year("eliminated", y) for y in range(year - ELIMINATION_YEARS + 1, year + 1))
            ),
            "in_village_committees": _number(now("in_village_committees")),
            "committee_reserves": _number(now("committee_reserves")),
            "without_mentor": _number(now("without_mentor")),
        },
        "certification": {
            "in_progress_by_step": {str(step): _number(now(f"{STEP}{step}")) for step in STEPS},
            "overdue": 0,  # filled by the caller from the due dates (_overdue): it moves with the calendar
            "rejected": _number(of_year("rejected")),
        },
        "villages": {
            "total": _number(villages),
            "four_star_plus": _number(of_year("four_star_plus")),
            "four_star_plus_share": _share(of_year("four_star_plus"), villages),
            "committee_members": _number(members),
            "committee_wealth_creator_share": _share(now("committee_wealth_creators"), members),
            "meeting_reserve_target": _number(now("meeting_reserve_target")),
            "paired": _number(now("paired")),
        },
        "contributions": {
            "collective_projects": _number(now("collective_projects")),
            "households_helped": _number(now("households_helped")),
            "service_items": _number(of_year("service_items")),
            "problems_solved": _number(of_year("problems_solved")),
            "awarded_candidates": _number(of_year("awarded_candidates")),
        },
        "training": {
            "university_trainees": _number(now("university_trainees")),
            "online_learning_rate": _share(of_year("online_learners"), active),
        },
        "support": {
            "policies": 0,  # the programme's catalogue, not a region's: filled in by the caller
            "loans_yuan": _number(now("loans_yuan")),
            "land_transfer_mu": _number(now("land_transfer_mu")),
            "projects": _number(now("projects")),
        },
    }


def _rows_of(codes: Sequence[str], years: Sequence[int]) -> dict[str, dict[tuple[int, str], Decimal]]:
    rows = defaultdict(dict)
    for region, y, key, value in Rollup.objects.filter(region__in=codes, year__in=[NOW, *years]).values_list(
        "region", "year", "key", "value"
    ):
        rows[region][(y, key)] = value
    return rows


def _years(year: int) -> list[int]:
    return list(range(year - ELIMINATION_YEARS + 1, year + 1))


def _overdue(rows: dict[tuple[int, str], Decimal]) -> int:
    """Certifications past their step's due date today, from the rollup rows of one region (the counts
    in progress by due date, `rollups.DUE`): the calendar moves this figure without any write."""
    today = f"{DUE}{timezone.localdate().isoformat()}"
    return _number(
        sum((v for (y, key), v in rows.items() if y == NOW and key.startswith(DUE) and key < today), 0)
    )


def _complete(region: Region, year: int, figures: dict, *, overdue: int, policies: int) -> dict:
    figures["certification"]["overdue"] = overdue
    figures["support"]["policies"] = policies
    return {
        "region": {"code": region.code, "name": region.name, "level": RegionLevel(region.level).name.lower()},
        "year": year,
        **figures,
    }


def summary(*, region: Region, year: int) -> dict:
    """DESIGN §9's summary.json for `region` and `year`."""
    rows = _rows_of([region.code], _years(year))[region.code]
    return _complete(
        region,
        year,
        _figures(rows, year),
        overdue=_overdue(rows),
        policies=Policy.objects.in_force().count(),
    )


def _summaries(regions: list[Region], year: int) -> list[tuple[Region, dict]]:
    if not regions:
        return []
    rows = _rows_of([r.code for r in regions], _years(year))
    policies = Policy.objects.in_force().count()
    return [
        (
            r,
            _complete(
                r, year, _figures(rows[r.code], year), overdue=_overdue(rows[r.code]), policies=policies
            ),
        )
        for r in regions
    ]


def child_summaries(*, region: Region, year: int, user) -> list[tuple[Region, dict]]:
    """The summary of each child region of `region` that `user` may see, by code."""
    children = list(Region.objects.visible_to(user).filter(parent=region).order_by("code"))
    return _summaries(children, year)


def descendant_summaries(*, region: Region, year: int, user, level: RegionLevel) -> list[tuple[Region, dict]]:
    """The summary of every region of `level` under `region` that `user` may see, by code."""
    regions = list(
        Region.objects.visible_to(user)
        .filter(level=level, code__startswith=division_prefix(region.code))
        .order_by("code")
    )
    return _summaries(regions, year)


def trend(*, region: Region, years: Sequence[int]) -> list[dict]:
    """New (filed), promoted and eliminated candidates of `region` per year."""
    rows = _rows_of([region.code], list(years)).get(region.code, {})
    return [
        {key: _number(rows.get((y, key), 0)) for key in ("filed", "promoted", "eliminated")} | {"year": y}
        for y in years
    ]


def by_source(*, region: Region) -> dict[str, int]:
    """Active candidates of `region` by where they came from (`Source`)."""
    rows = _rows_of([region.code], []).get(region.code, {})
    return {source: _number(rows.get((NOW, SOURCE + source), 0)) for source in Source.values}
