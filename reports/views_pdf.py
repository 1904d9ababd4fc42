"""The annual report of a region as a PDF (DESIGN §7, §9: `/reports/annual.pdf?region=&year=`)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from config.db_router import reads_replica
from config.pdf import pdf_response
from reports.annual import annual_report_pdf
from reports.permissions import can_view_reports, report_region, report_year


@login_required
@reads_replica
def annual_pdf(request):
    """The year's report (last year unless asked) of a region the user may see: their own unless
    `region` names another (404 outside their jurisdiction); mentors have no reports (403)."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    region = report_region(user=request.user, code=request.GET.get("region"))
    if region is None:
        raise Http404
    year = report_year(request.GET.get("year"))
    # Translators: the file name of a region's annual report, e.g. 新宾满族自治县-2025年度报告.pdf
    filename = _("%(region)s-annual report %(year)s.pdf") % {"region": region.name, "year": year}
    return pdf_response(annual_report_pdf(region=region, year=year, user=request.user), filename)
