"""The mentoring lists as spreadsheets: the columns of each list, beside the export."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from config.forms import field_label
from mentoring.models import DIMENSIONS, Assessment, Mentor, MentoringVisit
from reports.exports import Columns, column_rows


def place_columns(village_of: Callable) -> Columns:
    """County, township, village and division code of the village `village_of(record)`."""
    return [
        (_("County/district"), lambda r: village_of(r).region.parent.parent.name),
        (_("Township"), lambda r: village_of(r).region.parent.name),
        (_("Village"), lambda r: village_of(r).region.name),
        (_("Division code"), lambda r: village_of(r).region_id),
    ]


def person_columns(model) -> Columns:
    """The person a record is about and where they live."""
    return [
        (field_label(model, "candidate"), lambda r: r.candidate.name),
        *place_columns(lambda r: r.candidate.village),
    ]


# What `person_columns` and a recorder's name read, for `column_rows(only=...)`.
PERSON_FIELDS = (
    "candidate__name",
    "candidate__village__region__name",
    "candidate__village__region__parent__name",
    "candidate__village__region__parent__parent__name",
)
RECORDER_FIELDS = ("recorded_by__name", "recorded_by__username")


def mentor_export_rows(mentors):
    columns = [
        (field_label(Mentor, "name"), lambda m: m.name),
        (field_label(Mentor, "title"), lambda m: m.title),
        (field_label(Mentor, "unit"), lambda m: m.unit),
        (field_label(Mentor, "level"), lambda m: m.get_level_display()),
        (field_label(Mentor, "region"), lambda m: m.region.name),
        (_("Mentees"), lambda m: m.load),
        (field_label(Mentor, "industries"), lambda m: m.industries),
        (field_label(Mentor, "active"), lambda m: _("Yes") if m.active else _("No")),
    ]
    return column_rows(columns, mentors)


def visit_export_rows(visits):
    columns = [
        (field_label(MentoringVisit, "date"), lambda v: v.date),
        *person_columns(MentoringVisit),
        (field_label(MentoringVisit, "form"), lambda v: v.get_form_display()),
        (field_label(MentoringVisit, "content"), lambda v: v.content),
        (field_label(MentoringVisit, "problems"), lambda v: v.problems),
        (field_label(MentoringVisit, "follow_up"), lambda v: v.follow_up),
        (field_label(MentoringVisit, "mentor"), lambda v: v.mentor.name if v.mentor else ""),
        (field_label(MentoringVisit, "recorded_by"), lambda v: str(v.recorded_by)),
    ]
    fields = ("date", "form", "content", "problems", "follow_up", "mentor__name", *PERSON_FIELDS)
    return column_rows(columns, visits, only=(*fields, *RECORDER_FIELDS))


def assessment_export_rows(assessments):
    columns = [
        *person_columns(Assessment),
        (_("Period"), lambda a: str(a.period)),
        *[(field_label(Assessment, name), lambda a, name=name: getattr(a, name)) for name in DIMENSIONS],
        (field_label(Assessment, "total"), lambda a: a.total),
        (field_label(Assessment, "grade"), lambda a: a.get_grade_display()),
        (field_label(Assessment, "state"), lambda a: a.get_state_display()),
        (field_label(Assessment, "mentor"), lambda a: a.mentor.name),
        (field_label(Assessment, "comments"), lambda a: a.comments),
    ]
    fields = ("year", "quarter", *DIMENSIONS, "total", "grade", "state", "mentor__name", "comments")
    return column_rows(columns, assessments, only=(*fields, *PERSON_FIELDS))
