"""Forms of training: a new course, enrolling candidates, a completion, the online-learning upload and the
period of the online-learning page."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.forms.registry import explain_errors
from candidates.models import Candidate
from config.forms import PortalForm, PortalModelForm, field_label
from mentoring import online_import, permissions
from mentoring.models import Course, Enrolment

DATE = {"type": "date"}
MONTHS = [(str(n), f"{n:02d}") for n in range(1, 13)]


class CourseForm(PortalModelForm):
    """A course as the city, a county or a township enters it; the levels offered are the user's own."""

    class Meta:
        model = Course
        fields = ["name", "organiser", "level", "cohort", "start_date", "end_date", "hours", "online"]
        labels = {"name": _("Course name")}
        widgets = {
            "start_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = permissions.course_levels(user)
        field = self.fields["level"]
        field.choices = [(value, label) for value, label in field.choices if value in levels]
        if len(levels) == 1:
            field.initial = levels[0]
        explain_errors(self)

    def service_kwargs(self) -> dict:
        """The course as `training.course_create` takes it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CandidateSearchForm(PortalForm):
    """Whom to look for among the people one may enrol: a name, pinyin initials or ID digits."""

    q = forms.CharField(
        label=_("Name, pinyin initials, last 4–6 digits or whole ID card number"),
        required=False,
        max_length=50,
    )


class CandidatesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EnrolForm(PortalForm):
    """The people chosen on the enrolment page, among `choices` (those the user may enrol in the course)."""

    candidates = CandidatesChoiceField(
        label=_("Candidates"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one person."),
            "invalid_choice": _("One of the people ticked can no longer be enrolled; search again."),
            "invalid_pk_value": _("One of the people ticked can no longer be enrolled; search again."),
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = choices


class CompletionForm(PortalForm):
    """The day a candidate completed a course."""

    completed_on = forms.DateField(
        label=field_label(Enrolment, "completed_on"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        today = timezone.localdate()
        initial = enrolment.completed_on or min(enrolment.course.end_date, today)
        kwargs.setdefault("initial", {}).setdefault("completed_on", initial)
        super().__init__(*args, **kwargs)
        explain_errors(self)


class HoursUploadForm(PortalForm):
    """The file of online-learning hours; refused here if it is not an .xlsx or CSV within the size limit."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        online_import.read_hours_upload(uploaded)
        return uploaded


class PeriodForm(PortalForm):
    """The period of the online-learning page: a year, or one month of it."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", _("Whole year")), *MONTHS],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, data, *, default_year: int, **kwargs):
        data = data.copy()
        if not data.get("year"):
            data["year"] = str(default_year)
        super().__init__(data, **kwargs)

    def period(self, default_year: int) -> tuple[int, int | None]:
        """(year, month or None): the form's if valid, else the default year."""
        if self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["month"]
        return default_year, None


def month_label(year: int, month: int | None) -> str:
    """2025 or 2025-03, as the page and its export title name the period."""
    return f"{datetime.date(year, month, 1):%Y-%m}" if month else str(year)
