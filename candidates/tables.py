import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.workflow import STEPS
from config.tables import PortalTable


class PersonTable(PortalTable):
    """The columns every list of people starts with: who, where, and where they stand."""

    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name_initials", "name", "pk"))
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


class CandidateTable(PersonTable):
    """Columns of the candidate list; the current step comes from annotations of `candidate_list`."""

    gender = tables.Column(verbose_name=_("Gender"))
    # Younger first when sorted ascending by age means later birth dates first.
    age = tables.Column(verbose_name=_("Age"), accessor="age", order_by=("-birth_date",))
    current_step = tables.Column(verbose_name=_("Current step"), default="—", order_by=("current_step",))
    id_number = tables.Column(accessor="masked_id_number", verbose_name=_("ID card number"), orderable=False)
    phone = tables.Column(accessor="masked_phone", verbose_name=_("Mobile phone"), orderable=False)
    source = tables.Column(verbose_name=_("Source"))
    industry = tables.Column(verbose_name=_("Industry"), default="—")

    class Meta:
        model = Candidate
        fields = []
        sequence = (
            "name",
            "gender",
            "age",
            "village",
            "township",
            "stage",
            "status",
            "current_step",
            "id_number",
            "phone",
            "source",
            "industry",
        )
        empty_text = _("No candidate matches these filters.")

    def render_current_step(self, value, record):
        url = reverse("candidates:certification_detail", args=[record.current_certification_id])
        label = f"{value} {STEPS[value].label}"
        if record.step_overdue:
            return format_html(
                '<a href="{}">{}</a> <span class="badge text-bg-danger">{}</span>', url, label, _("Overdue")
            )
        return format_html('<a href="{}">{}</a>', url, label)
