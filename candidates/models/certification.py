"""The 7-step certification (认定): its record and decisions, the selection standards, the public notice
and its objections, and the calendar of holidays."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from candidates.choices import (
    FIRST_STEP,
    LAST_STEP,
    CertificationState,
    Decision,
    HolidayKind,
    ObjectionChannel,
    ObjectionStatus,
    Recommender,
    Track,
)
from candidates.models.registry import Candidate


class SelectionStandardQuerySet(ScopedQuerySet):
    def in_force(self):
        return self.filter(active=True).order_by("number")


class SelectionStandard(models.Model):
    """One of the selection standards (选人标准) checked at step 2; hard ones must be met."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("standard"), max_length=200)
    hard = models.BooleanField(
        _("hard standard"), default=True, help_text=_("A hard standard not met blocks step 2.")
    )
    active = models.BooleanField(_("in force"), default=True)

    scope_path = None  # the whole programme's
    history = HistoricalRecords()
    objects = SelectionStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection standard")
        verbose_name_plural = _("selection standards")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CertificationQuerySet(ScopedQuerySet):
    def in_progress(self):
        return self.filter(state=CertificationState.IN_PROGRESS)

    def overdue(self, today=None):
        return self.in_progress().filter(step_due_on__lt=today or timezone.localdate())


class Certification(models.Model):
    """A person's way through the 7-step certification (认定), with what each step recorded."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="certifications"
    )
    track = models.CharField(_("track"), max_length=24, choices=Track)
    state = models.CharField(
        _("state"), max_length=12, choices=CertificationState, default=CertificationState.IN_PROGRESS
    )
    step = models.PositiveSmallIntegerField(
        _("current step"),
        default=FIRST_STEP,
        validators=[MinValueValidator(FIRST_STEP), MaxValueValidator(LAST_STEP)],
    )
    step_started_on = models.DateField(_("step started on"), default=timezone.localdate)
    step_due_on = models.DateField(_("step due on"))
    started_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Step 1: nominate.
    recommender = models.CharField(_("recommended by"), max_length=24, choices=Recommender)
    recommendation_reason = models.TextField(_("reason for the recommendation"))
    # Step 3: preselect.
    meeting_date = models.DateField(_("Party committee meeting date"), null=True, blank=True)
    meeting_decision = models.TextField(_("meeting decision"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for (democratic evaluation)"), null=True, blank=True)
    votes_total = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    # Step 4: vet.
    vetting_talks = models.TextField(_("talks held"), blank=True)
    vetting_visits = models.TextField(_("visits made"), blank=True)
    vetting_opinions = models.TextField(_("opinions gathered"), blank=True)
    # Filing.
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    workflow_fields = ("state", "step", "step_started_on", "step_due_on", "finished_at", "filed_on")
    history = HistoricalRecords()
    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(state=CertificationState.IN_PROGRESS),
                name="one_certification_in_progress_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(step__gte=FIRST_STEP, step__lte=LAST_STEP), name="certification_step_1_to_7"
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(votes_total__isnull=True)
                | Q(votes_for__lte=models.F("votes_total")),
                name="votes_for_within_votes_cast",
            ),
        ]
        indexes = [models.Index(fields=["state", "step"]), models.Index(fields=["state", "step_due_on"])]

    def __str__(self):
        return f"{self.candidate} · {self.get_track_display()}"

    def get_absolute_url(self):
        return reverse("candidates:certification_detail", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.state == CertificationState.IN_PROGRESS

    @property
    def is_overdue(self) -> bool:
        return self.in_progress and self.step_due_on < timezone.localdate()

    @property
    def vote_share(self) -> float | None:
        return self.votes_for / self.votes_total if self.votes_total else None


class CertificationStep(models.Model):
    """What happened at a step: passed, returned or rejected, by whom, when and why."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.PositiveSmallIntegerField(_("step"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision)
    opinion = models.TextField(_("opinion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("certification step")
        verbose_name_plural = _("certification steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.certification_id} #{self.step} {self.decision}"


class StandardCheck(models.Model):
    """Step 2: whether the person meets one selection standard, with a note."""

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="standard_checks",
    )
    standard = models.ForeignKey(
        SelectionStandard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard check")
        verbose_name_plural = _("standard checks")
        ordering = ["standard__number"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "standard"], name="one_check_per_standard")
        ]

    def __str__(self):
        return f"{self.standard_id}: {self.met}"


class PublicNoticeQuerySet(ScopedQuerySet):
    def in_force(self, today=None):
        """Notices the public may read and object to today."""
        today = today or timezone.localdate()
        return self.filter(
            start_date__lte=today, end_date__gte=today, certification__state=CertificationState.IN_PROGRESS
        )


class PublicNotice(models.Model):
    """The public notice (公示) of a certification, running a number of working days."""

    certification = models.OneToOneField(
        Certification, verbose_name=_("certification"), on_delete=models.PROTECT, related_name="notice"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    # The notice period decides when the filing step may pass.
    scope_path = "certification__candidate__village__region__code"
    mentee_path = "certification__candidate"
    workflow_fields = ("start_date", "end_date", "working_days")
    history = HistoricalRecords()
    objects = PublicNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="notice_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.certification.candidate} {self.start_date}–{self.end_date}"

    def is_running(self, today=None) -> bool:
        return (today or timezone.localdate()) <= self.end_date


class ObjectionQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=ObjectionStatus.OPEN)


class Objection(models.Model):
    """An objection (异议) to a public notice, from the web page or an official's record, with its ruling."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("public notice"), on_delete=models.PROTECT, related_name="objections"
    )
    channel = models.CharField(
        _("received by"), max_length=10, choices=ObjectionChannel, default=ObjectionChannel.WEB
    )
    objector_name = models.CharField(_("name of the objector"), max_length=50, blank=True)
    objector_contact = models.CharField(_("contact"), max_length=100, blank=True)
    content = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus, default=ObjectionStatus.OPEN
    )
    ruling = models.TextField(_("ruling"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    scope_path = "notice__certification__candidate__village__region__code"
    mentee_path = "notice__certification__candidate"
    workflow_fields = ("status", "ruling", "ruled_by", "ruled_at")
    history = HistoricalRecords()
    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.notice} · {self.get_status_display()}"


class Holiday(models.Model):
    """A day off or an adjusted working day, for years the chinesecalendar package does not know yet."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=HolidayKind)
    name = models.CharField(_("name"), max_length=50, blank=True)

    scope_path = None  # the whole programme's
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"
