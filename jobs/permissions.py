"""Who may ask for which background job (DESIGN §8). A job's own pages are its owner's (`visible_to`)."""

from accounts.choices import Role

# Roles that print registration forms of their lists: the offices that keep the paper files.
FORM_PRINTING_ROLES = {Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER, Role.CITY_STAFF}


def can_print_forms(user) -> bool:
    """Ask for the registration forms of a filtered candidate list as one zip of PDFs."""
    return user.is_authenticated and user.role in FORM_PRINTING_ROLES
