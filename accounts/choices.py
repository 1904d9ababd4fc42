from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TOWNSHIP_OFFICIAL = "township_official", _("Township official")
    COUNTY_REVIEWER = "county_reviewer", _("County reviewer")
    MENTOR = "mentor", _("Mentor")
    CITY_STAFF = "city_staff", _("City staff")
    ADMINISTRATOR = "administrator", _("Administrator")
