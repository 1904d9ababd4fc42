from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from config.db_router import reads_replica
from reports.dashboard import dashboard_page
from reports.permissions import can_view_reports, report_region, report_year


@login_required
@reads_replica
def dashboard(request):
    """The figures of a region and a year (DESIGN §1, §7) as tiles and charts, with its child regions to
    drill into: the user's jurisdiction unless `region` names another region they may see (else 404)."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    region = report_region(user=request.user, code=request.GET.get("region"))
    if region is None:
        raise Http404
    year = report_year(request.GET.get("year"))
    return render(
        request, "reports/dashboard.html", dashboard_page(user=request.user, region=region, year=year)
    )
