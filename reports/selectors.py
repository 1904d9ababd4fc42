"""Reads for the work queue (DESIGN §7): what awaits the logged-in user, inside their jurisdiction only.

Every query starts from `visible_to(user)`. Counts are aggregates and each list is one query cut at
`SECTION_SIZE`, so the page costs the same number of queries for ten waiting items or ten thousand.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.choices import Role
from candidates.choices import CertificationState, Status
from candidates.models import Candidate, Certification, Objection, PublicNotice
from candidates.workflow import STEPS
from villages.choices import PREFIX_LENGTH
from villages.models import Region

# How many items a section lists; the rest are behind its "see all" link.
SECTION_SIZE = 10
# The county prepares the step-6 decision for notices ending this many days from today or sooner.
NOTICE_ENDING_DAYS = 3
# The step at which a certification's notice runs and its objections are ruled on.
NOTICE_STEP = 6


@dataclass(frozen=True)
class Item:
    """One line of a section: a certification, notice, objection or person, or a counted region or step."""

    label: str
    url: str
    place: str = ""
    note: str = ""
    since: datetime.date | None = None
    due: datetime.date | None = None
    overdue: bool = False
    ended: bool = False
    count: int | None = None
    action_url: str = ""
    action_label: str = ""


@dataclass
class Section:
    """A block of the work queue: what it is about, how many there are, the first few, and the way to all."""

    key: str
    title: str
    count: int | None
    items: list[Item]
    empty_text: str
    see_all_url: str = ""
    see_all_label: str = ""
    # Items are regions or steps with a count each, drawn as a small table of counts.
    tally: bool = False
    since_label: str = ""
    due_label: str = ""

    @property
    def has_more(self) -> bool:
        """More items than listed; a tally lists every region or step, so it never has more."""
        return not self.tally and self.count is not None and self.count > len(self.items)


@dataclass(frozen=True)
class Figure:
    """A headline number at the top of the page, linking to the list behind it."""

    label: str
    value: int
    url: str = ""
    alert: bool = False


@dataclass
class WorkQueue:
    region: Region | None
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def candidate_list_url(**filters) -> str:
    """The candidate list narrowed by the list filters of DESIGN §9."""
    url = reverse("candidates:candidate_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def steps_of(role: str) -> list[int]:
    """The certification steps a role works on, from the workflow table."""
    return [number for number, step in STEPS.items() if step.role == role]


def step_title(number: int) -> str:
    return _("Step %(number)s · %(label)s") % {"number": number, "label": STEPS[number].label}


def _place(village, *, wide: bool) -> str:
    """The village, with its township when the user oversees more than one township."""
    region = village.region
    return f"{region.parent.name} · {region.name}" if wide and region.parent else region.name


def _certification_counts(certifications: QuerySet, today: datetime.date) -> dict[str, int]:
    """Certifications in progress at each step, overdue, and in all: one aggregate query."""
    return certifications.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(step_due_on__lt=today)),
        **{f"step_{number}": Count("pk", filter=Q(step=number)) for number in STEPS},
    )


def _certification_item(certification, *, today, wide: bool, note: str = "") -> Item:
    return Item(
        label=certification.candidate.name,
        url=certification.get_absolute_url(),
        place=_place(certification.candidate.village, wide=wide),
        note=note,
        since=certification.step_started_on,
        due=certification.step_due_on,
        overdue=certification.step_due_on < today,
    )


def _step_sections(certifications, counts, steps, *, today, wide: bool) -> list[Section]:
    """One section per step, oldest first; the first items of every step come in one windowed query."""
    oldest_first = [F("step_started_on").asc(), F("pk").asc()]
    ranked = (
        certifications.filter(step__in=steps)
        .select_related("candidate__village__region__parent")
        .annotate(rank=Window(RowNumber(), partition_by=F("step"), order_by=oldest_first))
        .filter(rank__lte=SECTION_SIZE)
        .order_by("step", *oldest_first)
    )
    by_step = {number: [] for number in steps}
    for certification in ranked:
        by_step[certification.step].append(_certification_item(certification, today=today, wide=wide))
    return [
        Section(
            key=f"step-{number}",
            title=step_title(number),
            count=counts[f"step_{number}"],
            items=by_step[number],
            empty_text=_("Nothing waits at this step."),
            see_all_url=candidate_list_url(step=number),
            since_label=_("At this step since"),
            due_label=_("Step due on"),
        )
        for number in steps
    ]


def _notice_item(notice, *, today, wide: bool, action: bool = False) -> Item:
    certification = notice.certification
    return Item(
        label=certification.candidate.name,
        url=certification.get_absolute_url(),
        place=_place(certification.candidate.village, wide=wide),
        since=notice.start_date,
        due=notice.end_date,
        ended=notice.end_date < today,
        action_url=reverse("candidates:objection_record", args=[certification.pk]) if action else "",
        action_label=_("Record an objection") if action else "",
    )


def _notices(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("certification__candidate__village__region__parent").order_by(
        "end_date", "pk"
    )


def _running_notices(user, *, today, wide: bool) -> Section:
    """Notices of the user's township open to objections today, to record those received by phone."""
    notices = PublicNotice.objects.visible_to(user).in_force(today)
    return Section(
        key="notices-running",
        title=_("Public notices running"),
        count=notices.count(),
        items=[
            _notice_item(n, today=today, wide=wide, action=True) for n in _notices(notices)[:SECTION_SIZE]
        ],
        empty_text=_("No public notice is running."),
        see_all_url=reverse("notices:notice_list"),
        since_label=_("First day of notice"),
        due_label=_("Last day of notice"),
    )


