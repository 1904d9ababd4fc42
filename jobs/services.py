"""Writes of background jobs: ask for one, run it in a worker, start it again after a failure.

A worker takes a job by moving it from queued to running under a row lock, and counts the attempt; every
later write of that run names the attempt, so the writes of a run that was given up for lost (a stalled
job started again) cannot overwrite the new run's.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.choices import JobKind, JobState
from jobs.models import Job

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A job that cannot be built, with the reason to show its owner (in their language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _enqueue(*, job: Job, backend: str) -> None:
    from jobs.tasks import TASK_OF_KIND  # the tasks call these services

    result = TASK_OF_KIND[JobKind(job.kind)].using(backend=backend).enqueue(job.pk)
    # An update, not a save: an immediate backend has already run the job and changed its row.
    Job.objects.filter(pk=job.pk).update(task_result_id=result.id)


@transaction.atomic
def job_create(*, by, kind: JobKind, parameters: dict, backend: str = DEFAULT_TASK_BACKEND_ALIAS) -> Job:
    """Ask for a job as `by` and put it on the queue of `backend` (a TASKS alias), in one transaction:
    a worker sees the task only once the job it names exists."""
    job = Job.objects.create(
        created_by=by,
        kind=kind,
        parameters=parameters,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    _enqueue(job=job, backend=backend)
    return job


@transaction.atomic
def job_retry(*, job: Job, by, backend: str = DEFAULT_TASK_BACKEND_ALIAS) -> None:
    """Start a failed or stalled job again from the beginning, on a new task."""
    locked = Job.objects.select_for_update().without_file().get(pk=job.pk)
    if not locked.can_retry:
        raise JobError(_("Only a failed job can be started again."))
    Job.objects.filter(pk=job.pk).update(
        state=JobState.QUEUED,
        done=0,
        message="",
        result=None,
        result_name="",
        result_type="",
        started_at=None,
        finished_at=None,
        updated_at=timezone.now(),
    )
    logger.info("Job %s started again by %s after %s attempts", job.pk, by.pk, locked.attempts)
    _enqueue(job=locked, backend=backend)


def _job_take(job_id: int) -> int | None:
    """Count a worker's attempt at the job and mark it running; the attempt's number, or None when the job
    is not waiting (another worker has it, or it is gone)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().without_file().filter(pk=job_id).first()
        if job is None:
            return None
        attempt = job.attempts + 1
        fields = {"attempts": attempt}
        if job.state == JobState.QUEUED:
            now = timezone.now()
            fields |= {"state": JobState.RUNNING, "started_at": now, "updated_at": now}
        Job.objects.filter(pk=job_id).update(**fields)
    if job.state != JobState.QUEUED:
        logger.warning("Job %s was delivered again while %s; left alone", job_id, job.state)
        return None
    return attempt


def _this_run(job_id: int, attempt: int):
    return Job.objects.filter(pk=job_id, attempts=attempt, state=JobState.RUNNING)


def job_progress(*, job_id: int, attempt: int, done: int, total: int) -> None:
    """Record how far a run has come, for the progress bar."""
    _this_run(job_id, attempt).update(done=done, total=total, updated_at=timezone.now())


@dataclass(frozen=True, kw_only=True)
class Built:
    """What a job produced: a file, and how many records it holds."""

    name: str
    content_type: str
    content: bytes
    count: int


def job_run(*, job_id: int, build: Callable[..., Built]) -> None:
    """Run a job in a worker: take it, `build(job=, progress=)` its file, keep the file or say why not.

    `progress(done, total)` records how far the build has come. A JobError's message is shown to the
    owner as it is; any other error is shown as an unexpected one and raised again, so that the task
    queue records the failure and its traceback too.
    """
    attempt = _job_take(job_id)
    if attempt is None:
        return
    job = Job.objects.without_file().select_related("created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        job_progress(job_id=job_id, attempt=attempt, done=done, total=total)

    with translation.override(job.language):
        try:
            built = build(job=job, progress=progress)
        except JobError as error:
            _job_fail(job_id=job_id, attempt=attempt, message=error.message)
            return
        except Exception as error:
            logger.exception("Job %s failed", job_id)
            message = _(
                "The job stopped on an unexpected error (%(error)s). Start it again; if it fails again, "
                "tell the administrator."
            ) % {"error": type(error).__name__}
            _job_fail(job_id=job_id, attempt=attempt, message=message)
            raise
    now = timezone.now()
    _this_run(job_id, attempt).update(
        state=JobState.DONE,
        done=built.count,
        total=built.count,
        result=built.content,
        result_name=built.name,
        result_type=built.content_type,
        finished_at=now,
        updated_at=now,
    )


def _job_fail(*, job_id: int, attempt: int, message: str) -> None:
    now = timezone.now()
    _this_run(job_id, attempt).update(state=JobState.FAILED, message=message, finished_at=now, updated_at=now)
