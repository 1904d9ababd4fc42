"""The dashboard (DESIGN §7): the figures of §1 for a region and a year as tiles, each linking to the list
behind it, the data of its charts, and the child regions to drill into (city → county → township →
village).

Every figure comes from `reports.summary`, which reads the rollups: the page costs the same number of
queries whatever the number of candidates under the region.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.jurisdiction import in_jurisdiction
from candidates.choices import Source, Stage, Status
from candidates.workflow import STEPS
from mentoring.choices import ContributionKind, SupportKind
from reports import summary
from reports.permissions import FIRST_YEAR
from villages.choices import RegionLevel
from villages.models import Region
from villages.selectors import region_breadcrumbs

# Years of the trend chart, the report's year the last of them.
TREND_YEARS = 6


def dashboard_url(region: Region, year: int) -> str:
    return _url("reports:dashboard", region=region.code, year=year)


def _url(name: str, **query) -> str:
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


# Figures as the city writes them ---------------------------------------------------------------


def _decimal(value, places: int) -> str:
    """`value` rounded to `places` decimals, without trailing zeros, with thousands separators."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text), use_l10n=True, force_grouping=True)


def count(value) -> str:
    return _decimal(value, 0)


def percent(share: float | None) -> str:
    """A share (0.892) as the city writes it: 89.2%."""
    return "—" if share is None else f"{_decimal(share * 100, 1)}%"


def yuan(amount) -> str:
    """An amount in yuan in the unit the city reports it in: 亿元 from a hundred million, else 万元."""
    if amount >= 10**8:
        # Translators: 亿元
        return _("%(amount)s hundred million yuan") % {"amount": _decimal(Decimal(amount) / 10**8, 2)}
    if amount >= 10**4:
        # Translators: 万元
        return _("%(amount)s ten thousand yuan") % {"amount": _decimal(Decimal(amount) / 10**4, 1)}
    # Translators: 元
    return _("%(amount)s yuan") % {"amount": count(amount)}


def mu(area) -> str:
    # Translators: 亩
    return _("%(area)s mu") % {"area": _decimal(area, 1)}


# The page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One figure: its label, the value as written, a line under it, and the list behind it."""

    key: str
    label: str
    value: str
    url: str = ""
    note: str = ""
    # Further lists behind the figure: (label, url).
    links: tuple = ()


@dataclass
class TileGroup:
    title: str
    tiles: list[Tile] = field(default_factory=list)


