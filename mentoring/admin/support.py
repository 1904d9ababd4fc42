"""The admin of support and contributions (registered on import by mentoring/admin/__init__.py).

City staff keep the policy catalogue here; support, projects, contributions and awards are entered on the
portal's pages through their services and are read-only here.
"""

from django.contrib import admin

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from accounts.choices import Role
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support

R = Role
VIEW, ADD, CHANGE = "view", "add", "change"
# The officials read the records of their region; nobody edits them here.
READ = {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}}
PERSON = ("candidate__village__region__parent",)


@admin.register(Policy)
class PolicyAdmin(JurisdictionAdmin):
    """City staff keep the catalogue; a policy is never deleted, only taken out of force."""

    rights = {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW, ADD, CHANGE}}
    list_display = ("name", "active")
    list_filter = ("active",)
    search_fields = ("name", "description")
    ordering = ("-active", "name")

    def has_delete_permission(self, request, obj=None):
        # Support already granted names its policy (PROTECT): out of force instead.
        return False


class _RecordAdmin(ReadOnlyInJurisdictionAdmin):
    rights = READ
    list_select_related = (*PERSON, "recorded_by")
    search_fields = ("candidate__name", "candidate__name_initials")
    date_hierarchy = "date"


@admin.register(Support)
class SupportAdmin(_RecordAdmin):
    list_display = ("date", "candidate", "kind", "policy", "amount", "area", "project", "granted_by")
    list_filter = ("kind",)
    list_select_related = (*PERSON, "recorded_by", "policy")
    search_fields = ("candidate__name", "candidate__name_initials", "granted_by", "project")


@admin.register(CollectiveProject)
class CollectiveProjectAdmin(_RecordAdmin):
    list_display = ("start_date", "name", "village", "candidate", "amount")
    list_select_related = (*PERSON, "recorded_by", "village__region")
    search_fields = ("name", "candidate__name", "village__region__name")
    date_hierarchy = "start_date"


@admin.register(Contribution)
class ContributionAdmin(_RecordAdmin):
    list_display = ("date", "candidate", "kind", "count")
    list_filter = ("kind",)


@admin.register(Award)
class AwardAdmin(_RecordAdmin):
    list_display = ("date", "candidate", "title", "level", "granted_by")
    list_filter = ("level",)
    search_fields = ("candidate__name", "candidate__name_initials", "title")
