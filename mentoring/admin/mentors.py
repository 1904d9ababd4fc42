from django.contrib import admin

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from accounts.choices import Role
from mentoring.models import Mentor, MentorAssignment

R = Role


@admin.register(Mentor)
class MentorAdmin(JurisdictionAdmin):
    """The county keeps its list of leaders who mentor."""

    rights = {
        R.TOWNSHIP_OFFICIAL: {"view"},
        R.COUNTY_REVIEWER: {"view", "add", "change"},
        R.CITY_STAFF: {"view"},
    }
    list_display = ("name", "title", "unit", "level", "region")
    list_filter = ("level",)
    search_fields = ("name", "unit", "region__name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)

    def get_readonly_fields(self, request, obj=None):
        # Linking a portal account means choosing among all users: administrators only.
        return () if request.user.is_administrator else ("user",)


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(ReadOnlyInJurisdictionAdmin):
    """Assignments change through the mentoring service (filing, reassignment), not here."""

    rights = {R.TOWNSHIP_OFFICIAL: {"view"}, R.COUNTY_REVIEWER: {"view"}, R.CITY_STAFF: {"view"}}
    list_display = ("candidate", "mentor", "start_date", "end_date")
    list_select_related = ("candidate", "mentor")
    raw_id_fields = ("candidate", "mentor", "assigned_by")
    search_fields = ("candidate__name", "mentor__name")
