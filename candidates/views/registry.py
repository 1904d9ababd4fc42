"""The candidate registry: list and export, a person's page with the timeline, entry, edit, nomination."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from candidates import permissions, selectors, services
from candidates.choices import PersonalDataPlace
from candidates.filters import CandidateFilter
from candidates.forms.registry import CandidateForm, NominationForm
from candidates.models import Candidate
from candidates.services import WorkflowError
from candidates.tables import CandidateTable
from reports.exports import xlsx_response

# The most rows the export writes while the user waits; larger exports are refused for now.
EXPORT_LIMIT = 20_000


def _visible_candidate(request, pk) -> Candidate:
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("village__region__parent", "created_by"),
        pk=pk,
    )


def _filtered(request) -> CandidateFilter:
    filterset = CandidateFilter(request.GET, queryset=selectors.candidate_list(user=request.user))
    if filterset.searched_full_id_number:
        services.id_number_search_log(by=request.user, candidates=filterset.qs)
    return filterset


def _list_query(request) -> str:
    """The list's query string without its page: what the export and the way back keep."""
    query = request.GET.copy()
    for key in ("page", "per_page"):
        query.pop(key, None)
    return query.urlencode()


def _add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: under the field it names, or on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _warn(request, form: CandidateForm) -> None:
    for warning in form.warnings:
        messages.warning(request, warning)


@login_required
def candidate_list(request):
    """Candidates the user may see, filtered, sorted and paged; ID numbers and phones masked."""
    filterset = _filtered(request)
    table = CandidateTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "filter": filterset,
            "table": table,
            "list_query": _list_query(request),
            "can_enter": permissions.can_enter_candidates(request.user),
        },
    )


@login_required
def candidate_export(request):
    """The filtered list as an Excel workbook, in the list's order, ID numbers and phones masked."""
    filterset = _filtered(request)
    count = filterset.qs.count()
    if count > EXPORT_LIMIT:
        # A background export job with a progress page (DESIGN §9) replaces this refusal in a later issue.
        return render(
            request,
            "candidates/export_too_large.html",
            {"count": count, "limit": EXPORT_LIMIT, "list_query": _list_query(request)},
        )
    table = CandidateTable(filterset.qs, order_by=request.GET.get("sort"))
    headers, rows = selectors.candidate_export_rows(table.data)
    title = _("Candidates")
    return xlsx_response(filename=f"{title}.xlsx", title=title, headers=headers, rows=rows)


@login_required
def candidate_detail(request, pk):
    """A person's record and timeline; the full ID number and phone only to roles that need them, logged."""
    candidate = _visible_candidate(request, pk)
    show_full_identity = services.personal_data_view_log(by=request.user, candidate=candidate)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "show_full_identity": show_full_identity,
            "timeline": selectors.candidate_timeline(
                candidate=candidate, user=request.user, full_identity=show_full_identity
            ),
            "certification": selectors.current_certification(candidate=candidate),
            "can_edit": permissions.can_edit_candidate(request.user, candidate),
            "can_nominate": permissions.can_nominate_candidate(request.user, candidate),
            "ladder": selectors.ladder_summary(candidate=candidate, user=request.user),
        },
    )


@login_required
def candidate_create(request):
    """Enter a person as a prospect (联系一批), or nominate them at once (step 1)."""
    if not permissions.can_enter_candidates(request.user):
        raise PermissionDenied
    form = CandidateForm(request.POST or None, user=request.user)
    nomination = NominationForm(request.POST or None, optional=True)
    if request.method == "POST" and all([form.is_valid(), nomination.is_valid()]):
        try:
            candidate = services.candidate_create(
                by=request.user, fields=form.cleaned_data, **nomination.service_kwargs()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except WorkflowError as error:
            nomination.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was entered.") % {"name": candidate.name})
            _warn(request, form)
            return redirect(candidate)
    return render(request, "candidates/candidate_form.html", {"form": form, "nomination": nomination})


@login_required
def candidate_edit(request, pk):
    """Change a person's record; status, stage and tier change only through the workflows."""
    candidate = _visible_candidate(request, pk)
    if not permissions.can_edit_candidate(request.user, candidate):
        raise PermissionDenied
    form = CandidateForm(request.POST or None, instance=candidate, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(by=request.user, candidate=candidate, fields=form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": candidate.name})
            _warn(request, form)
            return redirect(candidate)
    # The form shows the full ID number and phone: logged like the person's page.
    services.personal_data_view_log(by=request.user, candidate=candidate, where=PersonalDataPlace.EDIT)
    return render(request, "candidates/candidate_form.html", {"form": form, "candidate": candidate})


@login_required
def candidate_nominate(request, pk):
    """Step 1 (推荐) for a prospect or a person rejected before; then the certification page."""
    candidate = _visible_candidate(request, pk)
    if not permissions.can_edit_candidate(request.user, candidate):
        raise PermissionDenied
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.certification_nominate(
                by=request.user, candidate=candidate, **form.service_kwargs()
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was nominated.") % {"name": candidate.name})
            return redirect(certification)
    return render(
        request,
        "candidates/candidate_nominate.html",
        {
            "form": form,
            "candidate": candidate,
            "can_nominate": permissions.can_nominate_candidate(request.user, candidate),
        },
    )