def _tiles(figures: dict, region: Region, year: int) -> list[TileGroup]:
    """The figures of DESIGN §1 (and a few the offices act on), grouped as the city reports them."""
    code = region.code
    people = figures["candidates"]
    villages = figures["villages"]
    certification = figures["certification"]
    contributions = figures["contributions"]
    training = figures["training"]
    support = figures["support"]
    candidates = "candidates:candidate_list"
    in_year = _("in %(year)s") % {"year": year}
    of_villages = ngettext("of %(villages)s village", "of %(villages)s villages", villages["total"]) % {
        "villages": count(villages["total"])
    }
    in_progress = sum(certification["in_progress_by_step"].values())

    def kind(name, value):
        return _url(name, region=code, kind=value)

    return [
        TileGroup(
            _("Candidates"),
            [
                Tile(
                    "active",
                    _("Candidates in cultivation"),
                    count(people["active"]),
                    _url(candidates, region=code, status=Status.ACTIVE),
                ),
                Tile(
                    "revitalization_leaders",
                    _("Rural revitalization leaders"),
                    count(people["by_stage"][Stage.REVITALIZATION_LEADER]),
                    _url(candidates, region=code, status=Status.ACTIVE, stage=Stage.REVITALIZATION_LEADER),
                ),
                Tile(
                    "eliminated_last_5_years",
                    _("Eliminated in the last five years"),
                    count(people["eliminated_last_5_years"]),
                    _url("candidates:elimination_list", region=code),
                    _("%(first)s–%(last)s") % {"first": year - summary.ELIMINATION_YEARS + 1, "last": year},
                ),
                Tile(
                    "in_village_committees",
                    _("In the village committees"),
                    count(people["in_village_committees"]),
                    _url(candidates, region=code, status=Status.ACTIVE, committee=1),
                ),
                Tile(
                    "committee_reserves",
                    _("Candidates in committee reserves"),
                    count(people["committee_reserves"]),
                    _url("villages:reserve_shortfall", region=code),
                    links=(
                        (_("Secretary reserves"), _url(candidates, region=code, reserve="secretary")),
                        (_("Committee reserves"), _url(candidates, region=code, reserve="committee")),
                    ),
                ),
                Tile(
                    "without_mentor",
                    _("Active candidates without a mentor"),
                    count(people["without_mentor"]),
                ),
            ],
        ),
        TileGroup(
            _("Villages"),
            [
                Tile(
                    "four_star_plus",
                    _("Villages rated four stars or more"),
                    count(villages["four_star_plus"]),
                    _url("villages:village_list", region=code, stars=4),
                    f"{percent(villages['four_star_plus_share'])} · {of_villages} · {in_year}",
                ),
                Tile(
                    "committee_wealth_creator_share",
                    _("Wealth-creators among committee members"),
                    percent(villages["committee_wealth_creator_share"]),
                    _url("villages:village_list", region=code),
                    ngettext("of %(members)s member", "of %(members)s members", villages["committee_members"])
                    % {"members": count(villages["committee_members"])},
                ),
                Tile(
                    "meeting_reserve_target",
                    _("Villages meeting the reserve target"),
                    count(villages["meeting_reserve_target"]),
                    _url("villages:village_list", region=code, meets_reserve_target=1),
                    of_villages,
                    links=(
                        (_("Villages short of reserves"), _url("villages:reserve_shortfall", region=code)),
                    ),
                ),
                Tile(
                    "paired",
                    _("Villages paired with an agency branch"),
                    count(villages["paired"]),
                    _url("villages:village_list", region=code),
                    of_villages,
                ),
            ],
        ),
        TileGroup(
            _("Certification"),
            [
                Tile(
                    "in_certification",
                    _("In certification"),
                    count(in_progress),
                    _url(candidates, region=code, status=Status.CERTIFYING),
                ),
                Tile(
                    "overdue",
                    _("Certification steps overdue"),
                    count(certification["overdue"]),
                    _url(candidates, region=code, overdue=1),
                ),
                Tile(
                    "rejected",
                    _("Certifications rejected"),
                    count(certification["rejected"]),
                    _url(candidates, region=code, status=Status.REJECTED),
                    in_year,
                ),
            ],
        ),
        TileGroup(
            _("Contributions"),
            [
                Tile(
                    "collective_projects",
                    _("Collective-economy projects led"),
                    count(contributions["collective_projects"]),
                    _url("mentoring:collective_project_list", region=code),
                ),
                Tile(
                    "households_helped",
                    _("Households helped to a higher income"),
                    count(contributions["households_helped"]),
                    kind("mentoring:contribution_list", ContributionKind.HOUSEHOLDS_HELPED),
                ),
                Tile(
                    "service_items",
                    _("Service items performed"),
                    count(contributions["service_items"]),
                    _url(
                        "mentoring:contribution_list",
                        region=code,
                        year=year,
                        kind=ContributionKind.SERVICE_ITEMS,
                    ),
                    in_year,
                ),
                Tile(
                    "problems_solved",
                    _("Problems solved for villagers"),
                    count(contributions["problems_solved"]),
                    _url(
                        "mentoring:contribution_list",
                        region=code,
                        year=year,
                        kind=ContributionKind.PROBLEMS_SOLVED,
                    ),
                    in_year,
                ),
                Tile(
                    "awarded_candidates",
                    _("Candidates awarded"),
                    count(contributions["awarded_candidates"]),
                    _url("mentoring:award_list", region=code, year=year),
                    in_year,
                ),
            ],
        ),
        TileGroup(
            _("Training"),
            [
                Tile(
                    "university_trainees",
                    _("Candidates trained at universities"),
                    count(training["university_trainees"]),
                    _url("mentoring:cohort_list", region=code),
                ),
                Tile(
                    "online_learning_rate",
                    _("Online learning rate"),
                    percent(training["online_learning_rate"]),
                    _url("mentoring:online_learning_list", region=code, year=year),
                    in_year,
                ),
            ],
        ),
        TileGroup(
            _("Support"),
            [
                Tile(
                    "policies",
                    _("Support policies in force"),
                    count(support["policies"]),
                    _url("mentoring:policy_list", active=1),
                    links=((_("Granted"), kind("mentoring:support_list", SupportKind.POLICY)),),
                ),
                Tile(
                    "loans_yuan",
                    _("Loans arranged"),
                    yuan(support["loans_yuan"]),
                    kind("mentoring:support_list", SupportKind.LOAN),
                    _("%(amount)s yuan") % {"amount": count(support["loans_yuan"])},
                ),
                Tile(
                    "land_transfer_mu",
                    _("Land transferred"),
                    mu(support["land_transfer_mu"]),
                    kind("mentoring:support_list", SupportKind.LAND),
                ),
                Tile(
                    "projects",
                    _("Projects developed"),
                    count(support["projects"]),
                    kind("mentoring:support_list", SupportKind.PROJECT),
                ),
            ],
        ),
    ]


