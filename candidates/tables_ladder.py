"""Columns of the elimination list."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candidates.models import Elimination
from config.tables import PortalTable


def _who_and_when(user, at):
    day = date_format(timezone.localtime(at), "Y-m-d")
    return format_html('{}<br><small class="text-body-secondary">{}</small>', user, day)


STATE_BADGES = {"proposed": "text-bg-warning", "approved": "text-bg-secondary", "refused": "text-bg-success"}


class EliminationTable(PortalTable):
    """One elimination a row; what a row shows comes with it (`select_related` in the view)."""

    name = tables.Column(
        accessor="candidate__name",
        verbose_name=_("Name"),
        linkify=lambda record: record.candidate.get_absolute_url(),
        order_by=("candidate__name_initials", "candidate__name"),
    )
    village = tables.Column(
        accessor="candidate__village__region__name",
        verbose_name=_("Village"),
        order_by=("candidate__village__region__name",),
    )
    township = tables.Column(
        accessor="candidate__village__region__parent__name",
        verbose_name=_("Township"),
        order_by=("candidate__village_id",),
    )
    reason = tables.Column(verbose_name=_("Reason for the elimination"))
    proposed = tables.Column(accessor="proposed_at", verbose_name=_("Proposed by"), order_by=("proposed_at",))
    decided = tables.Column(
        accessor="decided_at", verbose_name=_("Decided by"), order_by=("decided_at",), default="—"
    )
    state = tables.Column(verbose_name=_("State"), linkify=True)

    class Meta:
        model = Elimination
        fields = []
        sequence = ("name", "village", "township", "reason", "proposed", "decided", "state")
        empty_text = _("No elimination matches these filters.")

    def render_proposed(self, value, record):
        return _who_and_when(record.proposed_by, value)

    def render_decided(self, value, record):
        return _who_and_when(record.decided_by, value)

    def render_state(self, value, record):
        return format_html('<span class="badge {}">{}</span>', STATE_BADGES.get(record.state, ""), value)
