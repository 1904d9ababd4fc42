"""The work queue at `/` (DESIGN §7): what awaits each user, by role, declared in the table `QUEUE`.

Every query starts from `visible_to(user)`. Counts are aggregates and each list is one query cut at
`SECTION_SIZE`, so the page costs the same number of queries for ten waiting items or ten thousand.
"""

import datetime
from collections.abc import Callable

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.choices import Role
from candidates.choices import CertificationState, EliminationState, PromotionAction, PromotionState, Status
from candidates.models import (
    Candidate,
    Elimination,
    Objection,
    Promotion,
    PromotionDecision,
    PublicNotice,
)
from candidates.workflow import NOTICE_STEP, STEPS
from reports import queue_mentoring
from reports.queue_parts import (
    SECTION_SIZE,
    Figure,
    Item,
    Scope,
    Section,
    WorkQueue,
    candidate_list_url,
    listed,
    place_of,
    step_title,
)
from villages.choices import PREFIX_LENGTH, ReserveStatus
from villages.models import Region, Reserve, Village
from villages.selectors import grouped_by_prefix, short_of_reserves

# The county prepares the notice step's decision for notices ending this many days from today or sooner.
NOTICE_ENDING_DAYS = 3


def _certification_item(certification, scope: Scope, *, note: str = "") -> Item:
    return Item(
        label=certification.candidate.name,
        url=certification.get_absolute_url(),
        place=place_of(certification.candidate.village, wide=scope.wide),
        note=note,
        since=certification.step_started_on,
        due=certification.step_due_on,
        overdue=certification.step_due_on < scope.today,
    )


def _notice_item(notice, scope: Scope, *, action: bool = False) -> Item:
    certification = notice.certification
    return Item(
        label=certification.candidate.name,
        url=certification.get_absolute_url(),
        place=place_of(certification.candidate.village, wide=scope.wide),
        since=notice.start_date,
        due=notice.end_date,
        ended=notice.end_date < scope.today,
        action_url=reverse("candidates:objection_record", args=[certification.pk]) if action else "",
        action_label=_("Record an objection") if action else "",
    )


NOTICE_ORDER = ("end_date", "pk")


