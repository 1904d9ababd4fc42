"""The village lists as Excel workbooks: the same query string, scope and order as the list pages."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from config.db_router import reads_replica
from reports.exports import list_export
from villages import exports, selectors
from villages.filters import VillageFilter
from villages.tables import ReserveShortfallTable, VillageTable


@login_required
@reads_replica
def village_export(request):
    """The filtered village list as an Excel workbook, in the list's order."""
    year = selectors.rating_year()
    filterset = VillageFilter(request.GET, queryset=selectors.village_list(user=request.user, year=year))
    table = VillageTable(filterset.qs, order_by=request.GET.get("sort"))
    return list_export(
        request,
        table.data.data,
        rows=partial(exports.village_export_rows, year=year),
        title=_("Villages"),
        list_url="villages:village_list",
    )


@login_required
@reads_replica
def reserve_shortfall_export(request):
    """The villages short of reserves under the region asked for (404 outside the jurisdiction)."""
    code = request.GET.get("region")
    region = selectors.focus_region(user=request.user, code=code)
    if code and region is None:
        raise Http404
    shortfall = selectors.reserve_shortfall(user=request.user, region=region)
    table = ReserveShortfallTable(shortfall.villages_short, order_by=request.GET.get("sort"))
    return list_export(
        request,
        table.data.data,
        rows=exports.reserve_shortfall_export_rows,
        title=_("Villages short of reserves"),
        list_url="villages:reserve_shortfall",
    )
