"""The admin site and the base class every portal ModelAdmin uses: scoped, with rights by role."""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.utils import display_for_field, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.choices import Role
from config.forms import bound_field
from config.workflows import record_save

# Roles that work in the admin at all; mentors use the portal pages only.
ADMIN_SITE_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER, Role.CITY_STAFF, Role.ADMINISTRATOR}


def is_administrator(user) -> bool:
    return user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR


class PortalAdminSite(admin.AdminSite):
    site_header = _("Sanxiang portal administration")
    site_title = _("Sanxiang administration")
    index_title = _("Records and reference data")

    def has_permission(self, request):
        user = request.user
        return (
            user.is_active and user.is_authenticated and (user.is_superuser or user.role in ADMIN_SITE_ROLES)
        )

    def get_urls(self):
        # "View on site" redirects to any object's page, scoped or not; the portal's own links suffice.
        return [p for p in super().get_urls() if getattr(p, "name", None) != "view_on_site"]


class _SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete widget, drawing an unusable value (text for a number) as no choice.

    Django's widget looks the posted value up to draw the form again after an error, and a value
    of the wrong type made that lookup a 500 (finding F9); the field's own error already says why.
    """

    def optgroups(self, name, value, attr=None):
        try:
            return super().optgroups(name, value, attr)
        except (ValueError, TypeError, ValidationError):
            return super().optgroups(name, [], attr)


# What a date hierarchy's parameters may hold: plain digits, within these bounds.
_DATE_PARTS = {"year": (1900, 2099), "month": (1, 12), "day": (1, 31)}


class SafeInputAdminMixin:
    """For every ModelAdmin of the portal: malformed input is a 400 or a form error, never a 500.

    Dates and numbers get the portal's plausible bounds; a date hierarchy takes plain digits in
    range (a full-width or a huge year was a 500, finding F9); autocomplete draws bad values as none.
    """

    def changelist_view(self, request, extra_context=None):
        if self.date_hierarchy:
            for part, (low, high) in _DATE_PARTS.items():
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (
                    value.isascii() and value.isdigit() and low <= int(value) <= high
                ):
                    raise BadRequest(f"{part} out of range")
        return super().changelist_view(request, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return bound_field(field) if field is not None else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class JurisdictionAdminMixin(SafeInputAdminMixin):
    """For a ModelAdmin: start from `visible_to(user)` and answer 404 outside the jurisdiction.

    `rights` maps a role to the admin actions it may take ("view", "add", "change", "delete");
    administrators may view, add and change everything, and delete only where `rights` grants
    `Role.ADMINISTRATOR` "delete": a delete here would bypass the services that end a record (a seat's
    term, a pairing, a mentor's assignments) and cascade into the records hanging from it. Django's
    model permissions are not consulted.
    """

    rights: dict[str, set[str]] = {}
    view_on_site = False

    def _may(self, request, action: str) -> bool:
        user = request.user
        if not self.admin_site.has_permission(request):
            return False
        if is_administrator(user):
            return action != "delete" or action in self.rights.get(Role.ADMINISTRATOR, set())
        return action in self.rights.get(user.role, set())

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    def get_readonly_fields(self, request, obj=None):
        # A workflow moves only through its service: its state fields are never in an admin form.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + tuple(f for f in getattr(self.model, "workflow_fields", ()) if f not in readonly)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record in your jurisdiction."))
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model._default_manager.all()
        if hasattr(related, "visible_to"):
            kwargs["queryset"] = related.visible_to(request.user).filter(**db_field.get_limit_choices_to())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _MaskingContextHelper(HistoricalRecordContextHelper):
    """Shows the changes of a version with personal fields masked."""

    def __init__(self, model, record, *, masked_fields: dict[str, Callable[[str], str]]):
        super().__init__(model, record)
        self.masked_fields = masked_fields

    def prepare_delta_change_value(self, change, value):
        mask = self.masked_fields.get(change.field)
        if mask is not None and value:
            return mask(value)
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages (the versions of a record), read-only for every role.

    The library's version page is a ModelForm that saves on POST after checking only "view or
    change"; its Revert button is merely hidden. Here a version is shown as text, a request other
    than GET is refused, and the history follows the record as it is now: who may see the record
    sees its versions, whatever an old version says.
    """

    object_history_form_template = "admin/history_version.html"
    object_history_list_template = "admin/history_list.html"
    # Personal fields and how to mask them: {field name: function of the stored value}.
    masked_fields: dict[str, Callable[[str], str]] = {}

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def shows_personal_data(self, request, obj, *, where: str) -> bool:
        """Whether `masked_fields` show in full to this user on this page; a subclass that says yes
        logs the view."""
        return False

    def _history_object(self, request, object_id):
        """The record as it is now, if the user may see it; 404 for a malformed id or outside the
        jurisdiction, 403 for a role that may not view it."""
        try:
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, TypeError, ValidationError):
            obj = None
        if obj is None:
            raise Http404(_("No such record in your jurisdiction."))
        if not (self.has_view_permission(request, obj) or self.has_change_permission(request, obj)):
            raise PermissionDenied
        return obj

    def _masks(self, request, obj, *, where: str) -> dict[str, Callable[[str], str]]:
        if self.masked_fields and self.shows_personal_data(request, obj, where=where):
            return {}
        return self.masked_fields

    def history_view(self, request, object_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        obj = self._history_object(request, object_id)
        request.history_masks = self._masks(request, obj, where="admin_history")
        return super().history_view(request, str(obj.pk), extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        masks = getattr(request, "history_masks", self.masked_fields)
        return _MaskingContextHelper(self.model, historical_record, masked_fields=masks)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version of the record, as a table of its fields; never a form."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        obj = self._history_object(request, object_id)
        try:
            record = obj.history.filter(history_id=int(version_id)).first()
        except (ValueError, OverflowError):
            record = None
        if record is None:
            raise Http404(_("No such version of this record."))
        masks = self._masks(request, obj, where="admin_history")
        opts = self.model._meta
        info = (self.admin_site.name, opts.app_label, opts.model_name)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(record)s as it was on %(date)s")
            % {
                "record": record.history_object,
                "date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
            },
            "opts": opts,
            "original": obj,
            "record": record,
            "rows": self._version_rows(record, masks),
            "changelist_url": reverse("{}:{}_{}_changelist".format(*info)),
            "change_url": reverse("{}:{}_{}_change".format(*info), args=[obj.pk]),
            "history_url": reverse("{}:{}_{}_history".format(*info), args=[obj.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_form_template, context)

    def _version_rows(self, record, masks) -> list[tuple[str, object]]:
        """(label, value shown) for each field the version keeps."""
        rows = []
        for field in self.model._meta.concrete_fields:
            if not hasattr(record, field.attname):
                continue  # not kept in the history (a password, say)
            value = getattr(record, field.attname)
            if field.name in masks and value:
                shown = masks[field.name](value)
            elif isinstance(field, models.ForeignKey) and value is not None:
                related = field.related_model._default_manager.filter(pk=value).first()
                shown = str(related) if related is not None else value
            else:
                shown = display_for_field(value, field, "—")
            rows.append((capfirst(field.verbose_name), shown))
        return rows


class JurisdictionAdmin(JurisdictionAdminMixin, ReadOnlyHistoryAdmin):
    """The portal's ModelAdmin: scoped, with read-only history pages scoped by the current record.

    Saves go through a service: `record_save` for reference records by default; a model with rules of
    its own (a candidate, a seat, a star rating) overrides `save_model` with its service.
    """

    def save_model(self, request, obj, form, change):
        record_save(by=request.user, record=obj)


class ReadOnlyMixin:
    """For records that change only through the portal's workflows: never edited in the admin."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInJurisdictionAdmin(ReadOnlyMixin, JurisdictionAdmin):
    pass
