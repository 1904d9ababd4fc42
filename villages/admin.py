from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, Reserve, StarRating, Village
from villages.permissions import ADMIN_RIGHTS


@admin.register(Region)
class RegionAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["region"]
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)


@admin.register(Village)
class VillageAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["village"]
    list_display = ("code", "name", "households", "population", "party_members", "leading_industries")
    search_fields = ("region__code", "region__name", "leading_industries")
    list_select_related = ("region",)

    @admin.display(description=_("Division code"), ordering="region_id")
    def code(self, obj):
        return obj.region_id

    @admin.display(description=_("Village"), ordering="region__name")
    def name(self, obj):
        return obj.region.name

    def get_readonly_fields(self, request, obj=None):
        # The division code is the identity of a village; it is set when the village is created.
        return ("region",) if obj else ()


@admin.register(StarRating)
class StarRatingAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["starrating"]
    list_display = ("village", "year", "stars")
    list_filter = ("year", "stars")
    search_fields = ("village__region__name", "village__region__code")
    list_select_related = ("village__region",)
    autocomplete_fields = ("village",)
    exclude = ("rated_by",)

    def save_model(self, request, obj, form, change):
        obj.rated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["committeeseat"]
    list_display = ("village", "position", "holder", "is_wealth_creator", "term_start", "term_end")
    list_filter = ("position", "is_wealth_creator")
    search_fields = ("holder_name", "candidate__name", "village__region__name", "village__region__code")
    list_select_related = ("village__region", "candidate")

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return obj.holder

    autocomplete_fields = ("village", "candidate")


@admin.register(Reserve)
class ReserveAdmin(ReadOnlyInJurisdictionAdmin):
    """Reserves are proposed and decided on the village's page, through the reserve service."""

    rights = ADMIN_RIGHTS["reserve"]
    list_display = ("village", "kind", "status", "designated_on", "removed_on")
    list_filter = ("kind", "status")
    search_fields = ("village__region__name", "village__region__code", "candidate__name")
    list_select_related = ("village__region", "candidate")
    autocomplete_fields = ("village", "candidate")


@admin.register(Agency)
class AgencyAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["agency"]
    list_display = ("name", "city")
    search_fields = ("name",)
    list_select_related = ("city",)


@admin.register(AgencyBranch)
class AgencyBranchAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["agencybranch"]
    list_display = ("name", "agency")
    search_fields = ("name", "agency__name")
    list_select_related = ("agency",)


@admin.register(Pairing)
class PairingAdmin(JurisdictionAdmin):
    rights = ADMIN_RIGHTS["pairing"]
    list_display = ("village", "branch", "start_date", "end_date")
    search_fields = ("village__region__name", "branch__name", "branch__agency__name")
    list_select_related = ("village__region", "branch__agency")
    autocomplete_fields = ("village", "branch")
