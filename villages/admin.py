from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from villages import services
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

    def get_readonly_fields(self, request, obj=None):
        # The division code is the region's key: changed in a form, Django would save a copy under the
        # new code and leave the old one with its villages.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "code") if obj else readonly


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
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "region") if obj else readonly


@admin.register(StarRating)
class StarRatingAdmin(JurisdictionAdmin):
    """Star ratings, saved by the county through `star_rating_record`."""

    rights = ADMIN_RIGHTS["starrating"]
    list_display = ("village", "year", "stars")
    list_filter = ("year", "stars")
    search_fields = ("village__region__name", "village__region__code")
    list_select_related = ("village__region",)
    autocomplete_fields = ("village",)
    exclude = ("rated_by",)

    def get_readonly_fields(self, request, obj=None):
        # A rating is of one village for one year; a new year is a new rating.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "village", "year") if obj else readonly

    def save_model(self, request, obj, form, change):
        saved = services.star_rating_record(
            by=request.user, village=obj.village, year=obj.year, stars=obj.stars
        )
        obj.pk = saved.pk


class CommitteeSeatAdminForm(forms.ModelForm):
    """The seat service's rules in the admin's form, so that a refusal reads as on the village page."""

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.instance.pk is None:
            problems = services.committee_seat_problems(by=self.user, **self.seat())
        elif data.get("term_end") and data["term_end"] != self.instance.term_end:
            problem = services.committee_seat_end_problem(seat=self.instance, term_end=data["term_end"])
            problems = {"term_end": problem} if problem else {}
        else:
            problems = {}
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return data

    def seat(self) -> dict:
        """The new seat as the seat service takes it."""
        data = self.cleaned_data
        return {
            "village": data["village"],
            "position": data["position"],
            "term_start": data["term_start"],
            "term_end": data.get("term_end"),
            "candidate": data.get("candidate"),
            "holder_name": data.get("holder_name") or "",
        }


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(JurisdictionAdmin):
    """Seats are entered through `committee_seat_create`; afterwards only the end of the term changes,
    through `committee_seat_end` (a seat is never deleted)."""

    rights = ADMIN_RIGHTS["committeeseat"]
    form = CommitteeSeatAdminForm
    list_display = ("village", "position", "holder", "is_wealth_creator", "term_start", "term_end")
    list_filter = ("position", "is_wealth_creator")
    search_fields = ("holder_name", "candidate__name", "village__region__name", "village__region__code")
    list_select_related = ("village__region", "candidate")
    autocomplete_fields = ("village", "candidate")

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return obj.holder

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        fixed = ("village", "position", "holder_name", "candidate", "is_wealth_creator", "term_start")
        return (*readonly, *fixed) if obj else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)
        return type(base.__name__, (base,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if obj.term_end and obj.term_end != form.initial.get("term_end"):
                services.committee_seat_end(by=request.user, seat=obj, term_end=obj.term_end)
            return
        seat = services.committee_seat_create(
            by=request.user, is_wealth_creator=data.get("is_wealth_creator", False), **form.seat()
        )
        obj.pk = seat.pk


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
