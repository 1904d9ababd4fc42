"""The training lists as spreadsheets: the columns of each list, beside the export. Rows come from the
list's own filtered, scoped queryset; ID numbers never appear."""

from django.utils.translation import gettext as _

from config.forms import field_label
from mentoring.models import Course, Enrolment
from mentoring.selectors.training import tenths
from reports.exports import column_rows


def _yes(value) -> str:
    return _("Yes") if value else _("No")


def course_export_rows(courses):
    """`courses` come from `selectors.training.course_list` (with `enrolled` and `completed`)."""
    columns = [
        (field_label(Course, "name"), lambda c: c.name),
        (field_label(Course, "organiser"), lambda c: c.organiser),
        (field_label(Course, "level"), lambda c: c.get_level_display()),
        (field_label(Course, "cohort"), lambda c: c.cohort),
        (field_label(Course, "start_date"), lambda c: c.start_date),
        (field_label(Course, "end_date"), lambda c: c.end_date),
        (field_label(Course, "hours"), lambda c: c.hours),
        (field_label(Course, "online"), lambda c: _yes(c.online)),
        (_("Enrolled"), lambda c: c.enrolled),
        (_("Completed"), lambda c: c.completed),
    ]
    return column_rows(columns, courses)


def trainee_export_rows(enrolments):
    """`enrolments` come from `selectors.training.trainee_list`."""
    columns = [
        (_("Name"), lambda e: e.candidate.name),
        (_("Township"), lambda e: e.candidate.village.region.parent.name),
        (_("Village"), lambda e: e.candidate.village.region.name),
        (field_label(Course, "cohort"), lambda e: e.course.cohort),
        (_("Course"), lambda e: e.course.name),
        (field_label(Course, "organiser"), lambda e: e.course.organiser),
        (field_label(Course, "start_date"), lambda e: e.course.start_date),
        (field_label(Course, "end_date"), lambda e: e.course.end_date),
        (field_label(Course, "hours"), lambda e: e.course.hours),
        (field_label(Enrolment, "completed_on"), lambda e: e.completed_on or ""),
    ]
    return column_rows(columns, enrolments)


def online_export_rows(candidates):
    """`candidates` come from `selectors.training.online_learning_list` (with `hours` and `months`)."""
    columns = [
        (_("Name"), lambda c: c.name),
        (_("Township"), lambda c: c.village.region.parent.name),
        (_("Village"), lambda c: c.village.region.name),
        (_("Stage"), lambda c: c.get_stage_display() if c.stage else ""),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Hours"), lambda c: tenths(c.hours)),
        (_("Months with hours"), lambda c: c.months),
    ]
    return column_rows(columns, candidates)
