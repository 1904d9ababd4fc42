"""Support (扶持) for candidates: the policy catalogue and the support each candidate received."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from mentoring.choices import SupportKind


class PolicyQuerySet(ScopedQuerySet):
    def in_force(self):
        return self.filter(active=True)


class Policy(models.Model):
    """A support policy of the catalogue (扶持政策), kept by city staff."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("in force"), default=True)

    scope_path = None  # the whole programme's
    history = HistoricalRecords()
    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Support(models.Model):
    """Support a candidate received: a policy, a loan (yuan), a land transfer (mu) or a project."""

    candidate = models.ForeignKey(
        "candidates.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="support"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SupportKind)
    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    area = models.DecimalField(
        _("area (mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    project = models.CharField(_("project"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    granted_by = models.CharField(_("granting unit"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.candidate} · {self.get_kind_display()} {self.date}"

    def clean(self):
        """Each kind says what it is: a policy names one, a loan its amount, a land transfer its area,
        a project its name."""
        needed = {
            SupportKind.POLICY: ("policy", _("Choose the policy.")),
            SupportKind.LOAN: ("amount", _("Give the amount of the loan in yuan.")),
            SupportKind.LAND: ("area", _("Give the area transferred in mu.")),
            SupportKind.PROJECT: ("project", _("Name the project.")),
        }.get(self.kind)
        if needed and getattr(self, needed[0]) in (None, ""):
            raise ValidationError({needed[0]: needed[1]})
