from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ReadOnlyHistoryAdmin, SafeInputAdminMixin, is_administrator
from accounts.models import FailedLogin, User

admin.site.unregister(Group)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form for setting a user's password, whose warning under "password-based authentication"
    Django 6.1 appends in English, outside its catalogue."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(SafeInputAdminMixin, ReadOnlyHistoryAdmin, DjangoUserAdmin):
    """Users, roles and jurisdictions: administrators only, every change kept in the user's history."""

    list_display = ("username", "name", "role", "jurisdiction", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "name", "jurisdiction__name", "jurisdiction__code")
    autocomplete_fields = ("jurisdiction",)
    view_on_site = False
    change_password_form = PasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "email")}),
        (_("Role and jurisdiction"), {"fields": ("role", "jurisdiction")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "role", "jurisdiction", "password1", "password2"),
            },
        ),
    )

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def has_module_permission(self, request):
        return is_administrator(request.user)


@admin.register(FailedLogin)
class FailedLoginAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    """Failed logins and locks, for administrators: deleting a row lifts its lock at once."""

    list_display = ("username", "ip_address", "failures_since_start", "locked", "attempt_time")
    list_filter = ("attempt_time",)
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time")
    readonly_fields = fields
    date_hierarchy = "attempt_time"

    @admin.display(description=_("locked"), boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    has_delete_permission = has_module_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
