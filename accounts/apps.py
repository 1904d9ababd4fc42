from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Users and jurisdiction")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that admits portal roles rather than the is_staff flag."""

    default = False

    default_site = "accounts.admin_site.PortalAdminSite"
