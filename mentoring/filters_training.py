"""Filters of the training lists: courses, the university cohorts' trainees, online-learning hours; the same
query string for a list and its export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.validators import full_id_number, normalize_text
from config.forms import PortalFilterSet, YearFilter
from mentoring.choices import CourseLevel
from mentoring.models import Course, Enrolment
from villages.codes import division_prefix

SEARCH_LABEL = _("Name, pinyin initials, last 4–6 digits or whole ID card number")


def _year_filter(label=None):
    return YearFilter(method="filter_year", label=label or _("Year"))


def _running_in(queryset, year, prefix: str = ""):
    """Courses (or rows of courses, through `prefix`) that run during `year`."""
    return queryset.filter(**{f"{prefix}start_date__year__lte": year, f"{prefix}end_date__year__gte": year})


class _PeopleFilterSet(PortalFilterSet):
    """What the lists of people share: `q` as the candidate list reads it, and `region`."""

    q = django_filters.CharFilter(method="filter_q", label=SEARCH_LABEL)
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    # The lookup from a row to its person ("" for a candidate).
    person_path = ""

    def _path(self, name: str) -> str:
        return f"{self.person_path}__{name}" if self.person_path else name

    def filter_q(self, queryset, name, value):
        if not self.person_path:
            return queryset.matching(value)
        return queryset.filter(**{f"{self.person_path}__in": Candidate.objects.matching(value).values("pk")})

    def filter_region(self, queryset, name, value):
        value = normalize_text(value)
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(
            **{f"{self._path('village__region__code')}__startswith": division_prefix(value)}
        )

    @property
    def searched_full_id_number(self) -> bool:
        """Whether `q` is a whole ID card number: the view logs such a search."""
        return self.is_bound and bool(full_id_number(self.data.get("q") or ""))

    @property
    def region_code(self) -> str | None:
        """The region asked for, when it is a valid 12-digit code."""
        value = normalize_text(self.data.get("region") or "") if self.is_bound else ""
        return value if len(value) == 12 and value.isdigit() else None


class CourseFilter(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name, organiser or cohort"))
    level = django_filters.ChoiceFilter(choices=CourseLevel.choices, label=_("Level"), empty_label=_("Any"))
    year = _year_filter(_("Running in"))
    online = django_filters.ChoiceFilter(
        method="filter_online",
        choices=[("1", _("Online")), ("0", _("Face-to-face"))],
        label=_("Online"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Course
        fields = []

    def filter_q(self, queryset, name, value):
        value = normalize_text(value)
        return queryset.filter(
            Q(name__icontains=value) | Q(organiser__icontains=value) | Q(cohort__icontains=value)
        )

    def filter_year(self, queryset, name, value):
        return _running_in(queryset, int(value))

    def filter_online(self, queryset, name, value):
        return queryset.filter(online=value == "1")


class TraineeFilter(_PeopleFilterSet):
    """The trainees of the university cohorts: by cohort, by the year their class ran, by person or region."""

    cohort = django_filters.ChoiceFilter(
        field_name="course__cohort", choices=[], label=_("Cohort"), empty_label=_("Any")
    )
    year = _year_filter()
    completed = django_filters.ChoiceFilter(
        method="filter_completed",
        choices=[("1", _("Completed")), ("0", _("Not completed"))],
        label=_("Completion"),
        empty_label=_("Any"),
    )
    person_path = "candidate"

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = Course.objects.university().exclude(cohort="").order_by("-cohort")
        self.filters["cohort"].extra["choices"] = [
            (c, c) for c in cohorts.values_list("cohort", flat=True).distinct()
        ]

    def filter_year(self, queryset, name, value):
        return _running_in(queryset, int(value), "course__")

    def filter_completed(self, queryset, name, value):
        return queryset.filter(completed_on__isnull=value != "1")


class OnlineLearningFilter(_PeopleFilterSet):
    """The people of the online-learning page (its period is the PeriodForm's): who, where, used or not."""

    used = django_filters.ChoiceFilter(
        method="filter_used",
        choices=[("1", _("Learned online")), ("0", _("No hours"))],
        label=_("Use"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Candidate
        fields = []

    def filter_used(self, queryset, name, value):
        return queryset.filter(hours__gt=0) if value == "1" else queryset.filter(hours__lte=0)
