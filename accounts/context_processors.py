from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ADMIN_SITE_ROLES

# The portal's main menu: (label, URL name, URL prefix that marks it active).
NAVIGATION = [
    (_("Work queue"), "reports:home", "/"),
    (_("Candidates"), "candidates:candidate_list", "/candidates/"),
    (_("Mentoring"), "mentoring:home", "/mentoring/"),
    (_("Villages"), "villages:village_list", "/villages/"),
    (_("Dynamic management"), "reports:dynamic_management", "/reports/dynamic/"),
]


def portal(request):
    """The menu and the user's role for every page; templates draw them without deciding anything."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, name, prefix in NAVIGATION:
        active = path == prefix if prefix == "/" else path.startswith(prefix)
        items.append({"label": label, "url": reverse(name), "active": active})
    return {
        "nav_items": items,
        "can_use_admin": user.is_superuser or user.role in ADMIN_SITE_ROLES,
    }
