"""Training (培训): courses and who took them, and the hours of online learning (云端学习) per month."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from mentoring.choices import CourseLevel


class CourseQuerySet(ScopedQuerySet):
    def university(self):
        """University cohorts (such as the "头雁" classes at Zhejiang University)."""
        return self.filter(level=CourseLevel.UNIVERSITY)


class Course(models.Model):
    """A training course: who organises it, at which level, when, how many hours, online or not."""

    name = models.CharField(_("name"), max_length=100)
    organiser = models.CharField(_("organiser"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=CourseLevel)
    cohort = models.CharField(
        _("cohort"),
        max_length=100,
        blank=True,
        help_text=_("For a university class: its cohort, e.g. 头雁 2025."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    online = models.BooleanField(_("online"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )

    # Courses are the programme's: every signed-in user reads them; who took them is scoped.
    scope_path = None
    history = HistoricalRecords()
    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="course_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("mentoring:course_detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The course cannot end before it starts.")})


class Enrolment(models.Model):
    """A candidate enrolled in a course, and whether and when they completed it."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course_id", "candidate_id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "candidate"], name="one_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.candidate} · {self.course}"

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


class OnlineLearning(models.Model):
    """The hours a candidate spent on the online learning platform in a month (imported monthly)."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="online_learning",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("online learning")
        verbose_name_plural = _("online learning")
        ordering = ["-month", "candidate_id"]
        # `month` is a month's first day (the import writes it so); one row per person and month.
        constraints = [
            models.UniqueConstraint(fields=["candidate", "month"], name="one_online_record_per_month"),
        ]

    def __str__(self):
        return f"{self.candidate} {self.month:%Y-%m}: {self.hours}"
