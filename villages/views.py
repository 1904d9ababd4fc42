from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from villages import selectors
from villages.filters import VillageFilter
from villages.models import Region, Village
from villages.tables import VillageTable


@login_required
def village_list(request):
    """All villages the user may see, filtered and sorted, with drill-down by region."""
    year = selectors.rating_year()
    filterset = VillageFilter(request.GET, queryset=selectors.village_list(user=request.user, year=year))
    table = VillageTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    region = selectors.focus_region(user=request.user, code=request.GET.get("region"))
    return render(
        request,
        "villages/village_list.html",
        {
            "filter": filterset,
            "table": table,
            "year": year,
            "region": region,
            "breadcrumbs": selectors.region_breadcrumbs(region=region, user=request.user) if region else [],
            "child_regions": selectors.child_regions(region=region, user=request.user) if region else [],
        },
    )


@login_required
def region_detail(request, code):
    """A region's page: for a village its records, otherwise its children's figures to drill into."""
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    year = selectors.rating_year()
    context = {
        "region": region,
        "year": year,
        "breadcrumbs": selectors.region_breadcrumbs(region=region, user=request.user),
    }
    if region.is_village:
        village = get_object_or_404(Village.objects.visible_to(request.user), pk=code)
        context |= {
            "village": village,
            **selectors.village_detail(village=village, user=request.user, year=year),
        }
        return render(request, "villages/village_detail.html", context)
    context["summary"] = selectors.region_summary(region=region, user=request.user, year=year)
    return render(request, "villages/region_detail.html", context)


# Placeholders: being written.
def reserve_shortfall(request):
    from django.http import HttpResponse

    return HttpResponse(status=501)


def reserve_detail(request, pk):
    from django.http import HttpResponse

    return HttpResponse(status=501)


def seat_end(request, pk):
    from django.http import HttpResponse

    return HttpResponse(status=501)


def seat_create(request, code):
    from django.http import HttpResponse

    return HttpResponse(status=501)


def reserve_designate(request, code):
    from django.http import HttpResponse

    return HttpResponse(status=501)
