"""Mentoring pages: the mentors and their load (or, for a mentor, their mentees), assigning a mentor,
visits and assessments. Every write goes through mentoring.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.choices import Role
from candidates.models import Candidate
from config.breadcrumbs import crumbs
from config.db_router import reads_replica
from config.forms import add_service_errors
from config.tables import list_query
from config.workflows import AlreadyDecided, WorkflowError
from mentoring import permissions, services
from mentoring.exports import assessment_export_rows, mentor_export_rows, visit_export_rows
from mentoring.forms.mentors import (
    AssessmentDecisionForm,
    AssessmentEntryForm,
    AssessmentFilter,
    MentorAssignForm,
    MentorFilter,
    VisitEntryForm,
    VisitFilter,
)
from mentoring.selectors import mentors as selectors
from mentoring.tables import AssessmentTable, MentorTable, VisitTable
from mentoring.views import records

MENTORING = (gettext_lazy("Mentoring"), "mentoring:home")


def _candidate(request, pk) -> Candidate:
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("village__region__parent"), pk=pk
    )


def _table(request, table):
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return table


@login_required
def home(request):
    """A mentor's mentees with what they owe; for the officials, the mentors and their load."""
    today = timezone.localdate()
    if request.user.role == Role.MENTOR:
        page = Paginator(selectors.mentee_list(user=request.user, today=today), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = selectors.mentee_rows(page.object_list, today=today)
        return render(request, "mentoring/mentees.html", {"page": page, "rows": rows})
    if not permissions.can_see_mentors(request.user):
        raise PermissionDenied
    filterset = MentorFilter(request.GET, queryset=selectors.mentor_list(user=request.user))
    return render(
        request,
        "mentoring/mentor_list.html",
        {
            "filter": filterset,
            "table": _table(request, MentorTable(filterset.qs)),
            "list_query": list_query(request),
            "without_mentor": selectors.without_mentor(user=request.user).count(),
        },
    )


@login_required
@reads_replica
def mentor_export(request):
    if not permissions.can_see_mentors(request.user):
        raise PermissionDenied
    filterset = MentorFilter(request.GET, queryset=selectors.mentor_list(user=request.user))
    return records.export(
        request,
        filterset=filterset,
        table_class=MentorTable,
        rows=mentor_export_rows,
        title=_("Mentors"),
        list_url="mentoring:home",
    )


@login_required
def mentor_detail(request, pk):
    """A mentor, their current mentees (those the user may see) and their load."""
    mentor = get_object_or_404(selectors.mentor_list(user=request.user), pk=pk)
    if not permissions.can_see_mentors(request.user):
        raise PermissionDenied
    mentees = Candidate.objects.visible_to(request.user).filter(
        mentor_assignments__mentor=mentor, mentor_assignments__end_date__isnull=True
    )
    return render(
        request,
        "mentoring/mentor_detail.html",
        {
            "mentor": mentor,
            "mentees": mentees.for_table().order_by("village_id", "name"),
            "can_manage": permissions.can_manage_mentors(request.user) and mentor.active,
            "breadcrumbs": crumbs(MENTORING, mentor.name),
        },
    )


@login_required
@require_POST
def mentor_leave(request, pk):
    """The county records that a leader no longer mentors: their assignments end."""
    mentor = get_object_or_404(selectors.mentor_list(user=request.user), pk=pk)
    if not permissions.can_manage_mentors(request.user):
        raise PermissionDenied
    ended = services.mentor_leave(by=request.user, mentor=mentor)
    messages.success(
        request,
        ngettext(
            "%(mentor)s no longer mentors; %(count)d person now needs a mentor.",
            "%(mentor)s no longer mentors; %(count)d people now need a mentor.",
            ended,
        )
        % {"mentor": mentor, "count": ended},
    )
    return redirect(mentor)


@login_required
def mentor_assign(request, pk):
    """The county assigns (or changes) the mentor of an active candidate, helped by suggestions."""
    candidate = _candidate(request, pk)
    if not permissions.can_assign_mentor(request.user, candidate):
        raise PermissionDenied
    suggestions = selectors.mentor_suggestions(candidate=candidate, user=request.user)
    choices = selectors.mentor_choices(candidate=candidate, user=request.user)
    form = MentorAssignForm(request.POST or None, mentors=choices.order_by("load", "name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_assign(by=request.user, candidate=candidate, mentor=form.cleaned_data["mentor"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(mentor)s now mentors %(name)s.")
                % {"mentor": form.cleaned_data["mentor"], "name": candidate},
            )
            return redirect(candidate)
    context = selectors.candidate_mentoring(
        candidate=candidate, user=request.user, today=timezone.localdate()
    )
    return render(
        request,
        "mentoring/mentor_assign.html",
        {
            "candidate": candidate,
            "form": form,
            "suggestions": suggestions,
            "mentoring": context,
            "breadcrumbs": crumbs((candidate.name, candidate), _("Mentor")),
        },
    )


# Visits -----------------------------------------------------------------------------------------


@login_required
def visit_create(request, pk):
    """The mentor, or the township, logs a mentoring visit of a candidate."""
    candidate = _candidate(request, pk)
    if not permissions.can_log_visit(request.user, candidate):
        raise PermissionDenied
    form = VisitEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_log(by=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit to %(name)s was logged.") % {"name": candidate})
            return redirect(candidate)
    return render(
        request,
        "mentoring/visit_form.html",
        {
            "candidate": candidate,
            "form": form,
            "breadcrumbs": crumbs((candidate.name, candidate), _("Log a visit")),
        },
    )


def _visits(request) -> VisitFilter:
    return VisitFilter(request.GET, queryset=selectors.visit_queryset(user=request.user))


@login_required
def visit_list(request):
    """Visits the user may see, filtered and sorted; for the mentor, those of their mentees."""
    filterset = _visits(request)
    return render(
        request,
        "mentoring/visit_list.html",
        {
            "filter": filterset,
            "table": _table(request, VisitTable(filterset.qs)),
            "list_query": list_query(request),
        },
    )


@login_required
@reads_replica
def visit_export(request):
    return records.export(
        request,
        filterset=_visits(request),
        table_class=VisitTable,
        rows=visit_export_rows,
        title=_("Mentoring visits"),
        list_url="mentoring:visit_list",
    )


# Assessments ------------------------------------------------------------------------------------


@login_required
def assessment_create(request, pk):
    """The mentor assesses a mentee for the quarter due (or another period)."""
    candidate = _candidate(request, pk)
    if not permissions.can_submit_assessment(request.user, candidate):
        raise PermissionDenied
    form = AssessmentEntryForm(request.POST or None, period=selectors.due_period(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_submit(
                by=request.user,
                candidate=candidate,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The assessment was submitted: %(total)d points, %(grade)s. The county confirms it.")
                % {"total": assessment.total, "grade": assessment.get_grade_display()},
            )
            return redirect(assessment)
    return render(
        request,
        "mentoring/assessment_form.html",
        {
            "candidate": candidate,
            "form": form,
            "breadcrumbs": crumbs((candidate.name, candidate), _("Assess")),
        },
    )


@login_required
def assessment_detail(request, pk):
    """An assessment: the county confirms (locking it) or returns it; its mentor submits it again."""
    assessment = get_object_or_404(selectors.assessment_queryset(user=request.user), pk=pk)
    actions = permissions.assessment_actions(request.user, assessment)
    if request.method == "POST" and not actions:
        raise PermissionDenied
    resubmitting = any(t.action == "resubmit" for t in actions)
    form = AssessmentDecisionForm(request.POST or None, assessment=assessment, resubmitting=resubmitting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_decide(
                by=request.user,
                assessment=assessment,
                action=data["action"],
                expected_state=data["expected_state"],
                opinion=data["opinion"],
                scores=form.scores() if resubmitting else None,
                comments=data.get("comments") if resubmitting else None,
            )
        except AlreadyDecided as stale:
            messages.error(request, stale.message)
            return redirect(assessment)
        except WorkflowError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision on the assessment was recorded."))
            return redirect(assessment)
    candidate = assessment.candidate
    return render(
        request,
        "mentoring/assessment_detail.html",
        {
            "assessment": assessment,
            "candidate": candidate,
            "actions": actions,
            "form": form,
            "resubmitting": resubmitting,
            "history": list(
                assessment.history.select_related("history_user").order_by("history_date", "history_id")
            ),
            "breadcrumbs": crumbs((candidate.name, candidate), _("Assessment")),
        },
    )


def _assessments(request) -> AssessmentFilter:
    return AssessmentFilter(request.GET, queryset=selectors.assessment_queryset(user=request.user))


@login_required
def assessment_list(request):
    """Assessments the user may see, filtered by state, grade, year and region."""
    filterset = _assessments(request)
    return render(
        request,
        "mentoring/assessment_list.html",
        {
            "filter": filterset,
            "table": _table(request, AssessmentTable(filterset.qs)),
            "list_query": list_query(request),
        },
    )


@login_required
@reads_replica
def assessment_export(request):
    return records.export(
        request,
        filterset=_assessments(request),
        table_class=AssessmentTable,
        rows=assessment_export_rows,
        title=_("Assessments"),
        list_url="mentoring:assessment_list",
    )
