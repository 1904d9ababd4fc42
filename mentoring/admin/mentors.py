"""The admin of mentors, assignments, visits and assessments."""

from django.contrib import admin

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from accounts.choices import Role
from mentoring.models import Assessment, Mentor, MentorAssignment, MentoringVisit

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
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_administrator else (*readonly, "user")


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(ReadOnlyInJurisdictionAdmin):
    """Assignments change through the mentoring service (filing, reassignment, a leader leaving)."""

    rights = {R.TOWNSHIP_OFFICIAL: {"view"}, R.COUNTY_REVIEWER: {"view"}, R.CITY_STAFF: {"view"}}
    list_display = ("candidate", "mentor", "start_date", "end_date")
    list_select_related = ("candidate", "mentor")
    raw_id_fields = ("candidate", "mentor", "assigned_by")
    search_fields = ("candidate__name", "mentor__name")


@admin.register(MentoringVisit)
class MentoringVisitAdmin(ReadOnlyInJurisdictionAdmin):
    """Visits are logged on the candidate's page by the mentor or the township."""

    rights = {R.TOWNSHIP_OFFICIAL: {"view"}, R.COUNTY_REVIEWER: {"view"}, R.CITY_STAFF: {"view"}}
    list_display = ("date", "candidate", "form", "mentor", "recorded_by")
    list_filter = ("form",)
    list_select_related = ("candidate", "mentor", "recorded_by")
    raw_id_fields = ("candidate", "mentor", "recorded_by")
    search_fields = ("candidate__name",)
    date_hierarchy = "date"


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyInJurisdictionAdmin):
    """Assessments are submitted by the mentor and decided by the county on the portal's pages."""

    rights = {R.TOWNSHIP_OFFICIAL: {"view"}, R.COUNTY_REVIEWER: {"view"}, R.CITY_STAFF: {"view"}}
    list_display = ("candidate", "year", "quarter", "total", "grade", "state", "mentor")
    list_filter = ("state", "grade", "year")
    list_select_related = ("candidate", "mentor")
    raw_id_fields = ("candidate", "mentor", "submitted_by", "decided_by")
    search_fields = ("candidate__name",)
