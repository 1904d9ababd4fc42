"""The registry: a person in the programme (培养对象), who saw their personal data, and imports."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import ScopedQuerySet
from candidates.choices import (
    Education,
    Gender,
    PersonalDataPlace,
    PoliticalStatus,
    Source,
    Stage,
    Status,
    Tier,
)
from candidates.validators import (
    full_id_number,
    id_number_tail,
    is_latin,
    mask_id_number,
    mask_phone,
    normalize_text,
    validate_id_number,
    validate_phone,
    validate_plain_text,
)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years from `birth_date` to `day`: the age the list, the record and the export show."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class CandidateQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=Status.ACTIVE)

    def for_table(self):
        """What a list row shows, fetched with the row."""
        return self.select_related("village__region__parent")

    def matching(self, text: str):
        """Candidates matching what a clerk typed: a name or part of it, pinyin initials, the last
        4–6 characters of an ID card number, or a whole number (whose search the caller logs).

        Other runs of digits match nobody: a search must not recover a number digit by digit.
        """
        value = normalize_text(text)
        if not value:
            return self
        whole = full_id_number(value)
        if whole:
            return self.filter(id_number=whole)
        tail = id_number_tail(value)
        if tail:
            return self.filter(id_number__endswith=tail)
        if any(ch.isdigit() for ch in value):
            return self.none()
        if is_latin(value):
            return self.filter(Q(name_initials__istartswith=value) | Q(name__icontains=value))
        return self.filter(name__icontains=value)


class Candidate(models.Model):
    """A person in the programme (培养对象), from prospect to revitalization leader."""

    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender)
    ethnicity = models.CharField(_("ethnicity"), max_length=10, default="汉族")
    id_number = models.CharField(
        _("ID card number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("mobile phone"), max_length=11, validators=[validate_phone])
    education = models.CharField(_("education"), max_length=20, choices=Education)
    political_status = models.CharField(_("political status"), max_length=20, choices=PoliticalStatus)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="candidates"
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True, validators=[validate_plain_text])
    household_income = models.DecimalField(
        _("household income (yuan/year)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROSPECT)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier, default=Tier.ORDINARY)
    notes = models.TextField(_("notes"), blank=True)
    # Party development milestones (入党申请、积极分子、发展对象、预备党员、正式党员), in this order.
    party_application_on = models.DateField(_("applied to join the Party on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    development_target_on = models.DateField(_("development target since"), null=True, blank=True)
    probationary_on = models.DateField(_("probationary member since"), null=True, blank=True)
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    scope_path = "village__region__code"
    mentee_path = ""
    # Fields only the workflows set (certification, promotions, eliminations): never an admin form.
    workflow_fields = ("status", "stage", "tier")
    history = HistoricalRecords(
        verbose_name=_("change to a candidate's record"),
        verbose_name_plural=_("changes to candidates' records"),
    )
    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["village_id", "name", "id"]
        indexes = [
            models.Index(fields=["status", "stage"]),
            models.Index(fields=["village", "status"]),
            # The orders of the list, each ending in the key so that pages never share or skip a person;
            # the village in the first so a jurisdiction's page is read from the index alone (PostgreSQL).
            models.Index(
                fields=["name_initials", "name", "id"], include=["village"], name="candidate_by_name"
            ),
            models.Index(fields=["village", "name", "id"], name="candidate_by_village"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("candidates:candidate_detail", args=[self.pk])

    @property
    def is_party_member(self) -> bool:
        """A probationary or full member, by the milestones recorded."""
        return bool(self.probationary_on or self.full_member_on)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


def _version_name(version) -> str:
    # django-simple-history names a version "<record> as of <timestamp>", in English.
    return _("%(candidate)s as of %(time)s") % {
        "candidate": version.name,
        "time": timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M"),
    }


Candidate.history.model.__str__ = _version_name


class PersonalDataView(models.Model):
    """A log line: this user saw this candidate's full ID card number and phone, here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="personal_data_views"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    where = models.CharField(
        _("where"), max_length=16, choices=PersonalDataPlace, default=PersonalDataPlace.DETAIL
    )

    scope_path = "candidate__village__region__code"
    mentee_path = "candidate"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} → {self.candidate} {self.at:%Y-%m-%d %H:%M}"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each user sees the files they uploaded; administrators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(uploaded_by=user)


class ImportBatch(models.Model):
    """An uploaded spreadsheet between preview and confirmation, kept in the database so any
    web process can confirm it."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    class Kind(models.TextChoices):
        """Which import a file is for: each import's pages open only their own files."""

        CANDIDATES = "candidates", _("Candidates")
        ONLINE_LEARNING = "online_learning", _("Online learning hours")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.CANDIDATES)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PREVIEWED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # The outcome of the first check, as the preview shows it (`imports.ImportPreview`).
    preview = models.JSONField(_("preview"), null=True, blank=True, editable=False)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename


MILESTONES = (
    "party_application_on",
    "activist_on",
    "development_target_on",
    "probationary_on",
    "full_member_on",
)
