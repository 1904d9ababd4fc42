"""The village lists as spreadsheets: the columns of the village list and of the villages short of
reserves, beside the export itself (`reports.exports`)."""

from django.utils.translation import gettext as _

from config.forms import field_label
from reports.exports import Columns, column_rows
from villages.models import Village


def _place_columns() -> Columns:
    """The village, its division code, township and county."""
    return [
        (_("Village"), lambda v: v.region.name),
        (_("Division code"), lambda v: v.region_id),
        (_("Township"), lambda v: v.region.parent.name),
        (_("County/district"), lambda v: v.region.parent.parent.name),
    ]


def village_export_rows(villages, *, year: int | None):
    """Header and rows of the village list: its columns and the village's own records.

    `villages` come from `selectors.village_list`, whose annotations carry every figure: one query.
    """

    def yes_no(value):
        return _("Yes") if value else _("No")

    stars = _("Stars (%(year)s)") % {"year": year} if year else _("Stars")
    columns = [
        *_place_columns(),
        (field_label(Village, "households"), lambda v: v.households),
        (field_label(Village, "population"), lambda v: v.population),
        (field_label(Village, "party_members"), lambda v: v.party_members),
        (field_label(Village, "leading_industries"), lambda v: v.leading_industries),
        (field_label(Village, "collective_income"), lambda v: v.collective_income),
        (field_label(Village, "per_capita_income"), lambda v: v.per_capita_income),
        (field_label(Village, "party_branch"), lambda v: v.party_branch),
        (stars, lambda v: v.stars),
        (_("Committee members"), lambda v: v.committee_members),
        (_("Wealth-creators on the committees"), lambda v: v.committee_wealth_creators),
        (_("Secretary reserves"), lambda v: v.secretary_reserves),
        (_("Committee reserves"), lambda v: v.committee_reserves),
        (_("Meets reserve target"), lambda v: yes_no(v.meets_reserve_target)),
        (_("Paired agency"), lambda v: v.paired_agency or ""),
    ]
    return column_rows(columns, villages.select_related("region__parent__parent"))


def reserve_shortfall_export_rows(villages):
    """Header and rows of the villages short of reserves: what they hold, what they miss, what awaits
    the county. `villages` come from `selectors.short_of_reserves`, every figure an annotation."""
    columns = [
        *_place_columns(),
        (_("Secretary reserves"), lambda v: v.secretary_reserves),
        (_("Committee reserves"), lambda v: v.committee_reserves),
        (_("Secretary reserves missing"), lambda v: v.secretary_missing),
        (_("Committee reserves missing"), lambda v: v.committee_missing),
        (_("Proposals awaiting the county"), lambda v: v.pending_proposals),
    ]
    return column_rows(columns, villages.select_related("region__parent__parent"))
