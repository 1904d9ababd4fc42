"""The mentoring lists as spreadsheets: the columns of each list, beside the export."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from config.forms import field_label
from mentoring.models import DIMENSIONS, Assessment, Mentor, MentoringVisit


def _rows(columns, records) -> tuple[list[str], Iterator[list]]:
    return [str(header) for header, _get in columns], ([get(r) for _h, get in columns] for r in records)


def _place(record):
    region = record.candidate.village.region
    return [region.parent.name if region.parent else "", region.name]


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
    return _rows(columns, mentors)


def visit_export_rows(visits):
    columns = [
        (field_label(MentoringVisit, "date"), lambda v: v.date),
        (field_label(MentoringVisit, "candidate"), lambda v: v.candidate.name),
        (_("Township"), lambda v: _place(v)[0]),
        (_("Village"), lambda v: _place(v)[1]),
        (field_label(MentoringVisit, "form"), lambda v: v.get_form_display()),
        (field_label(MentoringVisit, "content"), lambda v: v.content),
        (field_label(MentoringVisit, "problems"), lambda v: v.problems),
        (field_label(MentoringVisit, "follow_up"), lambda v: v.follow_up),
        (field_label(MentoringVisit, "mentor"), lambda v: v.mentor.name if v.mentor else ""),
        (field_label(MentoringVisit, "recorded_by"), lambda v: str(v.recorded_by)),
    ]
    return _rows(columns, visits)


def assessment_export_rows(assessments):
    columns = [
        (field_label(Assessment, "candidate"), lambda a: a.candidate.name),
        (_("Township"), lambda a: _place(a)[0]),
        (_("Village"), lambda a: _place(a)[1]),
        (_("Period"), lambda a: str(a.period)),
        *[(field_label(Assessment, name), lambda a, name=name: getattr(a, name)) for name in DIMENSIONS],
        (field_label(Assessment, "total"), lambda a: a.total),
        (field_label(Assessment, "grade"), lambda a: a.get_grade_display()),
        (field_label(Assessment, "state"), lambda a: a.get_state_display()),
        (field_label(Assessment, "mentor"), lambda a: a.mentor.name),
        (field_label(Assessment, "comments"), lambda a: a.comments),
    ]
    return _rows(columns, assessments)
