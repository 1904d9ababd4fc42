"""The support and contribution lists as spreadsheets: the columns of each, beside the export.

Rows come from the list's own filtered, scoped and sorted queryset, which fetches what a row needs; the
file is written by `reports.exports.xlsx_response` (user text as text, never a formula).
"""

from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext as _

from config.forms import field_label
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support
from mentoring.tables_support import AWARD_TITLE, POLICY_NAME, PROJECT_NAME

Columns = list[tuple[str, Callable]]


def _rows(columns: Columns, records: Iterable) -> tuple[list[str], Iterator[list]]:
    return [str(header) for header, _get in columns], ([get(r) for _h, get in columns] for r in records)


def _place_columns(village_of: Callable) -> Columns:
    """County, township, village and division code of the village `village_of(record)`."""
    return [
        (_("County/district"), lambda r: village_of(r).region.parent.parent.name),
        (_("Township"), lambda r: village_of(r).region.parent.name),
        (_("Village"), lambda r: village_of(r).region.name),
        (_("Division code"), lambda r: village_of(r).region_id),
    ]


def _person_columns(model) -> Columns:
    return [
        (field_label(model, "candidate"), lambda r: r.candidate.name),
        *_place_columns(lambda r: r.candidate.village),
    ]


def support_export_rows(records) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Support, "date"), lambda s: s.date),
        *_person_columns(Support),
        (field_label(Support, "kind"), lambda s: s.get_kind_display()),
        (field_label(Support, "policy"), lambda s: s.policy.name if s.policy_id else ""),
        (field_label(Support, "amount"), lambda s: s.amount),
        (field_label(Support, "area"), lambda s: s.area),
        (field_label(Support, "project"), lambda s: s.project),
        (field_label(Support, "granted_by"), lambda s: s.granted_by),
        (field_label(Support, "note"), lambda s: s.note),
        (field_label(Support, "recorded_by"), lambda s: str(s.recorded_by)),
    ]
    return _rows(columns, records)


def policy_export_rows(policies) -> tuple[list[str], Iterator[list]]:
    columns = [
        (POLICY_NAME, lambda p: p.name),
        (field_label(Policy, "description"), lambda p: p.description),
        (field_label(Policy, "active"), lambda p: _("Yes") if p.active else _("No")),
        (_("Support records"), lambda p: p.records),
    ]
    return _rows(columns, policies)


def collective_project_export_rows(projects) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(CollectiveProject, "start_date"), lambda p: p.start_date),
        (PROJECT_NAME, lambda p: p.name),
        (field_label(CollectiveProject, "candidate"), lambda p: p.candidate.name),
        (_("Village of the leader"), lambda p: p.candidate.village.region.name),
        *_place_columns(lambda p: p.village),
        (field_label(CollectiveProject, "amount"), lambda p: p.amount),
        (field_label(CollectiveProject, "recorded_by"), lambda p: str(p.recorded_by)),
    ]
    return _rows(columns, projects)


def contribution_export_rows(records) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Contribution, "date"), lambda c: c.date),
        *_person_columns(Contribution),
        (field_label(Contribution, "kind"), lambda c: c.get_kind_display()),
        (field_label(Contribution, "count"), lambda c: c.count),
        (field_label(Contribution, "note"), lambda c: c.note),
        (field_label(Contribution, "recorded_by"), lambda c: str(c.recorded_by)),
    ]
    return _rows(columns, records)


def award_export_rows(awards) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Award, "date"), lambda a: a.date),
        *_person_columns(Award),
        (AWARD_TITLE, lambda a: a.title),
        (field_label(Award, "level"), lambda a: a.get_level_display()),
        (field_label(Award, "granted_by"), lambda a: a.granted_by),
        (field_label(Award, "recorded_by"), lambda a: str(a.recorded_by)),
    ]
    return _rows(columns, awards)
