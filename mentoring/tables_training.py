"""Columns of the training lists; counts and hours come from annotations of mentoring.selectors.training."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.tables import PersonTable
from config.tables import PortalTable
from mentoring import permissions
from mentoring.models import Course, Enrolment
from mentoring.selectors.training import tenths
from mentoring.tables import PersonColumns

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class CourseTable(PortalTable):
    name = tables.Column(linkify=True, verbose_name=_("Course"))
    organiser = tables.Column(verbose_name=_("Organiser"))
    level = tables.Column(verbose_name=_("Level"))
    cohort = tables.Column(verbose_name=_("Cohort"), default="—")
    start_date = tables.DateColumn(verbose_name=_("First day"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("Last day"), format="Y-m-d")
    hours = tables.Column(verbose_name=_("Hours"), attrs=NUM)
    online = tables.BooleanColumn(verbose_name=_("Online"))
    enrolled = tables.Column(verbose_name=_("Enrolled"), attrs=NUM)
    completed = tables.Column(verbose_name=_("Completed"), attrs=NUM)

    class Meta:
        model = Course
        fields = []
        sequence = (
            "name",
            "organiser",
            "level",
            "cohort",
            "start_date",
            "end_date",
            "hours",
            "online",
            "enrolled",
            "completed",
        )
        empty_text = _("No course matches these filters.")


class EnrolmentTable(PersonColumns):
    """The people of a course (those the user may see), with a button to record completion where allowed."""

    completed_on = tables.DateColumn(verbose_name=_("Completed on"), format="Y-m-d", default="—")
    actions = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta:
        model = Enrolment
        fields = []
        sequence = ("candidate", "village", "township", "completed_on", "actions")
        empty_text = _("Nobody you may see is enrolled in this course.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def render_actions(self, record):
        if not permissions.can_enrol(self.user, record.candidate):
            return ""
        label = _("Correct the completion") if record.completed else _("Record completion")
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>',
            reverse("mentoring:enrolment_complete", args=[record.pk]),
            label,
        )


class TraineeTable(PersonColumns):
    """The trainees of the university cohorts."""

    cohort = tables.Column(accessor="course__cohort", verbose_name=_("Cohort"), default="—")
    course = tables.Column(
        accessor="course__name",
        verbose_name=_("Course"),
        linkify=lambda record: record.course.get_absolute_url(),
    )
    organiser = tables.Column(accessor="course__organiser", verbose_name=_("Organiser"))
    start_date = tables.DateColumn(accessor="course__start_date", verbose_name=_("First day"), format="Y-m-d")
    end_date = tables.DateColumn(accessor="course__end_date", verbose_name=_("Last day"), format="Y-m-d")
    completed_on = tables.DateColumn(verbose_name=_("Completed on"), format="Y-m-d", default="—")

    class Meta:
        model = Enrolment
        fields = []
        sequence = (
            "candidate",
            "village",
            "township",
            "cohort",
            "course",
            "organiser",
            "start_date",
            "end_date",
            "completed_on",
        )
        order_by = ("-start_date", "candidate")
        empty_text = _("No trainee matches these filters.")


class OnlineLearningTable(PersonTable):
    """Each person's hours on the online platform in the page's period."""

    hours = tables.Column(verbose_name=_("Hours"), attrs=NUM)
    months = tables.Column(verbose_name=_("Months with hours"), attrs=NUM)

    class Meta:
        model = Candidate
        fields = []
        sequence = ("name", "village", "township", "stage", "status", "hours", "months")
        empty_text = _("Nobody matches these filters.")

    def render_hours(self, value):
        return tenths(value)
