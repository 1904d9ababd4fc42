"""Contribution pages (DESIGN §6): collective-economy projects led, counted contributions (households
helped, service items, problems solved) and awards; each a list with its sums and export, and a page to
record one for a candidate. Every write goes through mentoring.services.contributions."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from config.db_router import reads_replica
from mentoring import permissions
from mentoring.exports_support import (
    award_export_rows,
    collective_project_export_rows,
    contribution_export_rows,
)
from mentoring.filters_support import AwardFilter, CollectiveProjectFilter, ContributionFilter
from mentoring.forms.contributions import AwardForm, CollectiveProjectForm, ContributionForm
from mentoring.selectors import contributions as selectors
from mentoring.services import contributions as services
from mentoring.tables_support import AwardTable, CollectiveProjectTable, ContributionTable
from mentoring.views import records
from villages.models import Village

# Collective-economy projects ------------------------------------------------------------------------


def _projects(request):
    return records.filtered(
        request, CollectiveProjectFilter, selectors.collective_project_list(user=request.user)
    )


@login_required
def collective_project_list(request):
    """Collective-economy projects led by people the user may see, by year started, region and leader."""
    filterset = _projects(request)
    return records.list_page(
        request,
        "mentoring/contributions/collective_project_list.html",
        filterset=filterset,
        table=CollectiveProjectTable(filterset.qs),
        totals=selectors.collective_project_totals(filterset.qs),
        tab="collective_projects",
    )


@login_required
@reads_replica
def collective_project_export(request):
    """The filtered project list as an Excel workbook, in the list's order."""
    return records.export(
        request,
        filterset=_projects(request),
        table_class=CollectiveProjectTable,
        rows=collective_project_export_rows,
        title=_("Collective-economy projects"),
        list_url="mentoring:collective_project_list",
    )


@login_required
def collective_project_create(request, pk):
    """The township or county of the candidate records a collective-economy project they lead."""
    villages = Village.objects.visible_to(request.user).select_related("region__parent").order_by("pk")
    return records.record_page(
        request,
        pk,
        may=permissions.can_record_contributions,
        form_class=CollectiveProjectForm,
        form_kwargs=lambda candidate: {"villages": villages, "candidate": candidate},
        record=lambda by, candidate, data: services.collective_project_record(
            by=by, candidate=candidate, **data
        ),
        done=_("The collective-economy project led by %(name)s was recorded."),
        page={"heading": _("Record a collective-economy project"), "submit": _("Save the project")},
    )


# Counted contributions --------------------------------------------------------------------------------


def _contributions(request):
    return records.filtered(request, ContributionFilter, selectors.contribution_list(user=request.user))


@login_required
def contribution_list(request):
    """Contributions of people the user may see, by kind, year, region and person, with their sums."""
    filterset = _contributions(request)
    return records.list_page(
        request,
        "mentoring/contributions/contribution_list.html",
        filterset=filterset,
        table=ContributionTable(filterset.qs),
        totals=selectors.contribution_totals(filterset.qs),
        tab="contributions",
    )


@login_required
@reads_replica
def contribution_export(request):
    """The filtered contribution list as an Excel workbook, in the list's order."""
    return records.export(
        request,
        filterset=_contributions(request),
        table_class=ContributionTable,
        rows=contribution_export_rows,
        title=_("Contributions"),
        list_url="mentoring:contribution_list",
    )


@login_required
def contribution_create(request, pk):
    """The township or county of the candidate records households helped, service items or problems solved."""
    return records.record_page(
        request,
        pk,
        may=permissions.can_record_contributions,
        form_class=ContributionForm,
        record=lambda by, candidate, data: services.contribution_record(by=by, candidate=candidate, **data),
        done=_("The contribution of %(name)s was recorded."),
        page={"heading": _("Record a contribution"), "submit": _("Save the contribution")},
    )


# Awards -----------------------------------------------------------------------------------------------


def _awards(request):
    return records.filtered(request, AwardFilter, selectors.award_list(user=request.user))


@login_required
def award_list(request):
    """Awards of people the user may see, by level, year, region and person, with the people awarded."""
    filterset = _awards(request)
    return records.list_page(
        request,
        "mentoring/contributions/award_list.html",
        filterset=filterset,
        table=AwardTable(filterset.qs),
        totals=selectors.award_totals(filterset.qs),
        tab="awards",
    )


@login_required
@reads_replica
def award_export(request):
    """The filtered award list as an Excel workbook, in the list's order."""
    return records.export(
        request,
        filterset=_awards(request),
        table_class=AwardTable,
        rows=award_export_rows,
        title=_("Awards"),
        list_url="mentoring:award_list",
    )


@login_required
def award_create(request, pk):
    """The township or county of the candidate records an award they received."""
    return records.record_page(
        request,
        pk,
        may=permissions.can_record_contributions,
        form_class=AwardForm,
        record=lambda by, candidate, data: services.award_record(by=by, candidate=candidate, **data),
        done=_("The award of %(name)s was recorded."),
        page={"heading": _("Record an award"), "submit": _("Save the award")},
    )
