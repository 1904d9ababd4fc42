"""Training pages (issue 9): courses and who took them, the university cohorts ("头雁"), online-learning
hours with the usage rate, and the monthly import of those hours. Every write goes through
mentoring.services.training; every list starts from `visible_to`."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from candidates import services as candidate_services
from candidates.imports import ImportRefused
from candidates.models import Candidate, ImportBatch
from candidates.validators import full_id_number
from config.breadcrumbs import crumbs
from config.db_router import reads_replica
from config.forms import add_service_errors
from config.tables import list_query
from mentoring import online_import, online_preview, permissions
from mentoring.exports_training import course_export_rows, online_export_rows, trainee_export_rows
from mentoring.filters_training import CourseFilter, OnlineLearningFilter, TraineeFilter
from mentoring.forms.training import (
    CandidateSearchForm,
    CompletionForm,
    CourseForm,
    EnrolForm,
    HoursUploadForm,
    PeriodForm,
    month_label,
)
from mentoring.models import Course, Enrolment
from mentoring.selectors import training as selectors
from mentoring.services import training
from mentoring.tables_training import CourseTable, EnrolmentTable, OnlineLearningTable, TraineeTable
from reports.exports import XLSX, list_export

TRAINING = (gettext_lazy("Training"), "mentoring:course_list")
ONLINE = (gettext_lazy("Online learning"), "mentoring:online_learning_list")
# The enrolment page lists this many of the people found; a search narrows them.
ENROL_CHOICES_SHOWN = 50


def _table(request, table):
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return table


def _log_id_search(request, filterset, candidates) -> None:
    """A search by a whole ID card number says whose number it is: logged for every role."""
    if filterset.searched_full_id_number:
        candidate_services.id_number_search_log(by=request.user, candidates=candidates)


# Courses ------------------------------------------------------------------------------------------


def _courses(request) -> CourseFilter:
    return CourseFilter(request.GET, queryset=selectors.course_list(user=request.user))


@login_required
def course_list(request):
    """Courses by level, year, online or not; how many of the user's people enrolled and completed each."""
    filterset = _courses(request)
    return render(
        request,
        "mentoring/training/course_list.html",
        {
            "filter": filterset,
            "table": _table(request, CourseTable(filterset.qs)),
            "list_query": list_query(request),
            "can_create": permissions.can_keep_training(request.user),
            "tab": "courses",
        },
    )


@login_required
@reads_replica
def course_export(request):
    """The filtered course list as an Excel workbook."""
    courses = _courses(request).qs.order_by("-start_date", "name")
    return list_export(
        request, courses, rows=course_export_rows, title=_("Courses"), list_url="mentoring:course_list"
    )


@login_required
def course_create(request):
    """The city, a county or a township enters a course of its level."""
    if not permissions.can_keep_training(request.user):
        raise PermissionDenied
    form = CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = training.course_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course %(course)s was entered.") % {"course": course.name})
            return redirect(course)
    return render(
        request,
        "mentoring/training/course_form.html",
        {"form": form, "breadcrumbs": crumbs(TRAINING, _("New course"))},
    )


@login_required
def course_detail(request, pk):
    """A course and its enrolments among the people the user may see, with completion."""
    course = get_object_or_404(selectors.course_list(user=request.user), pk=pk)
    enrolments = selectors.course_enrolments(course=course, user=request.user)
    return render(
        request,
        "mentoring/training/course_detail.html",
        {
            "course": course,
            "table": _table(request, EnrolmentTable(enrolments, user=request.user)),
            "can_enrol": permissions.can_enrol_candidates(request.user),
            "breadcrumbs": crumbs(TRAINING, course.name),
        },
    )


def _search(request, choices) -> tuple[CandidateSearchForm, list, int]:
    """The enrolment page's search among `choices`: the form, the first people found, how many more."""
    search = CandidateSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = choices.matching(query).order_by("village_id", "name")
    if full_id_number(query):
        candidate_services.id_number_search_log(by=request.user, candidates=found)
    shown = list(found[:ENROL_CHOICES_SHOWN])
    return search, shown, found.count() - len(shown) if len(shown) == ENROL_CHOICES_SHOWN else 0


