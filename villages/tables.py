import django_tables2 as tables
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.tables import PortalTable
from villages.models import Village


class VillageTable(PortalTable):
    """Columns of the village list; every figure comes from an annotation of `village_list`."""

    name = tables.Column(
        accessor="region__name", linkify=True, verbose_name=_("Village"), order_by="region__name"
    )
    code = tables.Column(accessor="region_id", verbose_name=_("Division code"))
    township = tables.Column(
        accessor="region__parent__name", verbose_name=_("Township"), order_by="region_id"
    )
    county = tables.Column(
        accessor="region__parent__parent__name", verbose_name=_("County/district"), order_by="region_id"
    )
    households = tables.Column(verbose_name=_("Households"))
    population = tables.Column(verbose_name=_("Population"))
    leading_industries = tables.Column(verbose_name=_("Leading industries"))
    stars = tables.Column(verbose_name=_("Stars"), default="—")
    committee = tables.TemplateColumn(
        template_name="villages/cells/committee.html",
        verbose_name=_("Committee (wealth-creators)"),
        order_by="committee_members",
    )
    reserves = tables.TemplateColumn(
        template_name="villages/cells/reserves.html",
        verbose_name=_("Reserves (secretary/committee)"),
        order_by=("meets_reserve_target", "committee_reserves"),
    )
    paired_agency = tables.Column(verbose_name=_("Paired agency"), default="—")

    class Meta:
        model = Village
        fields = []
        sequence = (
            "name",
            "code",
            "township",
            "county",
            "households",
            "population",
            "leading_industries",
            "stars",
            "committee",
            "reserves",
            "paired_agency",
        )
        empty_text = _("No village matches these filters.")


# Figures align right, like the drill-down tables.
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class ReserveShortfallTable(PortalTable):
    """Villages short of reserves; every figure comes from an annotation of `short_of_reserves`."""

    name = tables.Column(
        accessor="region__name", linkify=True, verbose_name=_("Village"), order_by="region__name"
    )
    township = tables.Column(
        accessor="region__parent__name", verbose_name=_("Township"), order_by="region_id"
    )
    secretary_reserves = tables.Column(verbose_name=_("Secretary reserves"), attrs=NUMBER)
    committee_reserves = tables.Column(verbose_name=_("Committee reserves"), attrs=NUMBER)
    missing = tables.Column(
        accessor="secretary_missing",
        verbose_name=_("Missing"),
        order_by=("secretary_missing", "committee_missing"),
    )
    pending_proposals = tables.Column(verbose_name=_("Proposals awaiting the county"), attrs=NUMBER)

    class Meta:
        model = Village
        fields = []
        sequence = (
            "name",
            "township",
            "secretary_reserves",
            "committee_reserves",
            "missing",
            "pending_proposals",
        )
        empty_text = _("No village here is short of reserves.")

    def render_missing(self, record):
        secretary, committee = record.secretary_missing, record.committee_missing
        parts = []
        if secretary:
            parts.append(
                ngettext("%(n)s secretary reserve", "%(n)s secretary reserves", secretary) % {"n": secretary}
            )
        if committee:
            parts.append(
                ngettext("%(n)s committee reserve", "%(n)s committee reserves", committee) % {"n": committee}
            )
        if len(parts) == 2:
            return gettext("%(secretary)s and %(committee)s") % {"secretary": parts[0], "committee": parts[1]}
        return parts[0] if parts else "—"
