"""Strings of Django and of the third-party apps that their own zh-hans catalogues lack.

Named here so that `makemessages` keeps them in the portal's catalogue, which Django reads before any
app's: the pages then show them in Chinese (tests/test_page_language.py finds the ones a page shows).
Nothing imports this module; like config/forms.py's BLANK_CHOICE_LABEL, it only names the messages.
"""

from django.utils.translation import gettext_lazy as _

MISSING_FROM_THEIR_CATALOGUES = (
    # Django 6.1's admin: the label of a changelist's date hierarchy (admin/date_hierarchy.html).
    _("Filter by %(field_name)s"),
    # django-simple-history: the column of what changed, on a record's history page.
    _("Changes"),
    # django-axes (no zh-hans catalogue): the fields of a failed login, in the admin's "failed logins".
    _("Username"),
    _("IP Address"),
    _("User Agent"),
    _("Path"),
    _("Attempt Time"),
    _("Failed Logins"),
    _("HTTP Accept"),
    _("GET Data"),
    _("POST Data"),
)
