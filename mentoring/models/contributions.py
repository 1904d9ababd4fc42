"""What candidates give back (DESIGN §1, §6): collective-economy projects they lead, households helped,
service items, problems solved, and the awards they receive; dated, so that they add up by year."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from mentoring.choices import AwardLevel, ContributionKind


class CollectiveProject(models.Model):
    """A collective-economy project (集体经济项目) a candidate leads in a village."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("led by"),
        on_delete=models.PROTECT,
        related_name="collective_projects",
    )
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="collective_projects",
    )
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    start_date = models.DateField(_("started on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective-economy project")
        verbose_name_plural = _("collective-economy projects")
        ordering = ["-start_date", "name"]

    def __str__(self):
        return self.name


class Contribution(models.Model):
    """A counted contribution on a date: households helped, service items performed, problems solved."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind)
    count = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["kind", "date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="contribution_counts_one_or_more")
        ]

    def __str__(self):
        return f"{self.candidate} · {self.get_kind_display()} {self.count}"


class Award(models.Model):
    """An award a candidate received (评优评先): its title, level and date."""

    candidate = models.ForeignKey(
        "candidates.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="awards"
    )
    title = models.CharField(_("title"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=AwardLevel)
    date = models.DateField(_("date"))
    granted_by = models.CharField(_("granting unit"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.candidate} · {self.title}"
