"""Reads for the reports: the work queue (DESIGN §7) and dynamic management (五个一批, DESIGN §4).

Every query starts from `visible_to(user)`. Counts are aggregates and each list is one query cut at
`SECTION_SIZE`, so the page costs the same number of queries for ten waiting items or ten thousand.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import ExtractYear, RowNumber, Substr, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.choices import Role
from candidates.choices import (
    CertificationState,
    EliminationState,
    PromotionAction,
    PromotionState,
    Status,
)
from candidates.models import (
    Candidate,
    Certification,
    Elimination,
    Objection,
    Promotion,
    PromotionDecision,
    PublicNotice,
)
from candidates.workflow import STEPS
from villages.choices import PREFIX_LENGTH, RegionLevel, ReserveStatus
from villages.models import Region, Reserve, Village
from villages.selectors import short_of_reserves

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
    # The dynamic management report, for the roles that oversee more than one township.
    dynamic_management_url: str = ""


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


def _move(promotion) -> str:
    return _("%(from)s → %(to)s") % {
        "from": promotion.get_from_stage_display(),
        "to": promotion.get_to_stage_display(),
    }


def _promotions_awaiting(user, state: str, *, key: str, title: str, wide: bool) -> Section:
    """Promotions waiting in `state` for the user's decision, the longest waiting first."""
    promotions = Promotion.objects.visible_to(user).filter(state=state)
    first = promotions.select_related("candidate__village__region__parent").order_by("proposed_at", "pk")
    return Section(
        key=key,
        title=title,
        count=promotions.count(),
        items=[
            Item(
                label=p.candidate.name,
                url=p.get_absolute_url(),
                place=_place(p.candidate.village, wide=wide),
                note=_move(p),
                since=timezone.localdate(p.proposed_at),
            )
            for p in first[:SECTION_SIZE]
        ],
        empty_text=_("No promotion is waiting for a decision."),
        since_label=_("Proposed on"),
    )


def _promotions_returned(user) -> Section:
    """Promotions the county or city sent back to the township, with the reason of the last return."""
    promotions = Promotion.objects.visible_to(user).filter(state=PromotionState.RETURNED)
    last_return = PromotionDecision.objects.filter(
        promotion=OuterRef("pk"), action=PromotionAction.RETURN
    ).order_by("-at", "-pk")
    first = (
        promotions.select_related("candidate__village__region__parent")
        .annotate(
            returned_at=Subquery(last_return.values("at")[:1]),
            return_opinion=Subquery(last_return.values("opinion")[:1]),
        )
        .order_by("proposed_at", "pk")[:SECTION_SIZE]
    )
    return Section(
        key="promotions-returned",
        title=_("Promotions returned to you"),
        count=promotions.count(),
        items=[
            Item(
                label=p.candidate.name,
                url=p.get_absolute_url(),
                place=_place(p.candidate.village, wide=False),
                note=" · ".join(filter(None, [_move(p), Truncator(p.return_opinion or "").chars(40)])),
                since=timezone.localdate(p.returned_at) if p.returned_at else None,
            )
            for p in first
        ],
        empty_text=_("No promotion was returned to you."),
        since_label=_("Returned on"),
    )


def _eliminations_awaiting(user) -> Section:
    """Eliminations proposed by the townships or mentors, for the county to decide."""
    eliminations = Elimination.objects.visible_to(user).filter(state=EliminationState.PROPOSED)
    first = eliminations.select_related("candidate__village__region__parent").order_by("proposed_at", "pk")
    return Section(
        key="eliminations-awaiting",
        title=_("Eliminations awaiting the county"),
        count=eliminations.count(),
        items=[
            Item(
                label=e.candidate.name,
                url=e.get_absolute_url(),
                place=_place(e.candidate.village, wide=True),
                note=e.get_reason_display(),
                since=timezone.localdate(e.proposed_at),
            )
            for e in first[:SECTION_SIZE]
        ],
        empty_text=_("No elimination is waiting for a decision."),
        see_all_url=reverse("candidates:elimination_list"),
        since_label=_("Proposed on"),
    )


