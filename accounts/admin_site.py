"""The admin site and the base class every portal ModelAdmin uses: scoped, with rights by role."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.choices import Role

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


class JurisdictionAdminMixin:
    """For a ModelAdmin: start from `visible_to(user)` and answer 404 outside the jurisdiction.

    `rights` maps a role to the admin actions it may take ("view", "add", "change", "delete");
    administrators may take all of them. Django's model permissions are not consulted.
    """

    rights: dict[str, set[str]] = {}
    view_on_site = False

    def _may(self, request, action: str) -> bool:
        user = request.user
        if not self.admin_site.has_permission(request):
            return False
        return is_administrator(user) or action in self.rights.get(user.role, set())

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


class JurisdictionAdmin(JurisdictionAdminMixin, SimpleHistoryAdmin):
    """The portal's ModelAdmin: scoped, with the history pages of django-simple-history scoped too."""

    def _require_visible(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("No such record in your jurisdiction."))

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


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