def _child_row(child: Region, figures: dict, year: int) -> dict:
    """A row of the children table: the child's main figures and where its name leads."""
    people = figures["candidates"]
    villages = figures["villages"]
    row = {
        "region": child,
        "url": dashboard_url(child, year),
        "active": people["active"],
        "in_certification": sum(figures["certification"]["in_progress_by_step"].values()),
        "in_village_committees": people["in_village_committees"],
        "committee_reserves": people["committee_reserves"],
        "eliminated_last_5_years": people["eliminated_last_5_years"],
        "villages": villages["total"],
        "four_star_plus": villages["four_star_plus"],
        "meeting_reserve_target": villages["meeting_reserve_target"],
        "short_of_reserves": max(villages["total"] - villages["meeting_reserve_target"], 0),
        "active_url": _url("candidates:candidate_list", region=child.code, status=Status.ACTIVE),
    }
    if child.level == RegionLevel.VILLAGE:
        row["village_url"] = child.get_absolute_url()
    return row


def _charts(figures: dict, rows: list[dict], region: Region, trend: list[dict]) -> dict:
    """The data of the charts, for `json_script`: each item names its bar and the page it leads to."""
    code = region.code
    people = figures["candidates"]
    candidates = "candidates:candidate_list"
    sources = summary.by_source(region=region)
    series = (
        ("filed", _("Newly certified")),
        ("promoted", _("Promoted")),
        ("eliminated", _("Eliminated")),
    )
    return {
        "funnel": [
            {
                "name": f"{number} {step.label}",
                "value": figures["certification"]["in_progress_by_step"][str(number)],
                "url": _url(candidates, region=code, step=number),
            }
            for number, step in STEPS.items()
        ],
        "stages": [
            {
                "name": str(stage.label),
                "value": people["by_stage"][stage],
                "url": _url(candidates, region=code, status=Status.ACTIVE, stage=stage),
            }
            for stage in Stage
        ],
        "sources": [
            {
                "name": str(source.label),
                "value": sources[source],
                "url": _url(candidates, region=code, status=Status.ACTIVE, source=source),
            }
            for source in Source
        ],
        "trend": {
            "years": [str(t["year"]) for t in trend],
            "series": [{"name": str(label), "values": [t[key] for t in trend]} for key, label in series],
        },
        "children": [{"name": r["region"].name, "value": r["active"], "url": r["url"]} for r in rows],
        "reserves": {
            "series": [str(_("Meeting the target")), str(_("Short of reserves"))],
            "items": [
                {
                    "name": r["region"].name,
                    "values": [r["meeting_reserve_target"], r["short_of_reserves"]],
                    "url": r["url"],
                }
                for r in rows
            ],
        },
    }


def _region_options(region: Region, ancestors: list[Region], rows: list[dict], user) -> list[dict]:
    """The regions the selector offers: those above in the jurisdiction, this one, the ones below."""
    above = [r for r in ancestors if in_jurisdiction(user, r.code)]
    return [
        *({"code": r.code, "name": r.name, "depth": 0} for r in above),
        {"code": region.code, "name": region.name, "depth": 0},
        *({"code": r["region"].code, "name": r["region"].name, "depth": 1} for r in rows),
    ]


def dashboard_page(*, user, region: Region, year: int) -> dict:
    """Everything the dashboard of `region` and `year` shows: a fixed number of queries."""
    figures = summary.summary(region=region, year=year)
    rows = [
        _child_row(child, data, year)
        for child, data in summary.child_summaries(region=region, year=year, user=user)
    ]
    ancestors = region.ancestors()
    trend = summary.trend(region=region, years=range(year - TREND_YEARS + 1, year + 1))
    charts = _charts(figures, rows, region, trend)
    return {
        "region": region,
        "region_level": RegionLevel(region.level).label,
        "child_level": RegionLevel(region.level + 1).label if region.level < RegionLevel.VILLAGE else "",
        "year": year,
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1)),
        "figures": figures,
        "groups": _tiles(figures, region, year),
        "children": rows,
        "charts": charts,
        "trend_rows": [
            {"year": t["year"], "values": [line["values"][i] for line in charts["trend"]["series"]]}
            for i, t in enumerate(trend)
        ],
        "total": {"in_certification": sum(figures["certification"]["in_progress_by_step"].values())},
        "region_options": _region_options(region, ancestors, rows, user),
        "breadcrumbs": region_breadcrumbs(region=region, user=user, link_to=lambda r: dashboard_url(r, year)),
        "is_village": region.level == RegionLevel.VILLAGE,
        "village_url": region.get_absolute_url() if region.level == RegionLevel.VILLAGE else "",
        "candidates_url": _url("candidates:candidate_list", region=region.code),
        "dynamic_url": _url("reports:dynamic_management", region=region.code, year=year),
        "figures_url": _url("reports:figures_export", region=region.code, year=year),
        "annual_url": _url("reports:annual_pdf", region=region.code, year=year),
        "summary_url": _url("reports:summary", region=region.code, year=year),
    }