def _reserves_awaiting(user) -> Section:
    """Reserve designations and removals the townships proposed, for the county to confirm."""
    reserves = Reserve.objects.visible_to(user).filter(
        status__in=(ReserveStatus.PROPOSED, ReserveStatus.REMOVAL_PROPOSED)
    )
    first = reserves.select_related("candidate", "village__region__parent").order_by("designated_on", "pk")
    return Section(
        key="reserves-awaiting",
        title=_("Reserve designations and removals awaiting the county"),
        count=reserves.count(),
        items=[
            Item(
                label=r.candidate.name,
                url=reverse("villages:reserve_detail", args=[r.pk]),
                place=_place(r.village, wide=True),
                note=f"{r.get_kind_display()} · {r.get_status_display()}",
                since=r.designated_on,
            )
            for r in first[:SECTION_SIZE]
        ],
        empty_text=_("No reserve designation or removal is waiting for the county."),
        since_label=_("Designated on"),
    )


def _reserve_shortfall_figure(user) -> Figure:
    """Villages below the reserve target (DESIGN §3), as the shortfall page counts them: one query."""
    short = short_of_reserves(Village.objects.visible_to(user)).count()
    return Figure(
        _("Villages short of reserves"), short, reverse("villages:reserve_shortfall"), alert=short > 0
    )


def _township_queue(user, queue: WorkQueue, *, today) -> None:
    certifications = Certification.objects.visible_to(user).in_progress()
    counts = _certification_counts(certifications, today)
    steps = steps_of(Role.TOWNSHIP_OFFICIAL)
    prospects = Candidate.objects.visible_to(user).filter(status=Status.PROSPECT).count()
    queue.sections = _step_sections(certifications, counts, steps, today=today, wide=False)
    queue.sections.append(_running_notices(user, today=today, wide=False))
    queue.sections.append(_promotions_returned(user))
    queue.figures = [
        Figure(_("Awaiting your steps"), sum(counts[f"step_{n}"] for n in steps)),
        _overdue_figure(counts),
        Figure(_("Prospects not yet nominated"), prospects, candidate_list_url(status=Status.PROSPECT)),
        _reserve_shortfall_figure(user),
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
        _promotions_awaiting(
            user,
            PromotionState.PROPOSED,
            key="promotions-awaiting-county",
            title=_("Promotions awaiting the county"),
            wide=True,
        ),
        _eliminations_awaiting(user),
        _reserves_awaiting(user),
    ]
    queue.figures = [
        Figure(_("Awaiting your steps"), sum(counts[f"step_{n}"] for n in steps)),
        _overdue_figure(counts),
        Figure(_("Objections to rule on"), objections.count, alert=objections.count > 0),
        Figure(_("Notices ending soon"), notices.count),
        _reserve_shortfall_figure(user),
    ]
    queue.dynamic_management_url = reverse("reports:dynamic_management")


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
        _promotions_awaiting(
            user,
            PromotionState.ENDORSED,
            key="promotions-awaiting-city",
            title=_("Promotions awaiting the city"),
            wide=True,
        )
    )
    queue.dynamic_management_url = reverse("reports:dynamic_management")
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
    """What awaits `user`: steps to take, notices ending, objections to rule on, overdue items,
    promotions, eliminations and reserves to decide, villages short of reserves."""
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


# Dynamic management (五个一批) --------------------------------------------------------------------

GROUPS = ("contacted", "selected", "consolidated", "promoted", "eliminated")

GROUP_LABELS = {
    "contacted": pgettext_lazy("dynamic management", "Contacted"),
    "selected": pgettext_lazy("dynamic management", "Selected"),
    "consolidated": pgettext_lazy("dynamic management", "Consolidated"),
    "promoted": pgettext_lazy("dynamic management", "Promoted"),
    "eliminated": pgettext_lazy("dynamic management", "Eliminated"),
}

