"""The lists of people as spreadsheets (candidates, eliminations, any list of people): their columns,
beside the export itself; ID numbers and phones always masked."""

from collections.abc import Iterator, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate, Certification, Elimination
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


def _person_columns(person_of) -> list:
    """Who a record is about, ID number and phone masked, and where they live."""
    return [
        (_("Name"), lambda r: person_of(r).name),
        (field_label(Candidate, "gender"), lambda r: person_of(r).get_gender_display()),
        (field_label(Candidate, "id_number"), lambda r: person_of(r).masked_id_number),
        (field_label(Candidate, "phone"), lambda r: person_of(r).masked_phone),
        (_("County/district"), lambda r: person_of(r).village.region.parent.parent.name),
        (_("Township"), lambda r: person_of(r).village.region.parent.name),
        (_("Village"), lambda r: person_of(r).village.region.name),
        (_("Division code"), lambda r: person_of(r).village_id),
    ]


def _person_fields(path: str = "") -> tuple[str, ...]:
    """What `_person_columns` reads, for `column_rows(only=...)`; `path` leads to the person."""
    return tuple(
        f"{path}{name}"
        for name in (
            "name",
            "gender",
            "id_number",
            "phone",
            "village__region__name",
            "village__region__parent__name",
            "village__region__parent__parent__name",
        )
    )


def _local_day(moment):
    return timezone.localdate(moment) if moment else None


def elimination_export_rows(eliminations) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the elimination list: the person (masked), the reason, the proposal and the
    decision. One query, whatever the number of rows."""
    columns = [
        *_person_columns(lambda e: e.candidate),
        (field_label(Elimination, "reason"), lambda e: e.get_reason_display()),
        (field_label(Elimination, "details"), lambda e: e.details),
        (field_label(Elimination, "state"), lambda e: e.get_state_display()),
        (field_label(Elimination, "proposed_by"), lambda e: str(e.proposed_by)),
        (field_label(Elimination, "proposed_at"), lambda e: _local_day(e.proposed_at)),
        (field_label(Elimination, "decided_by"), lambda e: str(e.decided_by) if e.decided_by_id else ""),
        (field_label(Elimination, "decided_at"), lambda e: _local_day(e.decided_at)),
        (field_label(Elimination, "opinion"), lambda e: e.opinion),
    ]
    fields = (
        *_person_fields("candidate__"),
        "reason",
        "details",
        "state",
        "proposed_at",
        "decided_at",
        "opinion",
        "proposed_by__name",
        "proposed_by__username",
        "decided_by__name",
        "decided_by__username",
    )
    return column_rows(columns, eliminations, only=fields)


def person_export_rows(people, *, extra: Sequence = ()) -> tuple[list[str], Iterator[list]]:
    """Header and rows of a list of people (ID numbers and phones masked), their stage and status, then
    the list's own `extra` columns (header, cell), e.g. annotations of the selector. One query."""
    columns = [
        *_person_columns(lambda c: c),
        (field_label(Candidate, "stage"), lambda c: c.get_stage_display() if c.stage else ""),
        (field_label(Candidate, "status"), lambda c: c.get_status_display()),
        *extra,
    ]
    return column_rows(columns, people, only=(*_person_fields(), "stage", "status"))
