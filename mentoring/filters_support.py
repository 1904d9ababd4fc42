"""Filters of the support and contribution lists, for each list page and its export alike.

Each narrows a queryset that its selector has already scoped to the user (`visible_to`).
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.validators import full_id_number, normalize_text
from config.forms import EARLIEST_DATE, LATEST_DATE, PortalFilterSet
from mentoring.choices import AwardLevel, ContributionKind, SupportKind
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support
from villages.codes import division_prefix


def _year(value) -> int | None:
    """`value` as a year the portal may record, or None."""
    value = normalize_text(value)
    if not (value.isascii() and value.isdigit()):
        return None
    year = int(value)
    return year if EARLIEST_DATE.year <= year <= LATEST_DATE.year else None


class RecordFilter(PortalFilterSet):
    """What every list of dated records about people filters by: the year, the region of the person's
    village, and the person (DESIGN §9 `q`: name, pinyin initials, the last 4–6 digits or a whole ID
    card number, whose search the view logs)."""

    # The date the year filter reads.
    date_field = "date"

    year = django_filters.ChoiceFilter(method="filter_year", label=_("Year"), empty_label=_("All years"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    q = django_filters.CharFilter(
        method="filter_q", label=_("Name, pinyin initials, last 4–6 digits or whole ID card number")
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # A list's own filter (kind, level) first, then the year, the region and the person.
        shared = [name for name in self.filters if name in RecordFilter.base_filters]
        own = [name for name in self.filters if name not in RecordFilter.base_filters]
        self.filters = {name: self.filters[name] for name in own + shared}
        # The years that have records (one query on the scoped set), this year, and the year asked for:
        # a year without records shows an empty list, never the unfiltered one.
        years = {day.year for day in self.queryset.order_by().dates(self.date_field, "year")}
        years.add(timezone.localdate().year)
        asked = _year(self.data.get("year"))
        if asked is not None:
            years.add(asked)
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def filter_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__year": int(value)})

    def filter_region(self, queryset, name, value):
        value = normalize_text(value)
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(candidate__village__region__code__startswith=division_prefix(value))

    def filter_q(self, queryset, name, value):
        if not normalize_text(value):
            return queryset
        return queryset.filter(candidate__in=Candidate.objects.matching(value))

    @property
    def searched_full_id_number(self) -> bool:
        """Whether `q` is a whole ID card number: the view logs such a search."""
        return self.is_bound and bool(full_id_number(self.data.get("q") or ""))


class SupportFilter(RecordFilter):
    kind = django_filters.ChoiceFilter(choices=SupportKind.choices, label=_("Kind"), empty_label=_("Any"))

    class Meta:
        model = Support
        fields = []


class CollectiveProjectFilter(RecordFilter):
    date_field = "start_date"

    class Meta:
        model = CollectiveProject
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].label = _("Year started")


class ContributionFilter(RecordFilter):
    kind = django_filters.ChoiceFilter(
        choices=ContributionKind.choices, label=_("Kind"), empty_label=_("Any")
    )

    class Meta:
        model = Contribution
        fields = []


class AwardFilter(RecordFilter):
    level = django_filters.ChoiceFilter(choices=AwardLevel.choices, label=_("Level"), empty_label=_("Any"))

    class Meta:
        model = Award
        fields = []


class PolicyFilter(PortalFilterSet):
    """The catalogue: by name, in force or not."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Policy name"))
    active = django_filters.ChoiceFilter(
        choices=[("1", _("In force")), ("0", _("No longer in force"))],
        method="filter_active",
        label=_("In force"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Policy
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "1")