# One line per group, shown beside its count: the definitions `_group_conditions` implements.
GROUP_DEFINITIONS = {
    "contacted": gettext_lazy(
        "People entered during the year who had no certification started by 31 December: "
        "noted, not nominated."
    ),
    "selected": gettext_lazy("People whose certification was filed (step 7) during the year."),
    "consolidated": gettext_lazy(
        "People filed by 31 December and not eliminated before the year, who were neither selected, "
        "promoted nor eliminated during it."
    ),
    "promoted": gettext_lazy("People with a promotion approved during the year."),
    "eliminated": gettext_lazy("People whose elimination was approved during the year."),
}

# What the date column of a group's list shows.
GROUP_DATE_LABELS = {
    "contacted": gettext_lazy("Entered on"),
    "selected": gettext_lazy("Filed on"),
    "consolidated": gettext_lazy("Filed on"),
    "promoted": gettext_lazy("Promoted on"),
    "eliminated": gettext_lazy("Eliminated on"),
}

# The earliest year the year selector offers, whatever the records say.
FIRST_YEAR = 2000


def _region_prefix(region: Region | None) -> str:
    return region.prefix if region is not None else ""


def _group_conditions(year: int) -> dict[str, Q]:
    """Each group of `year` as a condition on a Candidate row, from dated records only.

    `__year` lookups on date-times use the current time zone (Asia/Shanghai), so a decision taken at
    00:30 on 1 January in Fushun belongs to the new year. The subqueries are not correlated with the
    row: the database runs each once and looks people up in its result (a per-person EXISTS inside
    an aggregate's filter is run again for every person, and the planner may pick a poor index).
    """

    def people(queryset: QuerySet) -> Q:
        # Not narrowed to the region: a join in the subquery invites nested loops on poor statistics,
        # and the outer query already keeps only the region's people.
        return Q(pk__in=queryset.values("candidate_id"))

    filed = Certification.objects.filter(state=CertificationState.FILED)
    approved_eliminations = Elimination.objects.approved()
    selected = people(filed.filter(filed_on__year=year))
    promoted = people(Promotion.objects.approved_in(year))
    eliminated = people(approved_eliminations.filter(decided_at__year=year))
    return {
        "contacted": Q(created_at__year=year)
        & ~people(Certification.objects.filter(started_at__year__lte=year)),
        "selected": selected,
        "consolidated": people(filed.filter(filed_on__year__lte=year))
        & ~people(approved_eliminations.filter(decided_at__year__lt=year))
        & ~selected
        & ~promoted
        & ~eliminated,
        "promoted": promoted,
        "eliminated": eliminated,
    }


def _group_annotations(group: str, year: int) -> dict:
    """The date (and for promotions and eliminations, the outcome) a group's list shows per person."""
    filed = Certification.objects.filter(candidate=OuterRef("pk"), state=CertificationState.FILED)
    if group == "contacted":
        return {"group_date": TruncDate("created_at")}
    if group in ("selected", "consolidated"):
        within = (
            filed.filter(filed_on__year=year)
            if group == "selected"
            else filed.filter(filed_on__year__lte=year)
        )
        return {"group_date": Subquery(within.order_by("-filed_on").values("filed_on")[:1])}
    if group == "promoted":
        promotions = (
            Promotion.objects.approved_in(year)
            .filter(candidate=OuterRef("pk"))
            .order_by("-decided_at", "-pk")
        )
        return {
            "group_date": Subquery(
                promotions.annotate(day=TruncDate("decided_at")).values("day")[:1], output_field=DateField()
            ),
            "group_outcome": Subquery(promotions.values("to_stage")[:1]),
        }
    eliminations = (
        Elimination.objects.approved()
        .filter(candidate=OuterRef("pk"), decided_at__year=year)
        .order_by("-decided_at", "-pk")
    )
    return {
        "group_date": Subquery(
            eliminations.annotate(day=TruncDate("decided_at")).values("day")[:1], output_field=DateField()
        ),
        "group_outcome": Subquery(eliminations.values("reason")[:1]),
    }


