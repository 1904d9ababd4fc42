"""Forms of mentoring: assigning a mentor, logging a visit, submitting and deciding an assessment."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.validators import normalize_text
from config.forms import PortalFilterSet, PortalForm, YearFilter, prepare_fields
from mentoring.choices import AssessmentState, Grade, MentorLevel, VisitForm
from mentoring.models import DIMENSIONS, Assessment, Mentor, MentoringVisit
from villages.codes import division_prefix

DATE = {"type": "date"}
QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4")), (0, _("Whole year"))]


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(mentor)s, %(unit)s · %(load)d mentees") % {
            "mentor": obj,
            "unit": obj.unit,
            "load": getattr(obj, "load", 0),
        }


class MentorAssignForm(PortalForm):
    """The county chooses the candidate's mentor among the active leaders of their township or county."""

    mentor = MentorChoiceField(label=_("Mentor"), queryset=Mentor.objects.none())

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class VisitEntryForm(PortalForm):
    """A mentoring visit as the mentor or the township writes it down."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    form = forms.ChoiceField(label=_("Form"), choices=VisitForm.choices)
    content = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=_("Problems raised"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day


def _score_field(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=Assessment._meta.get_field(name).verbose_name, min_value=0, max_value=20, help_text=_("0 to 20")
    )


class ScoresForm(PortalForm):
    """The five scores and the comments; the total and the grade follow from the scores."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DIMENSIONS:
            self.fields[name] = _score_field(name)
        self.fields["comments"] = forms.CharField(
            label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.order_fields([*self.field_order_first, *DIMENSIONS, "comments"])
        prepare_fields(self)

    field_order_first: tuple = ()

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name in DIMENSIONS}


class AssessmentEntryForm(ScoresForm):
    """The mentor's assessment of a mentee for a quarter or a year."""

    field_order_first = ("year", "quarter")

    def __init__(self, *args, period: tuple[int, int], **kwargs):
        kwargs.setdefault("initial", {}).update(year=period[0], quarter=period[1])
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=_("Year"), min_value=2000, max_value=timezone.localdate().year
        )
        self.fields["quarter"] = forms.TypedChoiceField(label=_("Period"), choices=QUARTERS, coerce=int)
        self.order_fields([*self.field_order_first, *DIMENSIONS, "comments"])
        prepare_fields(self)


class AssessmentDecisionForm(ScoresForm):
    """A decision on an assessment: the state the page showed, the button pressed, the opinion; for a
    resubmission the corrected scores."""

    def __init__(self, *args, assessment: Assessment, resubmitting: bool, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial["expected_state"] = assessment.state
        initial.update({name: getattr(assessment, name) for name in (*DIMENSIONS, "comments")})
        super().__init__(*args, **kwargs)
        self.fields["expected_state"] = forms.ChoiceField(
            choices=AssessmentState.choices, widget=forms.HiddenInput
        )
        self.fields["action"] = forms.ChoiceField(
            choices=[("confirm", ""), ("return", ""), ("resubmit", "")], widget=forms.HiddenInput
        )
        self.fields["opinion"] = forms.CharField(
            label=_("Opinion"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Required to return: say what the mentor should correct."),
        )
        if not resubmitting:
            for name in (*DIMENSIONS, "comments"):
                del self.fields[name]
        prepare_fields(self)


# Filters of the lists ----------------------------------------------------------------------------


class _RegionFilterSet(PortalFilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    region_path = "candidate__village__region__code"

    def filter_region(self, queryset, name, value):
        value = normalize_text(value)
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__startswith": division_prefix(value)})


class MentorFilter(_RegionFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or unit"))
    level = django_filters.ChoiceFilter(choices=MentorLevel.choices, label=_("Level"), empty_label=_("Any"))
    active = django_filters.BooleanFilter(label=_("Mentors now"))
    region_path = "region__code"

    class Meta:
        model = Mentor
        fields = []

    def filter_q(self, queryset, name, value):
        value = normalize_text(value)
        return queryset.filter(Q(name__icontains=value) | Q(unit__icontains=value)) if value else queryset


class VisitFilter(_RegionFilterSet):
    year = YearFilter(field_name="date", lookup_expr="year")
    form = django_filters.ChoiceFilter(choices=VisitForm.choices, label=_("Form"), empty_label=_("Any"))
    q = django_filters.CharFilter(field_name="candidate__name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = MentoringVisit
        fields = []


class AssessmentFilter(_RegionFilterSet):
    year = YearFilter()
    state = django_filters.ChoiceFilter(
        choices=AssessmentState.choices, label=_("State"), empty_label=_("Any")
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"), empty_label=_("Any"))
    q = django_filters.CharFilter(field_name="candidate__name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Assessment
        fields = []
