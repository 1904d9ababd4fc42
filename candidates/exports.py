"""The lists of people as spreadsheets (candidates, eliminations, any list of people): their columns,
beside the export itself; ID numbers and phones always masked."""

import functools
from collections.abc import Callable, Iterator, Sequence

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.choices import CertificationState
from candidates.models import Candidate, Certification, Elimination
from candidates.models.registry import age_on
from candidates.validators import mask_id_number, mask_phone
from candidates.workflow import STEPS
from config.forms import field_label
from reports.exports import column_rows

# Rows of the candidate export fetched from the database at a time.
CHUNK = 2000


def _same(value):
    return value


def _choice(name: str) -> Callable:
    """How a cell shows the choice field `name`: its label, translated once; empty when none is chosen,
    the stored value when it is no longer a choice (as get_FOO_display)."""
    labels = {value: str(label) for value, label in Candidate._meta.get_field(name).flatchoices}
    return lambda value: labels.get(value, value) if value else ""


def _export_columns() -> list[tuple[str, str, Callable]]:
    """The candidate export's columns: (header, what is read, by path from the candidate, how the cell
    shows it). The step and its due date are annotations of `selectors.candidate_list`."""
    today = timezone.localdate()
    steps = {number: f"{number} {step.label}" for number, step in STEPS.items()}
    overdue = _("Yes")
    return [
        (field_label(Candidate, "name"), "name", _same),
        (field_label(Candidate, "gender"), "gender", _choice("gender")),
        (_("Age"), "birth_date", lambda born: age_on(born, today)),
        (field_label(Candidate, "ethnicity"), "ethnicity", _same),
        (field_label(Candidate, "id_number"), "id_number", mask_id_number),
        (field_label(Candidate, "phone"), "phone", mask_phone),
        (field_label(Candidate, "education"), "education", _choice("education")),
        (field_label(Candidate, "political_status"), "political_status", _choice("political_status")),
        (field_label(Candidate, "source"), "source", _choice("source")),
        (_("County/district"), "village__region__parent__parent__name", _same),
        (_("Township"), "village__region__parent__name", _same),
        (_("Village"), "village__region__name", _same),
        (_("Division code"), "village_id", _same),
        (field_label(Candidate, "industry"), "industry", _same),
        (field_label(Candidate, "household_income"), "household_income", _same),
        (field_label(Candidate, "stage"), "stage", _choice("stage")),
        (field_label(Candidate, "status"), "status", _choice("status")),
        (field_label(Candidate, "tier"), "tier", _choice("tier")),
        (_("Current step"), "current_step", lambda step: steps[step] if step else ""),
        (field_label(Certification, "step_due_on"), "current_step_due_on", _same),
        (_("Overdue"), "current_step_due_on", lambda due_on: overdue if due_on and due_on < today else ""),
    ]


def _read(candidates, paths: list[str]) -> Iterator[tuple]:
    """The values at `paths` of each candidate: from the database for a queryset (only those columns, no
    model instances, CHUNK rows at a time), from the attributes of model instances otherwise."""
    if isinstance(candidates, QuerySet):
        # The certification in progress joined once (at most one per candidate, a database constraint),
        # instead of the list's correlated subqueries: their estimated cost set PostgreSQL compiling the
        # query (JIT) for two seconds before reading a county's 2,000 rows in 20 ms.
        in_progress = FilteredRelation(
            "certifications", condition=Q(certifications__state=CertificationState.IN_PROGRESS)
        )
        candidates = candidates.annotate(in_progress=in_progress).annotate(
            current_step=F("in_progress__step"), current_step_due_on=F("in_progress__step_due_on")
        )
        yield from candidates.values_list(*paths).iterator(chunk_size=CHUNK)
        return
    steps = [path.split("__") for path in paths]
    for candidate in candidates:
        yield tuple(functools.reduce(getattr, path, candidate) for path in steps)


def candidate_export_rows(candidates) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the candidate export: what the list shows and more, ID numbers and phones masked.

    `candidates` come from `candidate_list`: a queryset (read as bare columns: a county of 20,000 people
    otherwise spends most of its time building model instances) or its model instances.
    """
    columns = _export_columns()
    shows = [show for _header, _path, show in columns]
    rows = (
        [show(value) for show, value in zip(shows, values, strict=True)]
        for values in _read(candidates, [path for _header, path, _show in columns])
    )
    return [str(header) for header, _path, _show in columns], rows


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
