"""Admin for candidates and certifications: scoped like every page; status fields change only through
the workflow's services, never by free editing."""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    JurisdictionAdmin,
    JurisdictionAdminMixin,
    ReadOnlyInJurisdictionAdmin,
    ReadOnlyMixin,
)
from accounts.choices import Role
from candidates import permissions, services
from candidates.choices import Decision, PersonalDataPlace
from candidates.forms.registry import CandidateForm
from candidates.models import (
    Candidate,
    Certification,
    Elimination,
    Holiday,
    Objection,
    PersonalDataView,
    Promotion,
    PublicNotice,
    SelectionStandard,
)
from candidates.permissions import can_edit_candidate
from candidates.validators import full_id_number, mask_id_number, mask_phone
from config.workflows import NotVisible

R = Role
VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
OFFICIALS = {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}}


class PersonalDataAdminMixin:
    """ID card numbers and phones in the admin: masked unless the user's role may see them in full,
    and every full view logged, as on the candidate's page (DESIGN §8)."""

    masked_fields = {"id_number": mask_id_number, "phone": mask_phone}

    def person(self, obj) -> Candidate:
        return obj

    def shows_personal_data(self, request, obj, *, where: str) -> bool:
        return services.personal_data_view_log(by=request.user, candidate=self.person(obj), where=where)

    @admin.display(description=_("ID card number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if permissions.can_see_full_identity(request.user):
            return fields
        return [f"masked_{name}" if name in self.masked_fields else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if permissions.can_see_full_identity(request.user):
            return readonly
        return (*readonly, *(f"masked_{name}" for name in self.masked_fields))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and shown.get("original") is not None:
            # The page shows the record's fields: in full to the roles that may see them, logged.
            self.shows_personal_data(request, shown["original"], where=PersonalDataPlace.ADMIN)
        return response


@admin.register(Candidate)
class CandidateAdmin(PersonalDataAdminMixin, JurisdictionAdmin):
    """Township officials correct personal data here (through the same service as the portal)."""

    rights = {R.TOWNSHIP_OFFICIAL: {VIEW, CHANGE}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}}
    list_display = ("name", "gender", "village", "stage", "status", "tier", "masked_id_number")
    list_filter = ("status", "stage", "tier", "source")
    # Searched like the portal's list (`Candidate.objects.matching`): never by any part of an ID number.
    search_fields = ("name",)
    search_help_text = _("Name, pinyin initials, the last 4–6 digits or the whole ID card number")
    list_select_related = ("village__region",)
    readonly_fields = ("status", "stage", "tier", "name_initials", "created_by", "created_at")
    fields = (*services.PERSONAL_FIELDS, *readonly_fields)
    autocomplete_fields = ("village",)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = queryset.matching(search_term)
        if full_id_number(search_term):
            services.id_number_search_log(by=request.user, candidates=found)
        return found, False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_candidate(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The portal's own candidate form: the same normalisation and checks, for this user."""
        base = super().get_form(request, obj, change, form=CandidateForm, **kwargs)
        user = request.user

        class ScopedCandidateForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=user, **form_kwargs)

        return ScopedCandidateForm

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in services.PERSONAL_FIELDS if name in form.cleaned_data
        }
        try:
            services.candidate_update(by=request.user, candidate=obj, fields=fields)
        except ValidationError as error:
            # Only a race gets here (the form ran the same checks a moment ago): say what happened.
            self.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(Certification)
class CertificationAdmin(ReadOnlyInJurisdictionAdmin):
    """Read-only; the one action passes the current step through the workflow service."""

    rights = OFFICIALS
    list_display = ("candidate", "track", "state", "step", "step_due_on", "started_at")
    list_filter = ("state", "step", "track")
    search_fields = ("candidate__name", "candidate__village__region__name")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "created_by")
    actions = ["pass_current_step"]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if request.user.role not in (R.TOWNSHIP_OFFICIAL, R.COUNTY_REVIEWER):
            actions.pop("pass_current_step", None)
        return actions

    @admin.action(description=_("Pass the current step (steps that need no record)"))
    def pass_current_step(self, request, queryset):
        passed = 0
        for certification in queryset:
            step = certification.step
            try:
                services.certification_advance(
                    certification=certification,
                    by=request.user,
                    decision=Decision.PASS,
                    expected_step=step,
                )
                passed += 1
                # The admin's own log says who took which action here, beside the history rows.
                self.log_change(
                    request,
                    certification,
                    gettext("Passed step %(step)d through the admin action.") % {"step": step},
                )
            except (services.WorkflowError, PermissionDenied, NotVisible) as error:
                reason = getattr(error, "message", "") or _("not your step")
                self.message_user(request, f"{certification}: {reason}", messages.WARNING)
        if passed:
            self.message_user(
                request, ngettext("%d certification passed.", "%d certifications passed.", passed) % passed
            )


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyInJurisdictionAdmin):
    rights = OFFICIALS
    list_display = ("certification", "start_date", "end_date", "working_days")
    list_select_related = ("certification__candidate",)
    search_fields = ("certification__candidate__name",)
    raw_id_fields = ("certification", "published_by")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyInJurisdictionAdmin):
    rights = OFFICIALS
    list_display = ("notice", "channel", "status", "filed_at", "ruled_by")
    list_filter = ("status", "channel")
    list_select_related = ("notice__certification__candidate", "ruled_by")
    raw_id_fields = ("notice", "recorded_by", "ruled_by")


