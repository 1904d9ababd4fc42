"""Support pages (扶持): the support list with its totals and export, the policy catalogue, and recording
the support a candidate received. Every write goes through mentoring.services.support."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from config.db_router import reads_replica
from mentoring import permissions
from mentoring.exports_support import policy_export_rows, support_export_rows
from mentoring.filters_support import PolicyFilter, SupportFilter
from mentoring.forms.support import SupportForm
from mentoring.selectors import support as selectors
from mentoring.services.support import support_record
from mentoring.tables_support import PolicyTable, SupportTable
from mentoring.views import records


def _support(request):
    return records.filtered(request, SupportFilter, selectors.support_list(user=request.user))


@login_required
def support_list(request):
    """Support the user may see, by kind, year, region and person, with what the rows add up to."""
    filterset = _support(request)
    return records.list_page(
        request,
        "mentoring/support/support_list.html",
        filterset=filterset,
        table=SupportTable(filterset.qs),
        totals=selectors.support_totals(filterset.qs),
        tab="support",
    )


@login_required
@reads_replica
def support_export(request):
    """The filtered support list as an Excel workbook, in the list's order."""
    return records.export(
        request,
        filterset=_support(request),
        table_class=SupportTable,
        rows=support_export_rows,
        title=_("Support"),
        list_url="mentoring:support_list",
    )


@login_required
def support_create(request, pk):
    """The township or county of the candidate records support they received."""
    return records.record_page(
        request,
        pk,
        may=permissions.can_record_support,
        form_class=SupportForm,
        record=lambda by, candidate, data: support_record(by=by, candidate=candidate, **data),
        done=_("The support of %(name)s was recorded."),
        page={"heading": _("Record support"), "submit": _("Save the support")},
    )


def _policies(request):
    return PolicyFilter(request.GET, queryset=selectors.policy_list(user=request.user))


@login_required
def policy_list(request):
    """The policy catalogue, read-only for everyone signed in; city staff keep it in the admin."""
    filterset = _policies(request)
    return records.list_page(
        request,
        "mentoring/support/policy_list.html",
        filterset=filterset,
        table=PolicyTable(filterset.qs),
        can_edit=permissions.can_edit_policies(request.user),
        tab="policies",
    )


@login_required
@reads_replica
def policy_export(request):
    """The filtered catalogue as an Excel workbook."""
    return records.export(
        request,
        filterset=_policies(request),
        table_class=PolicyTable,
        rows=policy_export_rows,
        title=_("Support policies"),
        list_url="mentoring:policy_list",
    )