def _notices_ending(user, *, today, wide: bool) -> Section:
    """Notices ending within a few days, and those ended whose step 6 is not yet completed."""
    notices = PublicNotice.objects.visible_to(user).filter(
        certification__state=CertificationState.IN_PROGRESS,
        certification__step=NOTICE_STEP,
        end_date__lte=today + datetime.timedelta(days=NOTICE_ENDING_DAYS),
    )
    return Section(
        key="notices-ending",
        title=_("Public notices ending within %(days)s days") % {"days": NOTICE_ENDING_DAYS},
        count=notices.count(),
        items=[_notice_item(n, today=today, wide=wide) for n in _notices(notices)[:SECTION_SIZE]],
        empty_text=_("No public notice ends in the next few days."),
        see_all_url=candidate_list_url(step=NOTICE_STEP),
        since_label=_("First day of notice"),
        due_label=_("Last day of notice"),
    )


def _open_objections(user, *, wide: bool) -> Section:
    """Objections nobody has ruled on yet, oldest first, each linking to its ruling page."""
    objections = Objection.objects.visible_to(user).open()
    first = objections.select_related("notice__certification__candidate__village__region__parent").order_by(
        "filed_at", "pk"
    )[:SECTION_SIZE]
    return Section(
        key="objections",
        title=_("Objections to rule on"),
        count=objections.count(),
        items=[
            Item(
                label=o.notice.certification.candidate.name,
                url=reverse("candidates:objection_rule", args=[o.pk]),
                place=_place(o.notice.certification.candidate.village, wide=wide),
                note=Truncator(o.content).chars(40),
                since=timezone.localdate(o.filed_at),
            )
            for o in first
        ],
        empty_text=_("No objection is waiting for a ruling."),
        see_all_url=candidate_list_url(step=NOTICE_STEP),
        since_label=_("Received on"),
    )


def _overdue_section(certifications, counts, *, today, wide: bool) -> Section:
    """Overdue certifications at any step, the longest overdue first, so the county can chase them."""
    overdue = (
        certifications.filter(step_due_on__lt=today)
        .select_related("candidate__village__region__parent")
        .order_by("step_due_on", "pk")[:SECTION_SIZE]
    )
    return Section(
        key="overdue",
        title=_("Overdue at any step"),
        count=counts["overdue"],
        items=[_certification_item(c, today=today, wide=wide, note=step_title(c.step)) for c in overdue],
        empty_text=_("Nothing is overdue."),
        see_all_url=candidate_list_url(overdue=1),
        since_label=_("At this step since"),
        due_label=_("Step due on"),
    )


def _overdue_figure(counts) -> Figure:
    return Figure(
        _("Overdue certifications"),
        counts["overdue"],
        candidate_list_url(overdue=1),
        alert=counts["overdue"] > 0,
    )


def _township_queue(user, queue: WorkQueue, *, today) -> None:
    certifications = Certification.objects.visible_to(user).in_progress()
    counts = _certification_counts(certifications, today)
    steps = steps_of(Role.TOWNSHIP_OFFICIAL)
    prospects = Candidate.objects.visible_to(user).filter(status=Status.PROSPECT).count()
    queue.sections = _step_sections(certifications, counts, steps, today=today, wide=False)
    queue.sections.append(_running_notices(user, today=today, wide=False))
    queue.figures = [
        Figure(_("Awaiting your steps"), sum(counts[f"step_{n}"] for n in steps)),
        _overdue_figure(counts),
        Figure(_("Prospects not yet nominated"), prospects, candidate_list_url(status=Status.PROSPECT)),
    ]


