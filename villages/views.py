"""Village pages: the list, a region or village page, committee seats, reserves and the shortfall list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from config.breadcrumbs import crumbs
from config.forms import add_service_errors
from config.workflows import WorkflowError
from villages import permissions, selectors, services
from villages.filters import VillageFilter
from villages.forms import ReserveDecisionForm, ReserveDesignateForm, SeatEndForm, SeatForm
from villages.models import CommitteeSeat, Region, Village
from villages.tables import ReserveShortfallTable, VillageTable


# The record itself is fetched through `visible_to` first, so jurisdiction is settled before the
# role is asked (404 before 403).
def _village_to_keep(request, code) -> Village:
    """The village if the user may keep its records: 404 outside the jurisdiction, 403 for other roles."""
    village = get_object_or_404(
        Village.objects.visible_to(request.user).select_related("region__parent"), pk=code
    )
    if not permissions.can_keep_village_records(request.user):
        raise PermissionDenied
    return village


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
            "can_keep_records": permissions.can_keep_village_records(request.user),
            **selectors.village_detail(village=village, user=request.user, year=year),
        }
        return render(request, "villages/village_detail.html", context)
    context["summary"] = selectors.region_summary(region=region, user=request.user, year=year)
    return render(request, "villages/region_detail.html", context)


@login_required
def seat_create(request, code):
    """Enter a seat on the village's two committees, held by a candidate or by a plain person."""
    village = _village_to_keep(request, code)
    candidates = selectors.seat_candidates(village=village, user=request.user)
    form = SeatForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.committee_seat_create(by=request.user, village=village, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(holder)s was entered as %(position)s of %(village)s.")
                % {"holder": seat.holder, "position": seat.get_position_display(), "village": village},
            )
            return redirect(village)
    return render(request, "villages/seat_form.html", {"form": form, "village": village})


@login_required
def seat_end(request, pk):
    """End a seat's term on the day given (a seat is never deleted)."""
    seat = get_object_or_404(
        CommitteeSeat.objects.visible_to(request.user).select_related("village__region", "candidate"), pk=pk
    )
    if not permissions.can_keep_village_records(request.user):
        raise PermissionDenied
    form = SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.committee_seat_end(
                by=request.user, seat=seat, term_end=form.cleaned_data["term_end"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The term of %(holder)s as %(position)s ends on %(day)s.")
                % {"holder": seat.holder, "position": seat.get_position_display(), "day": seat.term_end},
            )
            return redirect(seat.village)
    return render(request, "villages/seat_end.html", {"form": form, "seat": seat, "village": seat.village})


@login_required
def reserve_designate(request, code):
    """Propose a candidate of the village as a secretary or committee reserve; the county confirms."""
    village = _village_to_keep(request, code)
    candidates = selectors.reservable_candidates(village=village, user=request.user)
    form = ReserveDesignateForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            reserve = services.reserve_designate(by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is proposed as %(kind)s; it counts once the county confirms it.")
                % {"name": reserve.candidate.name, "kind": reserve.get_kind_display()},
            )
            return redirect(village)
    return render(
        request,
        "villages/reserve_form.html",
        {"form": form, "village": village, "has_candidates": candidates.exists()},
    )


@login_required
def reserve_detail(request, pk):
    """A reserve, its history and the decisions the user may take on it now, one button each."""
    reserve = get_object_or_404(selectors.reserve_queryset(user=request.user), pk=pk)
    form = ReserveDecisionForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_decide_reserves(request.user, request.POST.get("action", "")):
            raise PermissionDenied
        if form.is_valid():
            try:
                reserve = services.reserve_decide(by=request.user, reserve=reserve, **form.cleaned_data)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s: the reserve is now “%(status)s”.")
                    % {"name": reserve.candidate.name, "status": reserve.get_status_display()},
                )
            return redirect("villages:reserve_detail", pk=reserve.pk)
    context = {
        "reserve": reserve,
        "village": reserve.village,
        "breadcrumbs": crumbs(
            (_("Villages"), "villages:village_list"),
            (reserve.village.region.name, reserve.village),
            _("Reserve"),
        ),
        "history": selectors.reserve_history(reserve=reserve),
        "actions": permissions.reserve_actions(request.user, reserve),
        "form": form,
    }
    return render(request, "villages/reserve_detail.html", context)


@login_required
def reserve_shortfall(request):
    """Villages short of reserves in the user's jurisdiction, by child region, then one by one."""
    code = request.GET.get("region")
    region = selectors.focus_region(user=request.user, code=code)
    if code and region is None:
        raise Http404
    shortfall = selectors.reserve_shortfall(user=request.user, region=region)
    table = ReserveShortfallTable(shortfall.villages_short)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    context = {
        "region": region,
        "shortfall": shortfall,
        "table": table,
        "reserve_target": selectors.RESERVE_TARGET,
        "breadcrumbs": selectors.region_breadcrumbs(region=region, user=request.user) if region else [],
    }
    return render(request, "villages/reserve_shortfall.html", context)
