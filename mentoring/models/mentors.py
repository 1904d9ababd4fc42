"""Mentors (包保帮带), their assignments, their visits (帮带记录) and the assessments (考核) they submit."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from mentoring.choices import AssessmentState, Grade, MentorLevel, VisitForm


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
    industries = models.CharField(
        _("industries of experience"),
        max_length=200,
        blank=True,
        help_text=_("The industries the leader knows, separated by commas: suggested for such candidates."),
    )
    active = models.BooleanField(
        _("mentors now"), default=True, help_text=_("A leader who left no longer mentors anyone.")
    )

    scope_path = "region__code"
    # A leader leaves through `mentor_leave`, which ends their assignments with them.
    workflow_fields = ("active",)
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["region_id", "name"]

    def __str__(self):
        return f"{self.name}（{self.title}）"

    def get_absolute_url(self):
        return reverse("mentoring:mentor_detail", args=[self.pk])


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


class MentoringVisit(models.Model):
    """A mentoring visit (帮带记录): when, how, what was discussed, the problems raised, the follow-up."""

    candidate = models.ForeignKey(
        "candidates.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="visits"
    )
    mentor = models.ForeignKey(
        Mentor,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text=_("The person's mentor at the time, when known."),
    )
    date = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=10, choices=VisitForm)
    content = models.TextField(_("content"))
    problems = models.TextField(_("problems raised"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["candidate", "date"])]

    def __str__(self):
        return f"{self.candidate} {self.date} {self.get_form_display()}"


SCORE = [MinValueValidator(0), MaxValueValidator(20)]
# The five scored dimensions of an assessment (DESIGN §6), each 0–20.
DIMENSIONS = ("political_quality", "wealth_creation", "leading_others", "service", "recognition")


class AssessmentQuerySet(ScopedQuerySet):
    def confirmed(self):
        return self.filter(state=AssessmentState.CONFIRMED)


class Assessment(models.Model):
    """An assessment (考核) of a candidate for a quarter or a year: five scores, the total and the grade
    they give, the mentor's comments; submitted by the mentor, confirmed or returned by the county,
    locked once confirmed."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    # 1–4 for a quarter; 0 for the whole year.
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, validators=[MaxValueValidator(4)], help_text=_("0 for the whole year.")
    )
    political_quality = models.PositiveSmallIntegerField(_("political quality"), validators=SCORE)
    wealth_creation = models.PositiveSmallIntegerField(_("wealth-creating ability"), validators=SCORE)
    leading_others = models.PositiveSmallIntegerField(_("results in leading others"), validators=SCORE)
    service = models.PositiveSmallIntegerField(_("service to villagers"), validators=SCORE)
    recognition = models.PositiveSmallIntegerField(_("public recognition"), validators=SCORE)
    total = models.PositiveSmallIntegerField(_("total"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade)
    comments = models.TextField(_("comments"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AssessmentState, default=AssessmentState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("county's opinion"), blank=True)

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    # The total and the grade follow from the scores; the state moves only through its workflow.
    workflow_fields = ("state", "total", "grade", "decided_by", "decided_at")
    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "-quarter", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "year", "quarter"], name="one_assessment_per_candidate_and_period"
            ),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="assessment_quarter_0_to_4"),
            models.CheckConstraint(condition=models.Q(total__lte=100), name="assessment_total_at_most_100"),
        ]

    def __str__(self):
        return f"{self.candidate} {self.period}"

    def get_absolute_url(self):
        return reverse("mentoring:assessment_detail", args=[self.pk])

    @property
    def period(self) -> str:
        if self.quarter:
            return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}
        return _("%(year)d (whole year)") % {"year": self.year}

    @property
    def scores(self) -> list[int]:
        return [getattr(self, name) for name in DIMENSIONS]