def _county_queue(user, queue: WorkQueue, *, today) -> None:
    certifications = Certification.objects.visible_to(user).in_progress()
    counts = _certification_counts(certifications, today)
    steps = steps_of(Role.COUNTY_REVIEWER)
    objections = _open_objections(user, wide=True)
    notices = _notices_ending(user, today=today, wide=True)
    queue.sections = [
        *_step_sections(certifications, counts, steps, today=today, wide=True),
        objections,
        notices,
        _overdue_section(certifications, counts, today=today, wide=True),
    ]
    queue.figures = [
        Figure(_("Awaiting your steps"), sum(counts[f"step_{n}"] for n in steps)),
        _overdue_figure(counts),
        Figure(_("Objections to rule on"), objections.count, alert=objections.count > 0),
        Figure(_("Notices ending soon"), notices.count),
    ]


def _city_queue(user, queue: WorkQueue, *, today) -> None:
    certifications = Certification.objects.visible_to(user).in_progress()
    counts = _certification_counts(certifications, today)
    region = queue.region
    queue.figures = [Figure(_("Certifications in progress"), counts["total"]), _overdue_figure(counts)]
    if region is not None and region.child_level is not None:
        # Group by the code prefix of the regions one level down: one query for all of them.
        length = PREFIX_LENGTH[region.child_level]
        overdue_by_region = dict(
            certifications.filter(step_due_on__lt=today)
            .annotate(group=Substr("candidate__village_id", 1, length))
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values_list("group", "n")
        )
        children = Region.objects.visible_to(user).filter(parent=region).order_by("code")
        queue.sections.append(
            Section(
                key="overdue-by-region",
                title=_("Overdue certifications per %(level)s") % {"level": region.child_level.label},
                count=counts["overdue"],
                items=[
                    Item(
                        label=child.name,
                        url=candidate_list_url(region=child.code, overdue=1),
                        count=overdue_by_region.get(child.code[:length], 0),
                    )
                    for child in children
                ],
                empty_text=_("No region below yours."),
                see_all_url=candidate_list_url(overdue=1),
                tally=True,
            )
        )
    queue.sections.append(
        Section(
            key="in-progress-by-step",
            title=_("Certifications in progress by step"),
            count=counts["total"],
            items=[
                Item(label=step_title(n), url=candidate_list_url(step=n), count=counts[f"step_{n}"])
                for n in STEPS
            ],
            empty_text="",
            see_all_url=candidate_list_url(status=Status.CERTIFYING),
            tally=True,
        )
    )


def _mentor_queue(user, queue: WorkQueue) -> None:
    mentees = Candidate.objects.visible_to(user)
    first = mentees.for_table().order_by("name", "pk")[:SECTION_SIZE]
    queue.sections = [
        Section(
            key="mentees",
            title=_("Your mentees"),
            count=mentees.count(),
            items=[
                Item(
                    label=c.name,
                    url=c.get_absolute_url(),
                    place=_place(c.village, wide=True),
                    note=c.get_stage_display() or c.get_status_display(),
                )
                for c in first
            ],
            empty_text=_("No candidate is assigned to you yet; the county assigns mentors at filing."),
            see_all_url=candidate_list_url(),
        )
    ]


def _administrator_queue(queue: WorkQueue) -> None:
    queue.sections = [
        Section(
            key="administration",
            title=_("Administration"),
            count=None,
            items=[],
            empty_text=_("Users, regions and reference data are kept in the administration."),
            see_all_url=reverse("admin:index"),
            see_all_label=_("Open the administration"),
        )
    ]


def work_queue(*, user, today: datetime.date | None = None) -> WorkQueue:
    """What awaits `user`: steps to take, notices ending, objections to rule on, overdue items."""
    today = today or timezone.localdate()
    queue = WorkQueue(region=user.jurisdiction)
    if user.is_administrator:
        _administrator_queue(queue)
    elif user.role == Role.TOWNSHIP_OFFICIAL:
        _township_queue(user, queue, today=today)
    elif user.role == Role.COUNTY_REVIEWER:
        _county_queue(user, queue, today=today)
    elif user.role == Role.CITY_STAFF:
        _city_queue(user, queue, today=today)
    elif user.role == Role.MENTOR:
        _mentor_queue(user, queue)
    return queue
