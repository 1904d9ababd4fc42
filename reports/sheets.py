"""The report pages as spreadsheets: dynamic management (its counts per region, the people of a group)
and the summary figures of a region and of every region under it, one sheet per level. Written by
`reports.exports`, the one export mechanism."""

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from candidates.choices import EliminationReason, Stage
from candidates.exports import person_export_rows
from candidates.workflow import STEPS
from reports import summary
from reports.dynamic import GROUP_DATE_LABELS, GROUP_LABELS, GROUPS, DynamicGroups
from reports.exports import Sheet
from villages.choices import RegionLevel
from villages.codes import division_prefix
from villages.models import Region

# Dynamic management ------------------------------------------------------------------------------


def dynamic_counts_sheet(groups: DynamicGroups, *, title: str) -> Sheet:
    """The five counts of every child region, then the total: the table of the report's page."""
    level = groups.child_level.label if groups.child_level else _("Region")
    headers = [level, _("Division code"), *[GROUP_LABELS[key] for key in GROUPS]]
    rows = [
        [row.region.name, row.region.code, *[count for _key, count in row.cells]] for row in groups.children
    ]
    total = groups.total
    rows.append([_("Total"), total.region.code if total.region else "", *[c for _k, c in total.cells]])
    return Sheet(title=title, headers=headers, rows=rows)


def dynamic_people_rows(people, *, group: str) -> tuple[list[str], Iterator[list]]:
    """The people of one group (`DynamicGroups.people`), masked, with the group's date and, for
    promotions and eliminations, the rung reached or the reason."""
    extra = [(GROUP_DATE_LABELS[group], lambda c: c.group_date)]
    outcomes = {"promoted": (_("Promoted to"), Stage), "eliminated": (_("Reason"), EliminationReason)}
    if group in outcomes:
        label, choices = outcomes[group]
        names = dict(choices.choices)
        extra.append((label, lambda c: str(names.get(c.group_outcome, c.group_outcome or ""))))
    return person_export_rows(people, extra=extra)


# The summary figures per region --------------------------------------------------------------------


def _figure_columns() -> list[tuple[tuple[str, ...], str, str | None]]:
    """Every figure of summary.json (DESIGN §9): its path in the dict, its header (the dashboard's label
    where it has one), its number format."""
    percent = "0.0%"
    return [
        (("candidates", "active"), _("Candidates in cultivation"), None),
        *[
            (("candidates", "by_stage", stage), _("Stage: %(stage)s") % {"stage": label}, None)
            for stage, label in Stage.choices
        ],
        (("candidates", "eliminated_last_5_years"), _("Eliminated in the last five years"), None),
        (("candidates", "in_village_committees"), _("In the village committees"), None),
        (("candidates", "committee_reserves"), _("Candidates in committee reserves"), None),
        (("candidates", "without_mentor"), _("Active candidates without a mentor"), None),
        *[
            (
                ("certification", "in_progress_by_step", str(number)),
                _("At step %(number)s %(step)s") % {"number": number, "step": step.label},
                None,
            )
            for number, step in STEPS.items()
        ],
        (("certification", "overdue"), _("Overdue certifications"), None),
        (("certification", "rejected"), _("Certifications rejected"), None),
        (("villages", "total"), _("Villages"), None),
        (("villages", "four_star_plus"), _("Villages rated four stars or more"), None),
        (("villages", "four_star_plus_share"), _("Share of villages rated four stars or more"), percent),
        (("villages", "committee_members"), _("Committee members"), None),
        (
            ("villages", "committee_wealth_creator_share"),
            _("Wealth-creators among committee members"),
            percent,
        ),
        (("villages", "meeting_reserve_target"), _("Villages meeting the reserve target"), None),
        (("villages", "paired"), _("Villages paired with an agency branch"), None),
        (("contributions", "collective_projects"), _("Collective-economy projects led"), None),
        (("contributions", "households_helped"), _("Households helped to a higher income"), None),
        (("contributions", "service_items"), _("Service items performed"), None),
        (("contributions", "problems_solved"), _("Problems solved for villagers"), None),
        (("contributions", "awarded_candidates"), _("Candidates awarded"), None),
        (("training", "university_trainees"), _("Candidates trained at universities"), None),
        (("training", "online_learning_rate"), _("Online learning rate"), percent),
        (("support", "policies"), _("Support policies in force"), None),
        (("support", "loans_yuan"), _("Loans (yuan)"), None),
        (("support", "land_transfer_mu"), _("Land transferred (mu)"), None),
        (("support", "projects"), _("Projects developed"), None),
    ]


def _figure(figures: dict, path: tuple[str, ...]):
    for key in path:
        figures = figures[key]
    return figures


def figures_sheets(*, region: Region, year: int, user) -> list[Sheet]:
    """The summary figures of `region` and of every region under it that `user` may see: one sheet per
    level below it (county, township, village), the region itself on each sheet's first row. A fixed
    number of queries per level, whatever the number of regions."""
    columns = _figure_columns()
    headers = [_("Region"), _("Division code"), _("Part of"), *[header for _p, header, _f in columns]]
    formats = {3 + i: number_format for i, (_p, _h, number_format) in enumerate(columns) if number_format}
    levels = [RegionLevel(level) for level in range(region.level + 1, RegionLevel.VILLAGE + 1)]
    # The names of the regions that hold others (and of the region's parent), for the "part of"
    # column: one query.
    holders = dict(
        Region.objects.filter(
            Q(code__startswith=division_prefix(region.code), level__lt=RegionLevel.VILLAGE)
            | Q(code=region.parent_id)
        ).values_list("code", "name")
    )

    def row(place: Region, figures: dict, part_of: str) -> list:
        return [place.name, place.code, part_of, *[_figure(figures, path) for path, _h, _f in columns]]

    own = row(region, summary.summary(region=region, year=year), holders.get(region.parent_id, ""))
    if not levels:
        return [Sheet(title=region.get_level_display(), headers=headers, rows=[own], formats=formats)]
    return [
        Sheet(
            title=level.label,
            headers=headers,
            rows=[
                own,
                *[
                    row(place, figures, holders.get(place.parent_id, ""))
                    for place, figures in summary.descendant_summaries(
                        region=region, year=year, user=user, level=level
                    )
                ],
            ],
            formats=formats,
        )
        for level in levels
    ]
