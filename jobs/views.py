"""Pages of background jobs: my jobs, a job's progress and its file, starting a failed one again, and
asking for the registration forms of a candidate list."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from candidates.services import id_number_search_log
from config.breadcrumbs import crumbs
from config.tables import list_query
from jobs import builds, permissions, selectors, services
from jobs.choices import JobKind, JobState
from jobs.models import Job
from jobs.tables import JobTable

MY_JOBS = (gettext_lazy("My background jobs"), "jobs:job_list")


def _visible_job(request, pk) -> Job:
    return get_object_or_404(
        Job.objects.visible_to(request.user).without_file().select_related("created_by"), pk=pk
    )


def _status(job: Job) -> dict:
    """What the job's page shows and its script refreshes (static/js/jobs.js)."""
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "message": job.message,
        "download_url": reverse("jobs:job_download", args=[job.pk]) if job.has_file else "",
        "can_retry": job.can_retry,
    }


@login_required
@require_GET
def job_list(request):
    """The user's jobs, newest first (administrators: everyone's)."""
    jobs = Job.objects.visible_to(request.user).without_file().select_related("created_by")
    exclude = () if request.user.is_administrator else ("created_by",)
    table = JobTable(jobs, exclude=exclude)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return render(request, "jobs/job_list.html", {"table": table, "breadcrumbs": crumbs(MY_JOBS[0])})


@login_required
@require_GET
def job_detail(request, pk):
    """A job's progress, refreshed by static/js/jobs.js; its file when ready; why it failed, and Retry."""
    job = _visible_job(request, pk)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "status": _status(job), "breadcrumbs": crumbs(MY_JOBS, str(job))},
    )


@login_required
@require_GET
def job_status(request, pk):
    """The job's state and progress as JSON, for its page's progress bar."""
    return JsonResponse(_status(_visible_job(request, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def job_download(request, pk):
    """The file of a finished job."""
    job = get_object_or_404(Job.objects.visible_to(request.user).filter(state=JobState.DONE), pk=pk)
    return FileResponse(
        io.BytesIO(bytes(job.result)),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )


@login_required
@require_POST
def job_retry(request, pk):
    """Start a failed (or stalled) job again."""
    job = _visible_job(request, pk)
    try:
        services.job_retry(job=job, by=request.user)
    except services.JobError as error:
        messages.error(request, error.message)
    return redirect(job)


@login_required
@require_POST
def registration_forms_create(request):
    """The registration forms of the candidate list with this query string, as a job printing one zip."""
    if not permissions.can_print_forms(request.user):
        raise PermissionDenied
    query = list_query(request)
    filterset = selectors.candidate_filter(user=request.user, query=query)
    count = filterset.qs.count()
    back = reverse("candidates:candidate_list") + (f"?{query}" if query else "")
    if not count:
        messages.error(request, _("No candidate matches these filters: there is no form to print."))
        return redirect(back)
    if count > settings.REGISTRATION_FORMS_MAX:
        messages.error(request, builds.too_many_forms(count))
        return redirect(back)
    if filterset.searched_full_id_number:
        id_number_search_log(by=request.user, candidates=filterset.qs)
    job = services.job_create(by=request.user, kind=JobKind.REGISTRATION_FORMS, parameters={"query": query})
    return redirect(job)
