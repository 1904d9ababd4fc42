"""Columns of the mentoring lists; counts come from annotations of the selectors."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.tables import PortalTable
from mentoring.models import Assessment, Mentor, MentoringVisit


class MentorTable(PortalTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    title = tables.Column(verbose_name=_("Title"))
    unit = tables.Column(verbose_name=_("Unit"))
    level = tables.Column(verbose_name=_("Level"))
    region = tables.Column(accessor="region__name", verbose_name=_("Region"), order_by=("region_id",))
    load = tables.Column(verbose_name=_("Mentees"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    active = tables.BooleanColumn(verbose_name=_("Mentors now"))

    class Meta:
        model = Mentor
        fields = []
        sequence = ("name", "title", "unit", "level", "region", "load", "active")
        empty_text = _("No mentor matches these filters.")


class PersonColumns(PortalTable):
    """Who a record is about (to their page) and where they live: the mentoring lists share them."""

    candidate = tables.Column(
        accessor="candidate__name",
        verbose_name=_("Candidate"),
        linkify=lambda record: record.candidate.get_absolute_url(),
        order_by=("candidate__name_initials", "candidate__name"),
    )
    village = tables.Column(
        accessor="candidate__village__region__name",
        verbose_name=_("Village"),
        order_by=("candidate__village_id",),
    )
    township = tables.Column(
        accessor="candidate__village__region__parent__name",
        verbose_name=_("Township"),
        order_by=("candidate__village_id",),
    )


class VisitTable(PersonColumns):
    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    form = tables.Column(verbose_name=_("Form"))
    content = tables.Column(verbose_name=_("What was discussed"), orderable=False)
    mentor = tables.Column(accessor="mentor__name", verbose_name=_("Mentor"), default="—")
    recorded_by = tables.Column(verbose_name=_("Recorded by"))

    class Meta:
        model = MentoringVisit
        fields = []
        sequence = ("date", "candidate", "village", "township", "form", "content", "mentor", "recorded_by")
        empty_text = _("No visit matches these filters.")

    def render_content(self, value):
        return value if len(value) <= 40 else f"{value[:40]}…"


class AssessmentTable(PersonColumns):
    period = tables.Column(
        accessor="period", verbose_name=_("Period"), order_by=("year", "quarter"), linkify=True
    )
    total = tables.Column(verbose_name=_("Total"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    grade = tables.Column(verbose_name=_("Grade"))
    state = tables.Column(verbose_name=_("State"))
    mentor = tables.Column(accessor="mentor__name", verbose_name=_("Mentor"))

    class Meta:
        model = Assessment
        fields = []
        sequence = ("candidate", "village", "township", "period", "total", "grade", "state", "mentor")
        empty_text = _("No assessment matches these filters.")
