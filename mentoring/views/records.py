"""What the support and contribution pages share: a filtered list page and its export, and the page that
records something for a candidate. Each page's own view says what to list or record."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from candidates.models import Candidate
from candidates.services import id_number_search_log
from config.breadcrumbs import crumbs
from config.forms import add_service_errors
from config.tables import list_query
from reports.exports import list_export

# The first breadcrumb of a person's pages.
CANDIDATES = (gettext_lazy("Candidates"), "candidates:candidate_list")


def visible_candidate(request, pk) -> Candidate:
    """The candidate `pk` if the user may see them (else 404)."""
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("village__region__parent"), pk=pk
    )


def filtered(request, filter_class, queryset):
    """The list's filters on its scoped queryset; a search by a whole ID card number is logged for the
    people it found, as on the candidate list."""
    filterset = filter_class(request.GET, queryset=queryset)
    if getattr(filterset, "searched_full_id_number", False):
        people = Candidate.objects.filter(pk__in=filterset.qs.values("candidate_id"))
        id_number_search_log(by=request.user, candidates=people)
    return filterset


def list_page(request, template: str, *, filterset, table, **context):
    """A list page: the filters, one page of the table, the query its export keeps, and `context`."""
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    page = {"filter": filterset, "table": table, "list_query": list_query(request)}
    return render(request, template, page | context)


def export(request, *, filterset, table_class, rows: Callable, title: str, list_url: str):
    """The filtered list as an .xlsx download, in the list's order (`reports.exports.list_export`)."""
    table = table_class(filterset.qs, order_by=request.GET.get("sort"))
    return list_export(request, table.data.data, rows=rows, title=title, list_url=list_url)


def record_page(
    request,
    pk,
    *,
    may: Callable,
    form_class,
    record: Callable,
    done: str,
    page: dict,
    form_kwargs: Callable | None = None,
):
    """A page that records something about candidate `pk`: 404 outside the jurisdiction, 403 without the
    right (`may(user, candidate)`). A valid form goes to `record(by, candidate, data)` (a service call),
    then back to the person's page with the message `done` (about %(name)s). `page` holds the page's
    `heading` and `submit` label; `form_kwargs(candidate)` the form's own arguments."""
    candidate = visible_candidate(request, pk)
    if not may(request.user, candidate):
        raise PermissionDenied
    form = form_class(request.POST or None, **(form_kwargs(candidate) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            record(request.user, candidate, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done % {"name": candidate.name})
            return redirect(candidate)
    breadcrumbs = crumbs(CANDIDATES, (candidate.name, candidate), page["heading"])
    context = {"candidate": candidate, "form": form, "breadcrumbs": breadcrumbs, **page}
    return render(request, "mentoring/support/record_form.html", context)
