import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.forms import PortalFilterSet
from villages.codes import division_prefix
from villages.models import Village

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class VillageFilter(PortalFilterSet):
    """Filters of the village list; the queryset it narrows is already scoped to the user."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name or code"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    stars = django_filters.ChoiceFilter(
        method="filter_stars",
        label=_("Star rating"),
        choices=[(str(n), _("%(n)s stars or more") % {"n": n}) for n in (5, 4, 3, 2)],
        empty_label=_("Any"),
    )
    industry = django_filters.CharFilter(
        field_name="leading_industries", lookup_expr="icontains", label=_("Leading industry")
    )
    meets_reserve_target = django_filters.ChoiceFilter(
        method="filter_boolean_annotation",
        choices=YES_NO,
        label=_("Meets reserve target"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Village
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(region__code__startswith=value)
        return queryset.filter(Q(region__name__icontains=value) | Q(leading_industries__icontains=value))

    def filter_region(self, queryset, name, value):
        value = value.strip()
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(region__code__startswith=division_prefix(value))

    def filter_stars(self, queryset, name, value):
        return queryset.filter(stars__gte=int(value))

    def filter_boolean_annotation(self, queryset, name, value):
        return queryset.filter(**{name: value == "1"})