@dataclass
class DynamicRow:
    """The five counts of one region (or of the whole focus region, for the totals)."""

    region: Region | None
    counts: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(group, count) in the order of the five groups, for a table row."""
        return [(group, self.counts.get(group, 0)) for group in GROUPS]


@dataclass
class DynamicGroups:
    """Dynamic management of a region for a year: the totals, the same per child region, and the
    people of each group."""

    region: Region | None
    year: int
    total: DynamicRow
    children: list[DynamicRow]
    # The level of the children (None below a village), for the table's heading.
    child_level: RegionLevel | None
    people_base: QuerySet

    def people(self, group: str) -> QuerySet:
        """The candidates of `group`, scoped like the counts, with what the list's rows show."""
        return (
            self.people_base.filter(_group_conditions(self.year)[group])
            .select_related("village__region__parent")
            .annotate(**_group_annotations(group, self.year))
        )


def dynamic_groups(*, user, region: Region | None, year: int) -> DynamicGroups:
    """The five groups of dynamic management (五个一批) for the people under `region` in `year`.

    A person counts in a region when their village is under it. Only dated records are read, never
    a status "now", so a past year's figures do not change as people move on:

    - contacted (联系一批): entered in the year (`Candidate.created_at`) with no certification started
      (`Certification.started_at`) on or before 31 December: noted that year, not nominated within it;
    - selected (选拔一批): a certification filed in the year (state filed, `filed_on` in the year);
    - promoted (提升一批): a promotion approved in the year (`Promotion.decided_at`);
    - eliminated (淘汰一批): an elimination approved in the year (`Elimination.decided_at`);
    - consolidated (巩固一批): in the programme during the year (filed on or before 31 December, no
      elimination approved before 1 January) and neither selected, promoted nor eliminated in it.

    Each group counts people, not records. The counts of all five groups for every child region come
    from one grouped query; `region=None` (an administrator without a jurisdiction) means everything
    visible, by province.
    """
    people = Candidate.objects.visible_to(user)
    prefix = _region_prefix(region)
    if prefix:
        people = people.filter(village__region__code__startswith=prefix)
    child_level = RegionLevel.PROVINCE if region is None else region.child_level
    if child_level is None:
        children = Region.objects.none()
        length = PREFIX_LENGTH[RegionLevel.VILLAGE]
    else:
        children = Region.objects.visible_to(user).filter(parent=region, level=child_level)
        length = PREFIX_LENGTH[child_level]

    conditions = _group_conditions(year)
    rows = (
        people.order_by()
        .annotate(area=Substr("village_id", 1, length))
        .values("area")
        .annotate(**{group: Count("pk", filter=condition) for group, condition in conditions.items()})
    )
    by_area = {row.pop("area"): row for row in rows}
    total = DynamicRow(region, {group: sum(row[group] for row in by_area.values()) for group in GROUPS})
    child_rows = [
        DynamicRow(child, {group: by_area.get(child.code[:length], {}).get(group, 0) for group in GROUPS})
        for child in children.order_by("code")
    ]
    return DynamicGroups(
        region=region,
        year=year,
        total=total,
        children=child_rows,
        child_level=child_level,
        people_base=people,
    )


def dynamic_years(*, user, region: Region | None, today: datetime.date | None = None) -> list[int]:
    """The years the report can show, newest first: from the first dated record under the region to now.

    Every year after a filing has people to count (those consolidated), so the years in between are
    offered too. One query.
    """
    this_year = (today or timezone.localdate()).year
    prefix = _region_prefix(region)

    def years(queryset: QuerySet, path: str, when: str) -> QuerySet:
        scoped = (
            queryset.filter(**{f"{path}village__region__code__startswith": prefix}) if prefix else queryset
        )
        return scoped.annotate(year=ExtractYear(when)).values_list("year", flat=True).order_by()

    found = (
        years(Candidate.objects.visible_to(user), "", "created_at")
        .union(
            years(
                Certification.objects.visible_to(user).filter(state=CertificationState.FILED),
                "candidate__",
                "filed_on",
            ),
            years(
                Promotion.objects.visible_to(user).filter(state=PromotionState.APPROVED),
                "candidate__",
                "decided_at",
            ),
            years(Elimination.objects.visible_to(user).approved(), "candidate__", "decided_at"),
        )
        .order_by()
    )
    first = min([year for year in found if year and year >= FIRST_YEAR] or [this_year - 1])
    return list(range(this_year, min(first, this_year - 1) - 1, -1))
