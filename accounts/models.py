from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from villages.choices import RegionLevel

# The level of region each role works at.
ROLE_LEVELS = {
    Role.TOWNSHIP_OFFICIAL: (RegionLevel.TOWNSHIP,),
    Role.COUNTY_REVIEWER: (RegionLevel.COUNTY,),
    Role.MENTOR: (RegionLevel.COUNTY, RegionLevel.TOWNSHIP),
    Role.CITY_STAFF: (RegionLevel.PROVINCE, RegionLevel.CITY),
}


class User(AbstractUser):
    """A portal user: one role, exercised within one region (its jurisdiction)."""

    name = models.CharField(_("name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.TOWNSHIP_OFFICIAL)
    jurisdiction = models.ForeignKey(
        "villages.Region",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The region this user works in; administrators may leave it empty."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    # Who changed a user's role, jurisdiction or activity, and what it was before (finding F12).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    def clean(self):
        super().clean()
        if self.role != Role.ADMINISTRATOR and self.jurisdiction_id is None:
            raise ValidationError(
                {"jurisdiction": _("Every role except administrator needs a jurisdiction.")}
            )
        expected = ROLE_LEVELS.get(self.role)
        if expected and self.jurisdiction_id and self.jurisdiction.level not in expected:
            raise ValidationError(
                {
                    "jurisdiction": _("A %(role)s works in a region of level %(levels)s.")
                    % {"role": self.get_role_display(), "levels": "/".join(str(lv.label) for lv in expected)}
                }
            )

    @property
    def is_township_official(self):
        return self.role == Role.TOWNSHIP_OFFICIAL

    @property
    def is_county_reviewer(self):
        return self.role == Role.COUNTY_REVIEWER

    @property
    def is_mentor(self):
        return self.role == Role.MENTOR

    @property
    def is_city_staff(self):
        return self.role == Role.CITY_STAFF

    @property
    def is_administrator(self):
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class FailedLogin(AccessAttempt):
    """Failed logins counted by django-axes for a user name at an address; at the limit, a lock.

    A proxy, so that administrators find it beside the users, under a Chinese name.
    """

    class Meta:
        proxy = True
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins and locks")

    def __str__(self):
        # django-axes names an attempt in English ("Attempted Access: …").
        return _("%(username)s from %(address)s") % {"username": self.username, "address": self.ip_address}
