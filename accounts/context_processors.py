from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ADMIN_SITE_ROLES
from reports.permissions import can_view_reports

# The portal's main menu: (label, URL name, URL prefix that marks it active).
NAVIGATION = [
    (_("Work queue"), "reports:home", "/"),
    (_("Dashboard"), "reports:dashboard", "/reports/"),
    (_("Candidates"), "candidates:candidate_list", "/candidates/"),
    (_("Mentoring"), "mentoring:home", "/mentoring/"),
    (_("Villages"), "villages:village_list", "/villages/"),
    (_("Dynamic management"), "reports:dynamic_management", "/reports/dynamic/"),
    (_("My background jobs"), "jobs:job_list", "/jobs/"),
]


def portal(request):
    """The menu and the user's role for every page; templates draw them without deciding anything."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = []
    # Pages whose menu item is active on that page only: the work queue and the dashboard sit above others.
    exact = {"/", "/reports/"}
    for label, name, prefix in NAVIGATION:
        if name == "reports:dashboard" and not can_view_reports(user):
            continue  # mentors have no dashboard (DESIGN §8)
        active = path == prefix if prefix in exact else path.startswith(prefix)
        items.append({"label": label, "url": reverse(name), "active": active})
    return {
        "nav_items": items,
        "can_use_admin": user.is_superuser or user.role in ADMIN_SITE_ROLES,
    }