@login_required
def enrolment_create(request, pk):
    """The township or county finds active candidates of its jurisdiction and enrols those it ticks."""
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=pk)
    if not permissions.can_enrol_candidates(request.user):
        raise PermissionDenied
    choices = selectors.enrolment_choices(course=course, user=request.user)
    form = EnrolForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = training.enrolments_create(
                by=request.user, course=course, candidates=list(form.cleaned_data["candidates"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = ngettext(
                "%(count)d person was enrolled in %(course)s.",
                "%(count)d people were enrolled in %(course)s.",
                len(enrolled),
            )
            messages.success(request, message % {"count": len(enrolled), "course": course.name})
            return redirect(course)
    search, found, more = _search(request, choices)
    return render(
        request,
        "mentoring/training/enrolment_form.html",
        {
            "course": course,
            "search": search,
            "found": found,
            "more": more,
            "form": form,
            "breadcrumbs": crumbs(TRAINING, (course.name, course), _("Enrol candidates")),
        },
    )


@login_required
def enrolment_complete(request, pk):
    """Record (or correct) the day a candidate completed a course."""
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related(
            "course", "candidate__village__region__parent"
        ),
        pk=pk,
    )
    if not permissions.can_enrol(request.user, enrolment.candidate):
        raise PermissionDenied
    form = CompletionForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            training.enrolment_complete(
                by=request.user, enrolment=enrolment, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s completed %(course)s.")
                % {"name": enrolment.candidate.name, "course": enrolment.course.name},
            )
            return redirect(enrolment.course)
    course = enrolment.course
    return render(
        request,
        "mentoring/training/enrolment_complete.html",
        {
            "enrolment": enrolment,
            "form": form,
            "breadcrumbs": crumbs(TRAINING, (course.name, course), enrolment.candidate.name),
        },
    )


# The university cohorts ---------------------------------------------------------------------------


def _trainees(request) -> TraineeFilter:
    filterset = TraineeFilter(request.GET, queryset=selectors.trainee_list(user=request.user))
    _log_id_search(request, filterset, Candidate.objects.filter(pk__in=filterset.qs.values("candidate_id")))
    return filterset


@login_required
def cohort_list(request):
    """The university cohorts ("头雁", e.g. Zhejiang University): each class and its trainees."""
    filterset = _trainees(request)
    return render(
        request,
        "mentoring/training/cohort_list.html",
        {
            "filter": filterset,
            "table": _table(request, TraineeTable(filterset.qs)),
            "summary": selectors.cohort_summary(trainees=filterset.qs),
            "trainees": selectors.university_trainees(user=request.user, region=filterset.region_code),
            "list_query": list_query(request),
            "tab": "cohorts",
        },
    )


@login_required
@reads_replica
def cohort_export(request):
    """The filtered trainees of the university cohorts as an Excel workbook."""
    trainees = _trainees(request).qs.order_by("-course__start_date", "course__cohort", "candidate__name")
    return list_export(
        request,
        trainees,
        rows=trainee_export_rows,
        title=_("University cohorts"),
        list_url="mentoring:cohort_list",
    )


# Online learning ----------------------------------------------------------------------------------


def _online(request) -> tuple[PeriodForm, int, int | None, OnlineLearningFilter]:
    default_year = selectors.latest_online_year(user=request.user)
    period = PeriodForm(request.GET, default_year=default_year)
    year, month = period.period(default_year)
    people = selectors.online_learning_list(user=request.user, year=year, month=month)
    filterset = OnlineLearningFilter(request.GET, queryset=people)
    _log_id_search(request, filterset, filterset.qs)
    return period, year, month, filterset


@login_required
def online_learning_list(request):
    """Each person's online-learning hours in a year or a month, and the usage rate of the region."""
    period, year, month, filterset = _online(request)
    rate = selectors.online_learning_rate(user=request.user, year=year, region=filterset.region_code)
    return render(
        request,
        "mentoring/training/online_list.html",
        {
            "period": period,
            "filter": filterset,
            "table": _table(request, OnlineLearningTable(filterset.qs)),
            "year": year,
            "period_label": month_label(year, month),
            "rate_percent": None if rate is None else round(rate * 100, 1),
            "months": selectors.online_learning_months(
                user=request.user, year=year, region=filterset.region_code
            ),
            "list_query": list_query(request),
            "can_import": permissions.can_import_online_learning(request.user),
            "tab": "online",
        },
    )


@login_required
@reads_replica
def online_learning_export(request):
    """The filtered hours of the period as an Excel workbook, up to the export limit."""
    _period, year, month, filterset = _online(request)
    return list_export(
        request,
        filterset.qs.order_by("village_id", "name"),
        rows=online_export_rows,
        title=_("Online learning") + " " + month_label(year, month),
        list_url="mentoring:online_learning_list",
    )


def _require_importer(user) -> None:
    if not permissions.can_import_online_learning(user):
        raise PermissionDenied


@login_required
def online_import_upload(request):
    """The upload form with the template and the columns; a readable file goes on to its preview."""
    _require_importer(request.user)
    form = HoursUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = training.online_learning_batch_store(
                by=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentoring:online_import_preview", pk=batch.pk)
    return render(
        request,
        "mentoring/training/import_upload.html",
        {
            "form": form,
            "columns": online_preview.column_help(),
            "max_bytes": settings.IMPORT_MAX_BYTES,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "breadcrumbs": crumbs(TRAINING, ONLINE, _("Import hours")),
        },
    )


@login_required
@require_GET
def online_import_template(request):
    """The .xlsx template of the online-learning import."""
    _require_importer(request.user)
    filename = _("online learning import template") + ".xlsx"
    content = io.BytesIO(online_preview.hours_template())
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def online_import_preview(request, pk):
    """GET: every error, or the hours the file would write. POST: write them."""
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if not online_preview.is_hours_batch(batch):
        raise Http404
    context = {"batch": batch, "breadcrumbs": crumbs(TRAINING, ONLINE, _("Import hours"))}
    if batch.state == ImportBatch.State.IMPORTED:
        context["imported_message"] = online_preview.already_imported_message(batch)
        return render(request, "mentoring/training/import_preview.html", context)
    if request.method == "POST":
        try:
            count = training.online_learning_import(by=request.user, batch=batch)
        except ImportRefused as refused:
            preview = online_preview.HoursPreview.of(online_import.HoursCheck(errors=refused.errors))
        else:
            message = ngettext(
                "%(count)d row of online-learning hours was imported.",
                "%(count)d rows of online-learning hours were imported.",
                count,
            )
            messages.success(request, message % {"count": count})
            return redirect("mentoring:online_learning_list")
    else:
        preview = online_preview.preview_of(batch)
    return render(request, "mentoring/training/import_preview.html", context | {"preview": preview})
