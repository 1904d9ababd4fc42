from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from villages.choices import (
    OPEN_RESERVE,
    PREFIX_LENGTH,
    STANDING_RESERVE,
    RegionLevel,
    ReserveKind,
    ReserveStatus,
    SeatPosition,
)
from villages.codes import ancestor_codes, division_prefix, level_of_code, parent_code, validate_division_code

# A village meets the reserve target with at least this many reserves of each kind (DESIGN §3).
RESERVE_TARGET = {ReserveKind.SECRETARY: 1, ReserveKind.COMMITTEE: 3}


class RegionQuerySet(ScopedQuerySet):
    def under(self, code: str):
        """The region with this code and everything below it: one indexed prefix query."""
        return self.filter(code__startswith=division_prefix(code))


class Region(models.Model):
    """A node of the region tree: province, city, county, township or village, by division code."""

    code = models.CharField(
        _("division code"), max_length=12, primary_key=True, validators=[validate_division_code]
    )
    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    scope_path = "code"
    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:region_detail", args=[self.code])

    def clean(self):
        if not self.code or len(self.code) != 12:
            return
        if self.level and level_of_code(self.code) != self.level:
            raise ValidationError(
                {
                    "level": _("The code %(code)s is the code of a %(level)s.")
                    % {"code": self.code, "level": level_of_code(self.code).label}
                }
            )
        if parent_code(self.code) != self.parent_id:
            raise ValidationError(
                {
                    "parent": _("The parent of %(code)s is the region with code %(parent)s.")
                    % {"code": self.code, "parent": parent_code(self.code) or "—"}
                }
            )

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    @property
    def is_village(self) -> bool:
        return self.level == RegionLevel.VILLAGE

    @property
    def child_level(self) -> RegionLevel | None:
        return None if self.is_village else RegionLevel(self.level + 1)

    def ancestors(self):
        """Regions above this one, province first. Queries the database once."""
        codes = ancestor_codes(self.code)
        by_code = Region.objects.in_bulk(codes)
        return [by_code[c] for c in codes if c in by_code]


class VillageQuerySet(ScopedQuerySet):
    def under(self, code: str):
        return self.filter(region__code__startswith=division_prefix(code))


class Village(models.Model):
    """A village or community: its records, committee, reserves, star ratings and pairing."""

    region = models.OneToOneField(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="village",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    party_members = models.PositiveIntegerField(_("Party members"), default=0)
    leading_industries = models.CharField(_("leading industries"), max_length=100, blank=True)
    collective_income = models.DecimalField(
        _("collective income (yuan/year)"), max_digits=14, decimal_places=2, default=0
    )
    per_capita_income = models.DecimalField(
        _("per-capita income (yuan/year)"), max_digits=12, decimal_places=2, default=0
    )
    party_branch = models.CharField(_("Party organisation"), max_length=100, blank=True)

    scope_path = "region__code"
    history = HistoricalRecords()
    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["region_id"]

    def __str__(self):
        return self.region.name

    def get_absolute_url(self):
        return reverse("villages:region_detail", args=[self.region_id])

    @property
    def code(self) -> str:
        return self.region_id

    @property
    def name(self) -> str:
        return self.region.name

    def clean(self):
        if self.region_id and self.region.level != RegionLevel.VILLAGE:
            raise ValidationError({"region": _("Only a region of level village/community can be a village.")})
        if self.party_members > self.population:
            raise ValidationError(
                {"party_members": _("A village cannot have more Party members than inhabitants.")}
            )


class StarRating(models.Model):
    """The annual star rating (星级评定) of a village's Party organisation, 1 to 5 stars."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="star_ratings"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "village__region__code"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["village_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="one_star_rating_per_village_year"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="stars_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.year}: {self.stars}★"


class CommitteeSeatQuerySet(ScopedQuerySet):
    def current(self, on=None):
        """Seats whose term covers the date `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=on), term_start__lte=on)


class CommitteeSeat(models.Model):
    """A seat on a village's two committees (村"两委"), held by a person for a term."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    position = models.CharField(_("position"), max_length=12, choices=SeatPosition)
    # The name of a holder outside the programme; a candidate's name is read from their record, never
    # copied here, so it cannot go stale when the record is corrected (finding F12).
    holder_name = models.CharField(_("holder who is not a candidate"), max_length=50, blank=True)
    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("candidate holding the seat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        help_text=_("Empty when the holder is not in the programme."),
    )
    is_wealth_creator = models.BooleanField(_("wealth-creator"), default=False)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    scope_path = "village__region__code"
    mentee_path = "candidate"
    history = HistoricalRecords()
    objects = CommitteeSeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["village_id", "position", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="seat_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(candidate__isnull=True, holder_name__gt="")
                | Q(candidate__isnull=False, holder_name=""),
                name="seat_held_by_a_candidate_or_a_named_person",
            ),
        ]
        indexes = [models.Index(fields=["village", "term_start", "term_end"])]

    def __str__(self):
        return f"{self.holder} ({self.get_position_display()})"

    @property
    def holder(self) -> str:
        """Who holds the seat: the candidate's name as their record has it now, or the plain holder's.
        Reads the candidate (select_related("candidate") where seats are listed)."""
        return self.candidate.name if self.candidate_id else self.holder_name

    def clean(self):
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})


class ReserveQuerySet(ScopedQuerySet):
    def standing(self):
        """Reserves that count toward the village's target: confirmed, removal not yet confirmed."""
        return self.filter(status__in=STANDING_RESERVE)

    def open(self):
        return self.filter(status__in=OPEN_RESERVE)


class Reserve(models.Model):
    """A person designated as a reserve (后备力量) for a village's secretary or committee."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="reserves"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="reserves"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReserveKind)
    status = models.CharField(
        _("status"), max_length=20, choices=ReserveStatus, default=ReserveStatus.PROPOSED
    )
    designated_on = models.DateField(_("designated on"), default=timezone.localdate)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path = "village__region__code"
    mentee_path = "candidate"
    workflow_fields = ("status", "removed_on", "decided_by")
    history = HistoricalRecords()
    objects = ReserveQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve")
        verbose_name_plural = _("reserves")
        ordering = ["village_id", "kind", "designated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status__in=OPEN_RESERVE),
                name="one_open_reserve_per_candidate",
            ),
        ]

    def __str__(self):
        return f"{self.village_id} {self.get_kind_display()}"


class Agency(models.Model):
    """A city agency (市直单位) whose Party branches pair with villages."""

    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"level": RegionLevel.CITY},
    )
    name = models.CharField(_("name"), max_length=60)

    scope_path = "city__code"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("city agency")
        verbose_name_plural = _("city agencies")
        ordering = ["city_id", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="unique_agency_name_per_city")]

    def __str__(self):
        return self.name


class AgencyBranch(models.Model):
    """A Party branch (机关党支部) of a city agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="branches"
    )
    name = models.CharField(_("name"), max_length=80)

    scope_path = "agency__city__code"
    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency Party branch")
        verbose_name_plural = _("agency Party branches")
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unique_branch_name_per_agency")
        ]

    def __str__(self):
        return f"{self.agency.name} {self.name}"


class PairingQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class Pairing(models.Model):
    """A village paired with an agency Party branch (结对共建)."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="pairings"
    )
    branch = models.ForeignKey(
        AgencyBranch, verbose_name=_("agency Party branch"), on_delete=models.PROTECT, related_name="pairings"
    )
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    scope_path = "village__region__code"
    history = HistoricalRecords()
    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["village_id", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=Q(end_date__isnull=True), name="one_current_pairing_per_village"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="pairing_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.village_id} ↔ {self.branch}"
