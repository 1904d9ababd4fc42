"""The candidate registry: list and export, a person's page with the timeline, entry, edit, nomination."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from candidates import exports, permissions, selectors, services, timeline
from candidates.choices import PersonalDataPlace
from candidates.filters import CandidateFilter
from candidates.forms.registry import CandidateForm, NominationForm
from candidates.models import Candidate
from candidates.person import PersonRecords
from candidates.services import WorkflowError
from candidates.tables import CandidateTable
from config.breadcrumbs import crumbs
from config.db_router import reads_replica
from config.forms import add_service_errors
from config.tables import list_query
from jobs.choices import JobKind
from jobs.permissions import can_print_forms
from jobs.services import job_create
from mentoring.selectors.candidate import candidate_growth
from reports.exports import list_export

# The first breadcrumb of a person's pages.
CANDIDATES = (gettext_lazy("Candidates"), "candidates:candidate_list")


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
            "list_query": list_query(request),
            "can_enter": permissions.can_enter_candidates(request.user),
            "can_print_forms": can_print_forms(request.user),
        },
    )


@login_required
@reads_replica
def candidate_export(request):
    """The filtered list as an Excel workbook, in the list's order, ID numbers and phones masked; past
    settings.EXPORT_MAX_ROWS rows, a background job writes it and its page shows the progress."""
    table = CandidateTable(_filtered(request).qs, order_by=request.GET.get("sort"))
    if table.data.data.count() > settings.EXPORT_MAX_ROWS:
        job = job_create(
            by=request.user, kind=JobKind.CANDIDATE_EXPORT, parameters={"query": list_query(request)}
        )
        return redirect(job)
    return list_export(
        request,
        table.data.data,
        rows=exports.candidate_export_rows,
        title=_("Candidates"),
        list_url="candidates:candidate_list",
    )


@login_required
def candidate_detail(request, pk):
    """A person's record and timeline; the full ID number and phone only to roles that need them, logged."""
    candidate = _visible_candidate(request, pk)
    show_full_identity = services.personal_data_view_log(by=request.user, candidate=candidate)
    records = PersonRecords(candidate=candidate, user=request.user)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "show_full_identity": show_full_identity,
            "timeline": timeline.candidate_timeline(
                candidate=candidate, user=request.user, full_identity=show_full_identity, records=records
            ),
            "certification": selectors.current_certification(candidate=candidate, records=records),
            "can_edit": permissions.can_edit_candidate(request.user, candidate),
            "can_nominate": permissions.can_nominate_candidate(request.user, candidate),
            "ladder": selectors.ladder_summary(candidate=candidate, user=request.user, records=records),
            **candidate_growth(candidate=candidate, user=request.user, records=records),
            "breadcrumbs": crumbs(CANDIDATES, candidate.name),
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
            add_service_errors(form, error)
        except WorkflowError as error:
            nomination.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was entered.") % {"name": candidate.name})
            _warn(request, form)
            return redirect(candidate)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form, "nomination": nomination, "breadcrumbs": crumbs(CANDIDATES, _("New candidate"))},
    )


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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": candidate.name})
            _warn(request, form)
            return redirect(candidate)
    # The form shows the full ID number and phone: logged like the person's page.
    services.personal_data_view_log(by=request.user, candidate=candidate, where=PersonalDataPlace.EDIT)
    breadcrumbs = crumbs(CANDIDATES, (candidate.name, candidate), _("Edit the record"))
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form, "candidate": candidate, "breadcrumbs": breadcrumbs},
    )


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
            "breadcrumbs": crumbs(CANDIDATES, (candidate.name, candidate), _("Nominate")),
        },
    )
