"""The admin of training (registered on import by mentoring/admin/__init__.py): courses are the programme's,
kept by the city; enrolments and online hours change only through the portal's pages and import."""

from django import forms
from django.contrib import admin

from accounts.admin_site import JurisdictionAdmin, ReadOnlyInJurisdictionAdmin
from accounts.choices import Role
from mentoring.models import Course, Enrolment, OnlineLearning
from mentoring.services import training

R = Role
VIEW = {R.TOWNSHIP_OFFICIAL: {"view"}, R.COUNTY_REVIEWER: {"view"}, R.CITY_STAFF: {"view"}}


class CourseAdminForm(forms.ModelForm):
    """The training service's rules in the admin's form, so that a refusal reads as on the portal."""

    def clean(self):
        data = super().clean()
        if not self.errors:
            problems = training.course_problems(
                by=self.user, level=data["level"], cohort=data.get("cohort", "")
            )
            for name, message in problems.items():
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(Course)
class CourseAdmin(JurisdictionAdmin):
    """Every official reads the courses; the city (and the administrators) add and correct them here."""

    rights = VIEW | {R.CITY_STAFF: {"view", "add", "change"}}
    form = CourseAdminForm
    list_display = ("name", "organiser", "level", "cohort", "start_date", "end_date", "hours", "online")
    list_filter = ("level", "online")
    search_fields = ("name", "organiser", "cohort")
    exclude = ("created_by",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)
        return type(base.__name__, (base,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        training.course_save(by=request.user, course=obj)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyInJurisdictionAdmin):
    """Enrolments are made and completed on the course's page, through the training service."""

    rights = VIEW
    list_display = ("candidate", "course", "completed_on", "enrolled_by")
    list_filter = ("course__level",)
    list_select_related = ("candidate", "course", "enrolled_by")
    search_fields = ("candidate__name", "course__name", "course__cohort")
    raw_id_fields = ("candidate", "course", "enrolled_by")


@admin.register(OnlineLearning)
class OnlineLearningAdmin(ReadOnlyInJurisdictionAdmin):
    """Online hours come from the monthly import only."""

    rights = VIEW
    list_display = ("candidate", "month", "hours", "imported_by")
    list_select_related = ("candidate", "imported_by")
    search_fields = ("candidate__name",)
    raw_id_fields = ("candidate", "imported_by")