@admin.register(SelectionStandard)
class SelectionStandardAdmin(JurisdictionAdmin):
    """City staff edit the standards; they are never deleted, only taken out of force."""

    rights = {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW, ADD, CHANGE}}
    list_display = ("number", "title", "hard", "active")
    list_editable = ("hard", "active")
    ordering = ("number",)


@admin.register(Holiday)
class HolidayAdmin(JurisdictionAdmin):
    """Administrators enter the State Council's holiday calendar for years chinesecalendar lacks."""

    # A holiday entered by mistake is taken out again: nothing hangs from it.
    rights = {
        R.TOWNSHIP_OFFICIAL: {VIEW},
        R.COUNTY_REVIEWER: {VIEW},
        R.CITY_STAFF: {VIEW},
        R.ADMINISTRATOR: {DELETE},
    }
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyMixin, JurisdictionAdminMixin, admin.ModelAdmin):
    """Who saw whose full ID card number and phone, for the county, the city and the administrators to
    check: filtered by the user who saw (those in the log), searched by the person's name."""

    rights = {R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}}
    list_display = ("at", "user", "candidate", "where")
    list_filter = ("where", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("candidate__name", "user__username", "user__name")
    list_select_related = ("user", "candidate")
    raw_id_fields = ("user", "candidate")
    date_hierarchy = "at"


def _titled(filter_class, title):
    """A list filter of `filter_class` under `title` rather than its field's name."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


@admin.register(Candidate.history.model)
class CandidateChangeAdmin(PersonalDataAdminMixin, ReadOnlyMixin, JurisdictionAdminMixin, admin.ModelAdmin):
    """The audit trail of candidate records: who changed what, when; read-only."""

    rights = {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}}
    list_display = ("changed_at", "changed_by", "kind_of_change", "name", "status", "stage")
    # django-simple-history's own columns have English names ("history date"), outside any catalogue:
    # they are shown under the portal's, here, on a version's page and above the list (the date hierarchy:
    # templates/admin/candidates/historicalcandidate/date_hierarchy.html).
    list_filter = (("history_type", _titled(admin.ChoicesFieldListFilter, _("kind of change"))), "status")
    list_select_related = ("history_user",)
    search_fields = ("name",)
    date_hierarchy = "history_date"
    HISTORY_FIELDS = {
        "history_date": "changed_at",
        "history_user": "changed_by",
        "history_type": "kind_of_change",
        "history_change_reason": "reason_for_change",
    }
    readonly_fields = tuple(HISTORY_FIELDS.values())

    @admin.display(description=_("changed at"), ordering="history_date")
    def changed_at(self, obj):
        return obj.history_date

    @admin.display(description=_("changed by"), ordering="history_user")
    def changed_by(self, obj):
        return obj.history_user or self.get_empty_value_display()

    @admin.display(description=_("kind of change"), ordering="history_type")
    def kind_of_change(self, obj):
        return obj.get_history_type_display()

    @admin.display(description=_("reason for change"))
    def reason_for_change(self, obj):
        return obj.history_change_reason or self.get_empty_value_display()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return list(dict.fromkeys(self.HISTORY_FIELDS.get(name, name) for name in fields))

    def person(self, obj) -> Candidate:
        return Candidate.objects.get(pk=obj.id)

    def get_queryset(self, request):
        # By the person's record as it is now, not by the village an old version names: whoever may
        # see the person sees all of their versions, and nobody else sees any.
        visible = Candidate.objects.visible_to(request.user).values("pk")
        return self.model._default_manager.filter(id__in=visible)


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyInJurisdictionAdmin):
    """Promotions move only through their workflow (the portal's promotion page)."""

    rights = OFFICIALS
    list_display = ("candidate", "from_stage", "to_stage", "state", "proposed_at", "decided_at")
    list_filter = ("state", "to_stage")
    search_fields = ("candidate__name",)
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "seat", "proposed_by")


@admin.register(Elimination)
class EliminationAdmin(ReadOnlyInJurisdictionAdmin):
    """Eliminations are proposed and decided in the portal; the record is kept, never deleted."""

    rights = OFFICIALS
    list_display = ("candidate", "reason", "state", "proposed_at", "decided_at")
    list_filter = ("state", "reason")
    search_fields = ("candidate__name",)
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "proposed_by", "decided_by")
