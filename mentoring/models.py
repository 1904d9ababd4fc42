from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from mentoring.choices import MentorLevel


class Mentor(models.Model):
    """A county or township leader who mentors candidates (包保帮带)."""

    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=60)
    unit = models.CharField(_("unit"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=MentorLevel)
    region = models.ForeignKey(
        "villages.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="mentors",
        help_text=_("The county or township the leader serves."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor",
    )

    scope_path = "region__code"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["region_id", "name"]

    def __str__(self):
        return f"{self.name}（{self.title}）"


class MentorAssignmentQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class MentorAssignment(models.Model):
    """A mentor assigned to a candidate; at most one current assignment per candidate."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="mentor_assignments",
    )
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="assignments"
    )
    start_date = models.DateField(_("since"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    # An assignment ends through the mentoring service (reassignment, elimination), never by hand.
    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    workflow_fields = ("end_date",)
    history = HistoricalRecords()
    objects = MentorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["candidate_id", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(end_date__isnull=True),
                name="one_current_mentor_per_candidate",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.candidate}"
