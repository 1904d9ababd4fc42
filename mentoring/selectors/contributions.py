"""Reads of contributions (DESIGN §1, §6): collective-economy projects, counted contributions and awards;
the scoped lists and their totals, the figures of a region and year, what a candidate's page shows, and
the events of a person's timeline.

Every figure is built from `visible_to(user)`, so that a number and the list behind it agree.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from candidates.person import PersonRecords
from candidates.timeline import TimelineEvent
from config.forms import field_label
from mentoring import permissions
from mentoring.choices import ContributionKind
from mentoring.models import Award, CollectiveProject, Contribution
from mentoring.selectors.support import PERSON, day_start, in_region, line, number

KINDS = {
    "households_helped": ContributionKind.HOUSEHOLDS_HELPED,
    "service_items": ContributionKind.SERVICE_ITEMS,
    "problems_solved": ContributionKind.PROBLEMS_SOLVED,
}


# The lists -----------------------------------------------------------------------------------------


def collective_project_list(*, user) -> QuerySet:
    """Collective-economy projects led by people the user may see, newest first."""
    return CollectiveProject.objects.visible_to(user).select_related(
        PERSON, "village__region__parent__parent", "recorded_by"
    )


def contribution_list(*, user) -> QuerySet:
    """Counted contributions of people the user may see, newest first."""
    return Contribution.objects.visible_to(user).select_related(PERSON, "recorded_by")


def award_list(*, user) -> QuerySet:
    """Awards of people the user may see, newest first."""
    return Award.objects.visible_to(user).select_related(PERSON, "recorded_by")


def collective_project_totals(queryset: QuerySet) -> dict:
    """`projects` and their `amount` (Decimal) among the rows of `queryset`: one query."""
    totals = queryset.order_by().aggregate(projects=Count("pk"), amount=Sum("amount"))
    totals["amount"] = totals["amount"] or Decimal(0)
    return totals


def contribution_totals(queryset: QuerySet) -> dict:
    """`records`, and the sum of the counts of each kind (`households_helped`, `service_items`,
    `problems_solved`) among the rows of `queryset`: one query."""
    totals = queryset.order_by().aggregate(
        records=Count("pk"),
        **{key: Sum("count", filter=Q(kind=kind)) for key, kind in KINDS.items()},
    )
    return {key: value or 0 for key, value in totals.items()}


def award_totals(queryset: QuerySet) -> dict:
    """`awards` and `awarded_candidates` (distinct people) among the rows of `queryset`: one query."""
    return queryset.order_by().aggregate(
        awards=Count("pk"), awarded_candidates=Count("candidate", distinct=True)
    )


# Figures of a region (DESIGN §1, §9 summary.json "contributions") ----------------------------------------


def contribution_figures(*, user, year: int, region=None) -> dict:
    """Contributions in a region the user may see: `collective_projects` (projects led, all time),
    `households_helped` (all time), `service_items` and `problems_solved` (sums of the counts dated in
    `year`), `awarded_candidates` (distinct people with an award dated in `year`). Three queries.

    `region` is a `villages.models.Region` (None: everything the user sees); a record belongs to the
    region of the candidate's village. Each figure equals the totals of its list filtered by the region
    (and, for the yearly ones, the year).
    """
    contributions = in_region(Contribution.objects.visible_to(user), region).order_by()
    sums = contributions.aggregate(
        households_helped=Sum("count", filter=Q(kind=ContributionKind.HOUSEHOLDS_HELPED)),
        service_items=Sum("count", filter=Q(kind=ContributionKind.SERVICE_ITEMS, date__year=year)),
        problems_solved=Sum("count", filter=Q(kind=ContributionKind.PROBLEMS_SOLVED, date__year=year)),
    )
    awards = in_region(Award.objects.visible_to(user), region).filter(date__year=year)
    return {
        "collective_projects": in_region(CollectiveProject.objects.visible_to(user), region).count(),
        "households_helped": sums["households_helped"] or 0,
        "service_items": sums["service_items"] or 0,
        "problems_solved": sums["problems_solved"] or 0,
        "awarded_candidates": award_totals(awards)["awarded_candidates"],
    }


# A candidate's page ------------------------------------------------------------------------------------


def _by_year(projects, records, awards) -> list[dict]:
    """The person's contributions added up by year, newest year first."""
    years = {}

    def year(day):
        return years.setdefault(
            day.year,
            {"year": day.year, "collective_projects": 0, "awards": 0, **dict.fromkeys(KINDS, 0)},
        )

    for project in projects:
        year(project.start_date)["collective_projects"] += 1
    for record in records:
        year(record.date)[record.kind] += record.count
    for award in awards:
        year(award.date)["awards"] += 1
    return [years[y] for y in sorted(years, reverse=True)]


def candidate_contributions(*, candidate, user, records=None) -> dict:
    """The contributions section of a candidate's page
    (templates/mentoring/includes/candidate_contributions.html): `candidate`, `projects`, `records`
    (counted contributions), `awards` (each newest first), `totals` (`collective_projects`,
    `collective_amount`, `households_helped`, `service_items`, `problems_solved`, `awards`), `by_year`
    (the same by year, newest first) and `can_record` (draw the "record" links). Three queries.

    `candidate` was fetched through `visible_to(user)`; the records are scoped again all the same.
    """
    person = records or PersonRecords(candidate=candidate, user=user)
    projects, records, awards = person.collective_projects, person.contributions, person.awards
    return {
        "candidate": candidate,
        "projects": projects,
        "records": records,
        "awards": awards,
        "totals": {
            "collective_projects": len(projects),
            "collective_amount": sum((p.amount for p in projects), Decimal(0)),
            **{key: sum(r.count for r in records if r.kind == kind) for key, kind in KINDS.items()},
            "awards": len(awards),
        },
        "by_year": _by_year(projects, records, awards),
        "can_record": permissions.can_record_contributions(user, candidate),
    }


def contribution_events(*, candidate, records=None) -> list:
    """The person's collective-economy projects, counted contributions and awards, as
    `candidates.timeline.TimelineEvent`s (by date). Three queries.

    `candidate` was fetched through `visible_to(user)`: the timeline hangs off the person, as the rest
    of it does (candidates/timeline.py).
    """
    query = "?" + urlencode({"q": candidate.name})
    person = records or PersonRecords(candidate=candidate)
    events = []
    for project in person.collective_projects:
        events.append(
            TimelineEvent(
                when=day_start(project.start_date),
                who=project.recorded_by,
                kind="collective_project",
                title=_("Leads a collective-economy project: %(name)s") % {"name": project.name},
                details=[
                    line(field_label(CollectiveProject, "village"), project.village.region.name),
                    line(field_label(CollectiveProject, "amount"), number(project.amount)),
                ],
                date_only=True,
                url=reverse("mentoring:collective_project_list") + query,
            )
        )
    for record in person.contributions:
        events.append(
            TimelineEvent(
                when=day_start(record.date),
                who=record.recorded_by,
                kind="contribution",
                title=line(record.get_kind_display(), record.count),
                details=[record.note] if record.note else [],
                date_only=True,
                url=reverse("mentoring:contribution_list") + query,
            )
        )
    for award in person.awards:
        events.append(
            TimelineEvent(
                when=day_start(award.date),
                who=award.recorded_by,
                kind="award",
                title=_("Award received: %(title)s (%(level)s)")
                % {"title": award.title, "level": award.get_level_display()},
                details=[line(field_label(Award, "granted_by"), award.granted_by)]
                if award.granted_by
                else [],
                date_only=True,
                url=reverse("mentoring:award_list") + query,
            )
        )
    return events
