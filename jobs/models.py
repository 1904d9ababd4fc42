"""Background jobs: a file a user asked for that takes too long to build while they wait (DESIGN §9, §10).

The job row is what the user's pages read (state, progress, the file); the task that runs it is a row of
django-tasks-db's queue, named by `task_result_id`. The file is kept in the row itself, so any web process
can hand it out whichever machine the worker ran on: there is no shared disk.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.choices import JobKind, JobState

# A running job whose progress has not moved for this long has lost its worker (a machine stopped
# mid-job): it may be started again.
STALLED_AFTER = datetime.timedelta(minutes=30)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each user sees the jobs they asked for; administrators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(created_by=user)

    def without_file(self):
        """Everything but the file itself, which may run to megabytes: for lists and progress."""
        return self.defer("result")


class Job(models.Model):
    """A file built in the background for the user who asked: its parameters, progress and outcome."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind)
    # What to build: for a list, its query string (the list's filters and sort) as the user had it.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The language of the page that asked: the file's headers and the messages are written in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    state = models.CharField(_("state"), max_length=10, choices=JobState, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # Why the job failed, in the user's language.
    message = models.TextField(_("message"), blank=True)
    # How many times a worker took the job: once, plus once per retry.
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    result = models.BinaryField(_("file"), null=True, blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_type = models.CharField(_("file type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the job last moved (started, progressed, finished): a running job silent too long has stalled.
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # The task of the queue that runs the job (its latest attempt).
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """Progress as a whole percentage; a job with nothing to count is at 0 until it is done."""
        if self.state == JobState.DONE:
            return 100
        # Records added while the job runs may take `done` past the count it started from.
        return min(self.done * 100 // self.total, 99) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but silent for longer than any step of a job takes: its worker is gone."""
        return self.state == JobState.RUNNING and self.updated_at < timezone.now() - STALLED_AFTER

    @property
    def can_retry(self) -> bool:
        return self.state == JobState.FAILED or self.is_stalled

    @property
    def has_file(self) -> bool:
        return self.state == JobState.DONE and bool(self.result_name)
