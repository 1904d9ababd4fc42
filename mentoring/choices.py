from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorLevel(models.TextChoices):
    COUNTY = "county", _("County leader")
    TOWNSHIP = "township", _("Township leader")
