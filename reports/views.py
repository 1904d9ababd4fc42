import django_tables2 as tables
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from candidates.choices import EliminationReason, Stage
from candidates.models import Candidate
from reports import selectors
from villages.selectors import focus_region, region_breadcrumbs


@login_required
def home(request):
    """The work queue: what awaits the user in their jurisdiction, each item a link to act on it."""
    return render(request, "reports/home.html", {"queue": selectors.work_queue(user=request.user)})


class _ChoiceColumn(tables.Column):
    """A stored choice value shown by its label."""

    def __init__(self, labels: dict, **kwargs):
        super().__init__(**kwargs)
        self.labels = labels

    def render(self, value):
        return self.labels.get(value, value)


class DynamicGroupTable(tables.Table):
    """The people of one group of dynamic management; the date and outcome come from the selector."""

    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name_initials", "name"))
    village = tables.Column(
        accessor="village__region__name", verbose_name=_("Village"), order_by=("village__region__name",)
    )
    township = tables.Column(
        accessor="village__region__parent__name", verbose_name=_("Township"), order_by=("village_id",)
    )
    stage = tables.Column(verbose_name=_("Stage"), default="—")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Candidate
        fields = []
        empty_text = _("Nobody in this group.")

    def __init__(self, data, *, group: str, **kwargs):
        extra = [
            ("group_date", tables.DateColumn(format="Y-m-d", verbose_name=selectors.GROUP_DATE_LABELS[group]))
        ]
        # Only promotions and eliminations have an outcome to show: the rung reached, the reason.
        outcomes = {"promoted": (_("Promoted to"), Stage), "eliminated": (_("Reason"), EliminationReason)}
        if group in outcomes:
            label, choices = outcomes[group]
            extra.append(("group_outcome", _ChoiceColumn(dict(choices.choices), verbose_name=label)))
        super().__init__(data, extra_columns=extra, **kwargs)


def _year(value: str | None, years: list[int]) -> int:
    """The year asked for, if it is one the report can show; else last year (`years` is newest first)."""
    default = years[1]
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if selectors.FIRST_YEAR <= year <= years[0] else default


@login_required
def dynamic_management(request):
    """The five groups of dynamic management (五个一批) for a region and a year, each with its people."""
    code = request.GET.get("region")
    region = focus_region(user=request.user, code=code)
    if code and region is None:
        raise Http404
    years = selectors.dynamic_years(user=request.user, region=region)
    year = _year(request.GET.get("year"), years)
    groups = selectors.dynamic_groups(user=request.user, region=region, year=year)
    group = request.GET.get("group")
    table = None
    if group in selectors.GROUPS:
        table = DynamicGroupTable(groups.people(group), group=group)
        RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return render(
        request,
        "reports/dynamic_management.html",
        {
            "groups": groups,
            "region": region,
            "year": year,
            "years": years,
            "cards": [
                {
                    "key": key,
                    "label": selectors.GROUP_LABELS[key],
                    "definition": selectors.GROUP_DEFINITIONS[key],
                    "count": count,
                }
                for key, count in groups.total.cells
            ],
            "group_labels": [selectors.GROUP_LABELS[key] for key in selectors.GROUPS],
            "group": group if table is not None else "",
            "group_label": selectors.GROUP_LABELS.get(group, ""),
            "table": table,
            "breadcrumbs": region_breadcrumbs(region=region, user=request.user) if region else [],
        },
    )
