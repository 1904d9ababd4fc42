"""The report pages as Excel workbooks: dynamic management with the page's query string, and the summary
figures of a region and every region under it (one sheet per level)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from config.db_router import reads_replica
from reports import dynamic, sheets
from reports.exports import list_export, xlsx_download, xlsx_workbook_sheets
from reports.permissions import can_view_reports, report_region, report_year
from reports.tables import DynamicGroupTable
from reports.views import _year as dynamic_year
from villages.selectors import focus_region


@login_required
@reads_replica
def dynamic_export(request):
    """Dynamic management for the page's region and year: with `group`, the people of that group (in the
    list's order, masked); without, the five counts of every child region and the total."""
    code = request.GET.get("region")
    region = focus_region(user=request.user, code=code)
    if code and region is None:
        raise Http404
    year = dynamic_year(request.GET.get("year"), dynamic.dynamic_years(user=request.user, region=region))
    groups = dynamic.dynamic_groups(user=request.user, region=region, year=year)
    place = f"{region.name} " if region else ""
    group = request.GET.get("group")
    if group in dynamic.GROUPS:
        table = DynamicGroupTable(groups.people(group), group=group, order_by=request.GET.get("sort"))
        return list_export(
            request,
            table.data.data,
            rows=partial(sheets.dynamic_people_rows, group=group),
            title=f"{dynamic.GROUP_LABELS[group]} {place}{year}",
            list_url="reports:dynamic_management",
        )
    title = f"{_('Dynamic management')} {place}{year}"
    content = xlsx_workbook_sheets([sheets.dynamic_counts_sheet(groups, title=title)])
    return xlsx_download(content, filename=f"{title}.xlsx")


@login_required
@reads_replica
def figures_export(request):
    """The summary figures (DESIGN §9) of a region and of every region under it the user may see, one sheet
    per level; like summary.json, 403 for a mentor and 404 for a region outside the jurisdiction."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    region = report_region(user=request.user, code=request.GET.get("region") or None)
    if region is None:
        raise Http404
    year = report_year(request.GET.get("year"))
    content = xlsx_workbook_sheets(sheets.figures_sheets(region=region, year=year, user=request.user))
    return xlsx_download(content, filename=f"{_('Figures')} {region.name} {year}.xlsx")
