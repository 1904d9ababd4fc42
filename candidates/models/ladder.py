"""The ladder: promotions (晋位升级) with their decisions, and eliminations (淘汰)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from candidates.choices import (
    OPEN_PROMOTION_STATES,
    EliminationReason,
    EliminationState,
    PromotionAction,
    PromotionState,
    Stage,
)
from candidates.models.registry import Candidate


class PromotionQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_PROMOTION_STATES)

    def approved_in(self, year: int):
        return self.filter(state=PromotionState.APPROVED, decided_at__year=year)


class Promotion(models.Model):
    """A move one rung up the ladder (晋位升级), with the evidence it rests on and who decided it."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="promotions"
    )
    from_stage = models.CharField(_("from"), max_length=24, choices=Stage)
    to_stage = models.CharField(_("to"), max_length=24, choices=Stage)
    state = models.CharField(
        _("state"), max_length=10, choices=PromotionState, default=PromotionState.PROPOSED
    )
    evidence = models.TextField(
        _("evidence"), help_text=_("What shows the person has reached the next rung.")
    )
    declared_income = models.DecimalField(
        _("household income (yuan/year)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    business = models.CharField(_("business run"), max_length=200, blank=True)
    cooperative = models.CharField(_("cooperative led"), max_length=200, blank=True)
    industry_leader_certificate = models.CharField(
        _("industry-leader certification"),
        max_length=200,
        blank=True,
        help_text=_("The document that certifies the person as an industry leader, if any."),
    )
    seat = models.ForeignKey(
        "villages.CommitteeSeat",
        verbose_name=_("committee seat relied on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    workflow_fields = ("state", "decided_at")
    history = HistoricalRecords()
    objects = PromotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(state__in=OPEN_PROMOTION_STATES), name="one_open_promotion"
            ),
        ]
        indexes = [models.Index(fields=["state", "decided_at"])]

    def __str__(self):
        return f"{self.candidate}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"

    def get_absolute_url(self):
        return reverse("candidates:promotion_detail", args=[self.pk])


class PromotionDecision(models.Model):
    """The log of a promotion: proposed, endorsed, approved, returned, refused; by whom and why."""

    promotion = models.ForeignKey(
        Promotion, verbose_name=_("promotion"), on_delete=models.PROTECT, related_name="decisions"
    )
    action = models.CharField(_("action"), max_length=10, choices=PromotionAction)
    opinion = models.TextField(_("opinion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("promotion decision")
        verbose_name_plural = _("promotion decisions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.promotion_id} {self.action}"


class EliminationQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(state=EliminationState.APPROVED)


class Elimination(models.Model):
    """The elimination (淘汰) of a candidate: proposed with a reason, decided by the county, kept forever."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="eliminations"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=EliminationReason)
    details = models.TextField(_("details"))
    state = models.CharField(
        _("state"), max_length=10, choices=EliminationState, default=EliminationState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("county's opinion"), blank=True)

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    workflow_fields = ("state", "decided_by", "decided_at")
    history = HistoricalRecords()
    objects = EliminationQuerySet.as_manager()

    class Meta:
        verbose_name = _("elimination")
        verbose_name_plural = _("eliminations")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(state=EliminationState.PROPOSED),
                name="one_open_elimination",
            ),
        ]
        indexes = [models.Index(fields=["state", "decided_at"])]

    def __str__(self):
        return f"{self.candidate}: {self.get_reason_display()}"

    def get_absolute_url(self):
        return reverse("candidates:elimination_detail", args=[self.pk])
