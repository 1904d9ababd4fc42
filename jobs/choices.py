from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    """What a background job produces."""

    CANDIDATE_EXPORT = "candidate_export", _("Candidate list (Excel)")
    REGISTRATION_FORMS = "registration_forms", _("Registration forms (PDF, zip)")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
