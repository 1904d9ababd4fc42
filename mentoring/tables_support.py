"""Columns of the support and contribution lists; what a row shows comes with the row (the selectors'
`select_related` and annotations), so any page costs the same queries."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.forms import field_label
from config.tables import PortalTable
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support
from mentoring.selectors.support import number
from mentoring.tables import PersonColumns

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
# Labels of their own where the model's word is shared with other models ("name", "title": a person's).
POLICY_NAME = _("Policy name")
PROJECT_NAME = _("Project name")
AWARD_TITLE = _("Name of the award")


class SupportTable(PersonColumns):
    date = tables.DateColumn(verbose_name=field_label(Support, "date"), format="Y-m-d")
    kind = tables.Column(verbose_name=field_label(Support, "kind"))
    policy = tables.Column(accessor="policy__name", verbose_name=field_label(Support, "policy"), default="—")
    amount = tables.Column(verbose_name=field_label(Support, "amount"), attrs=NUM, default="—")
    area = tables.Column(verbose_name=field_label(Support, "area"), attrs=NUM, default="—")
    project = tables.Column(verbose_name=field_label(Support, "project"), default="—")
    granted_by = tables.Column(verbose_name=field_label(Support, "granted_by"))

    class Meta:
        model = Support
        fields = []
        sequence = (
            "date",
            "candidate",
            "village",
            "township",
            "kind",
            "policy",
            "amount",
            "area",
            "project",
            "granted_by",
        )
        empty_text = _("No support matches these filters.")

    def render_amount(self, value):
        return number(value)

    def render_area(self, value):
        return number(value)


class PolicyTable(PortalTable):
    name = tables.Column(verbose_name=POLICY_NAME)
    description = tables.Column(verbose_name=field_label(Policy, "description"), orderable=False, default="—")
    active = tables.BooleanColumn(verbose_name=field_label(Policy, "active"))
    records = tables.Column(verbose_name=_("Support records"), attrs=NUM)

    class Meta:
        model = Policy
        fields = []
        sequence = ("name", "description", "active", "records")
        empty_text = _("No policy matches these filters.")


class CollectiveProjectTable(PortalTable):
    start_date = tables.DateColumn(verbose_name=field_label(CollectiveProject, "start_date"), format="Y-m-d")
    name = tables.Column(verbose_name=PROJECT_NAME)
    project_village = tables.Column(
        accessor="village__region__name",
        verbose_name=field_label(CollectiveProject, "village"),
        order_by=("village_id",),
    )
    project_township = tables.Column(
        accessor="village__region__parent__name", verbose_name=_("Township"), order_by=("village_id",)
    )
    candidate = tables.Column(
        accessor="candidate__name",
        verbose_name=field_label(CollectiveProject, "candidate"),
        linkify=lambda record: record.candidate.get_absolute_url(),
        order_by=("candidate__name_initials", "candidate__name"),
    )
    amount = tables.Column(verbose_name=field_label(CollectiveProject, "amount"), attrs=NUM)

    class Meta:
        model = CollectiveProject
        fields = []
        sequence = ("start_date", "name", "project_village", "project_township", "candidate", "amount")
        empty_text = _("No collective-economy project matches these filters.")

    def render_amount(self, value):
        return number(value)


class ContributionTable(PersonColumns):
    date = tables.DateColumn(verbose_name=field_label(Contribution, "date"), format="Y-m-d")
    kind = tables.Column(verbose_name=field_label(Contribution, "kind"))
    count = tables.Column(verbose_name=field_label(Contribution, "count"), attrs=NUM)
    note = tables.Column(verbose_name=field_label(Contribution, "note"), orderable=False, default="—")

    class Meta:
        model = Contribution
        fields = []
        sequence = ("date", "candidate", "village", "township", "kind", "count", "note")
        empty_text = _("No contribution matches these filters.")


class AwardTable(PersonColumns):
    date = tables.DateColumn(verbose_name=field_label(Award, "date"), format="Y-m-d")
    title = tables.Column(verbose_name=AWARD_TITLE)
    level = tables.Column(verbose_name=field_label(Award, "level"))
    granted_by = tables.Column(verbose_name=field_label(Award, "granted_by"), default="—")

    class Meta:
        model = Award
        fields = []
        sequence = ("date", "candidate", "village", "township", "title", "level", "granted_by")
        empty_text = _("No award matches these filters.")
