"""The candidate list as a spreadsheet: its columns, beside the export itself."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from candidates.models import Candidate, Certification
from candidates.workflow import STEPS
from config.forms import field_label
from reports.exports import column_rows


def _export_columns():
    def show(name):
        return lambda c: getattr(c, f"get_{name}_display")() if getattr(c, name) else ""

    def step(c):
        return f"{c.current_step} {STEPS[c.current_step].label}" if c.current_step else ""

    return [
        (field_label(Candidate, "name"), lambda c: c.name),
        (field_label(Candidate, "gender"), show("gender")),
        (_("Age"), lambda c: c.age),
        (field_label(Candidate, "ethnicity"), lambda c: c.ethnicity),
        (field_label(Candidate, "id_number"), lambda c: c.masked_id_number),
        (field_label(Candidate, "phone"), lambda c: c.masked_phone),
        (field_label(Candidate, "education"), show("education")),
        (field_label(Candidate, "political_status"), show("political_status")),
        (field_label(Candidate, "source"), show("source")),
        (_("County/district"), lambda c: c.village.region.parent.parent.name),
        (_("Township"), lambda c: c.village.region.parent.name),
        (_("Village"), lambda c: c.village.region.name),
        (_("Division code"), lambda c: c.village_id),
        (field_label(Candidate, "industry"), lambda c: c.industry),
        (field_label(Candidate, "household_income"), lambda c: c.household_income),
        (field_label(Candidate, "stage"), show("stage")),
        (field_label(Candidate, "status"), show("status")),
        (field_label(Candidate, "tier"), show("tier")),
        (_("Current step"), step),
        (field_label(Certification, "step_due_on"), lambda c: c.current_step_due_on),
        (_("Overdue"), lambda c: _("Yes") if c.step_overdue else ""),
    ]


def candidate_export_rows(candidates) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the candidate export: what the list shows and more, ID numbers and phones masked.

    `candidates` come from `candidate_list`, which fetches everything a row needs.
    """
    return column_rows(_export_columns(), candidates)
