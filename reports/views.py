from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from config.db_router import reads_replica
from reports import dynamic, summary
from reports.permissions import FIRST_YEAR, can_view_reports, report_region
from reports.tables import DynamicGroupTable
from reports.work_queue import work_queue
from villages.selectors import focus_region, region_breadcrumbs


@login_required
def home(request):
    """The work queue: what awaits the user in their jurisdiction, each item a link to act on it."""
    return render(request, "reports/home.html", {"queue": work_queue(user=request.user)})


def _year(value: str | None, years: list[int]) -> int:
    """The year asked for, if it is one the report can show; else last year (`years` is newest first)."""
    default = years[1]
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= years[0] else default


def _same_report_of(request, region) -> str:
    """The report's query string for another region: the same year, no group open, first page."""
    query = request.GET.copy()
    for key in ("group", "page", "sort"):
        query.pop(key, None)
    query["region"] = region.code
    return f"?{query.urlencode()}"


@login_required
def dynamic_management(request):
    """The five groups of dynamic management (五个一批) for a region and a year, each with its people."""
    code = request.GET.get("region")
    region = focus_region(user=request.user, code=code)
    if code and region is None:
        raise Http404
    years = dynamic.dynamic_years(user=request.user, region=region)
    year = _year(request.GET.get("year"), years)
    groups = dynamic.dynamic_groups(user=request.user, region=region, year=year)
    group = request.GET.get("group")
    table = None
    if group in dynamic.GROUPS:
        table = DynamicGroupTable(groups.people(group), group=group)
        RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return render(
        request,
        "reports/dynamic_management.html",
        {
            "groups": groups,
            "region": region,
            "year": year,
            "years": years,
            "cards": [
                {
                    "key": key,
                    "label": dynamic.GROUP_LABELS[key],
                    "definition": dynamic.GROUP_DEFINITIONS[key],
                    "count": count,
                }
                for key, count in groups.total.cells
            ],
            "group_labels": [dynamic.GROUP_LABELS[key] for key in dynamic.GROUPS],
            "group": group if table is not None else "",
            "group_label": dynamic.GROUP_LABELS.get(group, ""),
            "table": table,
            "breadcrumbs": region_breadcrumbs(
                region=region, user=request.user, link_to=lambda r: _same_report_of(request, r)
            )
            if region
            else [],
        },
    )


@login_required
@reads_replica
def summary_json(request):
    """DESIGN §9's summary.json: the figures of a region the user may see (404 for another), for a year
    (last year unless asked; a year that is not one is a 400, never silently another year)."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    code = request.GET.get("region") or None
    region = report_region(user=request.user, code=code)
    if region is None:
        raise Http404
    asked = (request.GET.get("year") or "").strip()
    year = summary.default_year()
    if asked:
        if not (asked.isascii() and asked.isdigit() and FIRST_YEAR <= int(asked) <= year + 1):
            message = _("The year must be a year from %(first)d to %(last)d.") % {
                "first": FIRST_YEAR,
                "last": year + 1,
            }
            return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})
        year = int(asked)
    return JsonResponse(summary.summary(region=region, year=year), json_dumps_params={"ensure_ascii": False})
