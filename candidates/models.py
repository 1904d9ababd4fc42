import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.jurisdiction import mentee_of, scope
from candidates.choices import (
    OPEN_PROMOTION_STATES,
    CertificationState,
    Decision,
    Education,
    EliminationReason,
    EliminationState,
    Gender,
    HolidayKind,
    ObjectionChannel,
    ObjectionStatus,
    PersonalDataPlace,
    PoliticalStatus,
    PromotionAction,
    PromotionState,
    Recommender,
    Source,
    Stage,
    Status,
    Tier,
    Track,
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


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, code_field="village__region__code", mentee_of=mentee_of())

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
        ordering = ["village_id", "name"]
        indexes = [
            models.Index(fields=["status", "stage"]),
            models.Index(fields=["village", "status"]),
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
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class ReferenceDataQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reference data of the whole programme: every signed-in user may read it."""
        return self if user.is_authenticated and user.is_active else self.none()


class SelectionStandardQuerySet(ReferenceDataQuerySet):
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

    history = HistoricalRecords()
    objects = SelectionStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection standard")
        verbose_name_plural = _("selection standards")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CertificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(
            self, user, code_field="candidate__village__region__code", mentee_of=mentee_of("candidate")
        )

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
        _("current step"), default=1, validators=[MinValueValidator(1), MaxValueValidator(7)]
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
    # Step 7: file.
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )

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
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=7), name="certification_step_1_to_7"),
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


class PublicNoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(
            self,
            user,
            code_field="certification__candidate__village__region__code",
            mentee_of=mentee_of("certification__candidate"),
        )

    def in_force(self, today=None):
        """Notices the public may read and object to today."""
        today = today or timezone.localdate()
        return self.filter(
            start_date__lte=today, end_date__gte=today, certification__state=CertificationState.IN_PROGRESS
        )


class PublicNotice(models.Model):
    """Step 6: the public notice (公示) of a certification, running a number of working days."""

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

    # The notice period decides when step 7 may pass.
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


class ObjectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(
            self,
            user,
            code_field="notice__certification__candidate__village__region__code",
            mentee_of=mentee_of("notice__certification__candidate"),
        )

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

    history = HistoricalRecords()
    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class PersonalDataViewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, code_field="candidate__village__region__code")


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

    objects = PersonalDataViewQuerySet.as_manager()

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

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
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


# The ladder: promotions and eliminations ---------------------------------------------------------

MILESTONES = (
    "party_application_on",
    "activist_on",
    "development_target_on",
    "probationary_on",
    "full_member_on",
)


class PromotionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(
            self, user, code_field="candidate__village__region__code", mentee_of=mentee_of("candidate")
        )

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


class EliminationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(
            self, user, code_field="candidate__village__region__code", mentee_of=mentee_of("candidate")
        )

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