def _notices(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("certification__candidate__village__region__parent")


def _move(promotion) -> str:
    return _("%(from)s → %(to)s") % {
        "from": promotion.get_from_stage_display(),
        "to": promotion.get_to_stage_display(),
    }


def _promotions_awaiting(scope: Scope, state: str, *, key: str, title: str) -> Section:
    """Promotions waiting in `state` for the user's decision, the longest waiting first."""
    promotions = Promotion.objects.visible_to(scope.user).filter(state=state)
    return listed(
        promotions.select_related("candidate__village__region__parent"),
        order=("proposed_at", "pk"),
        item=lambda p: Item(
            label=p.candidate.name,
            url=p.get_absolute_url(),
            place=place_of(p.candidate.village, wide=scope.wide),
            note=_move(p),
            since=timezone.localdate(p.proposed_at),
        ),
        key=key,
        title=title,
        empty_text=_("No promotion is waiting for a decision."),
        since_label=_("Proposed on"),
    )


# Section builders: each takes the queue's `Scope` and gives a section, or a list of them ----------------


def step_sections(*, scope: Scope) -> list[Section]:
    """One section per step of the role, oldest first; the first items of every step in one windowed query."""
    oldest_first = [F("step_started_on").asc(), F("pk").asc()]
    ranked = (
        scope.certifications.filter(step__in=scope.steps)
        .select_related("candidate__village__region__parent")
        .annotate(rank=Window(RowNumber(), partition_by=F("step"), order_by=oldest_first))
        .filter(rank__lte=SECTION_SIZE)
        .order_by("step", *oldest_first)
    )
    by_step = {number: [] for number in scope.steps}
    for certification in ranked:
        by_step[certification.step].append(_certification_item(certification, scope))
    return [
        Section(
            key=f"step-{number}",
            title=step_title(number),
            count=scope.counts[f"step_{number}"],
            items=by_step[number],
            empty_text=_("Nothing waits at this step."),
            see_all_url=candidate_list_url(step=number),
            since_label=_("At this step since"),
            due_label=_("Step due on"),
        )
        for number in scope.steps
    ]


def running_notices(*, scope: Scope) -> Section:
    """Notices of the user's township open to objections today, to record those received by phone."""
    notices = PublicNotice.objects.visible_to(scope.user).in_force(scope.today)
    return listed(
        _notices(notices),
        order=NOTICE_ORDER,
        item=lambda n: _notice_item(n, scope, action=True),
        key="notices-running",
        title=_("Public notices running"),
        empty_text=_("No public notice is running."),
        see_all_url=reverse("notices:notice_list"),
        since_label=_("First day of notice"),
        due_label=_("Last day of notice"),
    )


def open_objections(*, scope: Scope) -> Section:
    """Objections nobody has ruled on yet, oldest first, each linking to its ruling page."""
    objections = Objection.objects.visible_to(scope.user).open()
    return listed(
        objections.select_related("notice__certification__candidate__village__region__parent"),
        order=("filed_at", "pk"),
        item=lambda o: Item(
            label=o.notice.certification.candidate.name,
            url=reverse("candidates:objection_rule", args=[o.pk]),
            place=place_of(o.notice.certification.candidate.village, wide=scope.wide),
            note=Truncator(o.content).chars(40),
            since=timezone.localdate(o.filed_at),
        ),
        key="objections",
        title=_("Objections to rule on"),
        empty_text=_("No objection is waiting for a ruling."),
        see_all_url=candidate_list_url(step=NOTICE_STEP),
        since_label=_("Received on"),
    )


def notices_ending(*, scope: Scope) -> Section:
    """Notices ending within a few days, and those ended whose notice step is not yet completed."""
    notices = PublicNotice.objects.visible_to(scope.user).filter(
        certification__state=CertificationState.IN_PROGRESS,
        certification__step=NOTICE_STEP,
        end_date__lte=scope.today + datetime.timedelta(days=NOTICE_ENDING_DAYS),
    )
    return listed(
        _notices(notices),
        order=NOTICE_ORDER,
        item=lambda n: _notice_item(n, scope),
        key="notices-ending",
        title=_("Public notices ending within %(days)s days") % {"days": NOTICE_ENDING_DAYS},
        empty_text=_("No public notice ends in the next few days."),
        see_all_url=candidate_list_url(step=NOTICE_STEP),
        since_label=_("First day of notice"),
        due_label=_("Last day of notice"),
    )


def overdue_certifications(*, scope: Scope) -> Section:
    """Overdue certifications at any step, the longest overdue first, so the county can chase them."""
    overdue = (
        scope.certifications.filter(step_due_on__lt=scope.today)
        .select_related("candidate__village__region__parent")
        .order_by("step_due_on", "pk")[:SECTION_SIZE]
    )
    return Section(
        key="overdue",
        title=_("Overdue at any step"),
        count=scope.counts["overdue"],
        items=[_certification_item(c, scope, note=step_title(c.step)) for c in overdue],
        empty_text=_("Nothing is overdue."),
        see_all_url=candidate_list_url(overdue=1),
        since_label=_("At this step since"),
        due_label=_("Step due on"),
    )


def promotions_awaiting_county(*, scope: Scope) -> Section:
    title = _("Promotions awaiting the county")
    return _promotions_awaiting(scope, PromotionState.PROPOSED, key="promotions-awaiting-county", title=title)


def promotions_awaiting_city(*, scope: Scope) -> Section:
    title = _("Promotions awaiting the city")
    return _promotions_awaiting(scope, PromotionState.ENDORSED, key="promotions-awaiting-city", title=title)


def promotions_returned(*, scope: Scope) -> Section:
    """Promotions the county or city sent back to the township, with the reason of the last return."""
    promotions = Promotion.objects.visible_to(scope.user).filter(state=PromotionState.RETURNED)
    last_return = PromotionDecision.objects.filter(
        promotion=OuterRef("pk"), action=PromotionAction.RETURN
    ).order_by("-at", "-pk")
    return listed(
        promotions.select_related("candidate__village__region__parent").annotate(
            returned_at=Subquery(last_return.values("at")[:1]),
            return_opinion=Subquery(last_return.values("opinion")[:1]),
        ),
        order=("proposed_at", "pk"),
        item=lambda p: Item(
            label=p.candidate.name,
            url=p.get_absolute_url(),
            place=place_of(p.candidate.village, wide=scope.wide),
            note=" · ".join(filter(None, [_move(p), Truncator(p.return_opinion or "").chars(40)])),
            since=timezone.localdate(p.returned_at) if p.returned_at else None,
        ),
        key="promotions-returned",
        title=_("Promotions returned to you"),
        empty_text=_("No promotion was returned to you."),
        since_label=_("Returned on"),
    )


def eliminations_awaiting(*, scope: Scope) -> Section:
    """Eliminations proposed by the townships or mentors, for the county to decide."""
    eliminations = Elimination.objects.visible_to(scope.user).filter(state=EliminationState.PROPOSED)
    return listed(
        eliminations.select_related("candidate__village__region__parent"),
        order=("proposed_at", "pk"),
        item=lambda e: Item(
            label=e.candidate.name,
            url=e.get_absolute_url(),
            place=place_of(e.candidate.village, wide=scope.wide),
            note=e.get_reason_display(),
            since=timezone.localdate(e.proposed_at),
        ),
        key="eliminations-awaiting",
        title=_("Eliminations awaiting the county"),
        empty_text=_("No elimination is waiting for a decision."),
        see_all_url=reverse("candidates:elimination_list"),
        since_label=_("Proposed on"),
    )


def reserves_awaiting(*, scope: Scope) -> Section:
    """Reserve designations and removals the townships proposed, for the county to confirm."""
    reserves = Reserve.objects.visible_to(scope.user).filter(
        status__in=(ReserveStatus.PROPOSED, ReserveStatus.REMOVAL_PROPOSED)
    )
    return listed(
        reserves.select_related("candidate", "village__region__parent"),
        order=("designated_on", "pk"),
        item=lambda r: Item(
            label=r.candidate.name,
            url=reverse("villages:reserve_detail", args=[r.pk]),
            place=place_of(r.village, wide=scope.wide),
            note=f"{r.get_kind_display()} · {r.get_status_display()}",
            since=r.designated_on,
        ),
        key="reserves-awaiting",
        title=_("Reserve designations and removals awaiting the county"),
        empty_text=_("No reserve designation or removal is waiting for the county."),
        since_label=_("Designated on"),
    )


def overdue_by_region(*, scope: Scope) -> list[Section]:
    """Overdue certifications counted per region one level down; none below the lowest level."""
    region = scope.user.jurisdiction
    if region is None or region.child_level is None:
        return []
    # Group by the code prefix of the regions one level down: one query for all of them.
    length = PREFIX_LENGTH[region.child_level]
    late = scope.certifications.filter(step_due_on__lt=scope.today)
    overdue = grouped_by_prefix(late, "candidate__village_id", length, n=Count("pk"))
    children = Region.objects.visible_to(scope.user).filter(parent=region).order_by("code")
    return [
        Section(
            key="overdue-by-region",
            title=_("Overdue certifications per %(level)s") % {"level": region.child_level.label},
            count=scope.counts["overdue"],
            items=[
                Item(
                    label=child.name,
                    url=candidate_list_url(region=child.code, overdue=1),
                    count=overdue.get(child.code[:length], {}).get("n", 0),
                )
                for child in children
            ],
            empty_text=_("No region below yours."),
            see_all_url=candidate_list_url(overdue=1),
            tally=True,
        )
    ]


def in_progress_by_step(*, scope: Scope) -> Section:
    return Section(
        key="in-progress-by-step",
        title=_("Certifications in progress by step"),
        count=scope.counts["total"],
        items=[
            Item(label=step_title(n), url=candidate_list_url(step=n), count=scope.counts[f"step_{n}"])
            for n in STEPS
        ],
        empty_text="",
        see_all_url=candidate_list_url(status=Status.CERTIFYING),
        tally=True,
    )


def administration(*, scope: Scope) -> Section:
    return Section(
        key="administration",
        title=_("Administration"),
        count=None,
        items=[],
        empty_text=_("Users, regions and reference data are kept in the administration."),
        see_all_url=reverse("admin:index"),
        see_all_label=_("Open the administration"),
    )


# Figure builders: each takes the queue's `Scope` and gives a headline figure ------------------------------


def awaiting_steps_figure(*, scope: Scope) -> Figure:
    return Figure(_("Awaiting your steps"), sum(scope.counts[f"step_{n}"] for n in scope.steps))


def overdue_figure(*, scope: Scope) -> Figure:
    overdue = scope.counts["overdue"]
    return Figure(_("Overdue certifications"), overdue, candidate_list_url(overdue=1), alert=overdue > 0)


def in_progress_figure(*, scope: Scope) -> Figure:
    return Figure(_("Certifications in progress"), scope.counts["total"])


def prospects_figure(*, scope: Scope) -> Figure:
    prospects = Candidate.objects.visible_to(scope.user).filter(status=Status.PROSPECT).count()
    return Figure(_("Prospects not yet nominated"), prospects, candidate_list_url(status=Status.PROSPECT))


def objections_figure(*, scope: Scope) -> Figure:
    count = scope.build(open_objections).count
    return Figure(_("Objections to rule on"), count, alert=count > 0)


def notices_ending_figure(*, scope: Scope) -> Figure:
    return Figure(_("Notices ending soon"), scope.build(notices_ending).count)


def reserve_shortfall_figure(*, scope: Scope) -> Figure:
    """Villages below the reserve target (DESIGN §3), as the shortfall page counts them: one query."""
    short = short_of_reserves(Village.objects.visible_to(scope.user), user=scope.user).count()
    return Figure(
        _("Villages short of reserves"), short, reverse("villages:reserve_shortfall"), alert=short > 0
    )


# The queue of each role --------------------------------------------------------------------------------

# Each role's sections and figures, each kind drawn in the order given here.
QUEUE: dict[str, tuple[Callable[..., Section | Figure | list[Section]], ...]] = {
    Role.TOWNSHIP_OFFICIAL: (
        step_sections,
        running_notices,
        promotions_returned,
        awaiting_steps_figure,
        overdue_figure,
        prospects_figure,
        reserve_shortfall_figure,
    ),
    Role.COUNTY_REVIEWER: (
        step_sections,
        open_objections,
        notices_ending,
        overdue_certifications,
        promotions_awaiting_county,
        eliminations_awaiting,
        reserves_awaiting,
        awaiting_steps_figure,
        overdue_figure,
        objections_figure,
        notices_ending_figure,
        reserve_shortfall_figure,
        *queue_mentoring.COUNTY_QUEUE,
    ),
    Role.CITY_STAFF: (
        overdue_by_region,
        promotions_awaiting_city,
        in_progress_by_step,
        in_progress_figure,
        overdue_figure,
    ),
    Role.MENTOR: queue_mentoring.MENTOR_QUEUE,
    Role.ADMINISTRATOR: (administration,),
}

# The roles that oversee more than one township, whose queue links to dynamic management.
DYNAMIC_MANAGEMENT_ROLES = frozenset({Role.COUNTY_REVIEWER, Role.CITY_STAFF})


def work_queue(*, user, today: datetime.date | None = None) -> WorkQueue:
    """What awaits `user`: steps to take, notices ending, objections to rule on, overdue items,
    promotions, eliminations and reserves to decide, villages short of reserves."""
    # A superuser gets the administrator's queue whatever role the account carries.
    role = Role.ADMINISTRATOR if user.is_administrator else user.role
    scope = Scope(user=user, today=today or timezone.localdate())
    queue = WorkQueue(region=user.jurisdiction)
    for build in QUEUE.get(role, ()):
        built = scope.build(build)
        for part in built if isinstance(built, list) else [built]:
            (queue.figures if isinstance(part, Figure) else queue.sections).append(part)
    if role in DYNAMIC_MANAGEMENT_ROLES:
        queue.dynamic_management_url = reverse("reports:dynamic_management")
    return queue
