"""The support and contribution lists as spreadsheets: the columns of each, beside the export.

Rows come from the list's own filtered, scoped and sorted queryset, which fetches what a row needs; the
file is written by `reports.exports.xlsx_response` (user text as text, never a formula).
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from config.forms import field_label
from mentoring.exports import PERSON_FIELDS, RECORDER_FIELDS, person_columns, place_columns
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support
from mentoring.tables_support import AWARD_TITLE, POLICY_NAME, PROJECT_NAME
from reports.exports import column_rows


def support_export_rows(records) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Support, "date"), lambda s: s.date),
        *person_columns(Support),
        (field_label(Support, "kind"), lambda s: s.get_kind_display()),
        (field_label(Support, "policy"), lambda s: s.policy.name if s.policy_id else ""),
        (field_label(Support, "amount"), lambda s: s.amount),
        (field_label(Support, "area"), lambda s: s.area),
        (field_label(Support, "project"), lambda s: s.project),
        (field_label(Support, "granted_by"), lambda s: s.granted_by),
        (field_label(Support, "note"), lambda s: s.note),
        (field_label(Support, "recorded_by"), lambda s: str(s.recorded_by)),
    ]
    fields = ("date", "kind", "policy__name", "amount", "area", "project", "granted_by", "note")
    return column_rows(columns, records, only=(*fields, *PERSON_FIELDS, *RECORDER_FIELDS))


def policy_export_rows(policies) -> tuple[list[str], Iterator[list]]:
    columns = [
        (POLICY_NAME, lambda p: p.name),
        (field_label(Policy, "description"), lambda p: p.description),
        (field_label(Policy, "active"), lambda p: _("Yes") if p.active else _("No")),
        (_("Support records"), lambda p: p.records),
    ]
    return column_rows(columns, policies)


def collective_project_export_rows(projects) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(CollectiveProject, "start_date"), lambda p: p.start_date),
        (PROJECT_NAME, lambda p: p.name),
        (field_label(CollectiveProject, "candidate"), lambda p: p.candidate.name),
        (_("Village of the leader"), lambda p: p.candidate.village.region.name),
        *place_columns(lambda p: p.village),
        (field_label(CollectiveProject, "amount"), lambda p: p.amount),
        (field_label(CollectiveProject, "recorded_by"), lambda p: str(p.recorded_by)),
    ]
    return column_rows(columns, projects)


def contribution_export_rows(records) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Contribution, "date"), lambda c: c.date),
        *person_columns(Contribution),
        (field_label(Contribution, "kind"), lambda c: c.get_kind_display()),
        (field_label(Contribution, "count"), lambda c: c.count),
        (field_label(Contribution, "note"), lambda c: c.note),
        (field_label(Contribution, "recorded_by"), lambda c: str(c.recorded_by)),
    ]
    fields = ("date", "kind", "count", "note")
    return column_rows(columns, records, only=(*fields, *PERSON_FIELDS, *RECORDER_FIELDS))


def award_export_rows(awards) -> tuple[list[str], Iterator[list]]:
    columns = [
        (field_label(Award, "date"), lambda a: a.date),
        *person_columns(Award),
        (AWARD_TITLE, lambda a: a.title),
        (field_label(Award, "level"), lambda a: a.get_level_display()),
        (field_label(Award, "granted_by"), lambda a: a.granted_by),
        (field_label(Award, "recorded_by"), lambda a: str(a.recorded_by)),
    ]
    fields = ("date", "title", "level", "granted_by")
    return column_rows(columns, awards, only=(*fields, *PERSON_FIELDS, *RECORDER_FIELDS))
