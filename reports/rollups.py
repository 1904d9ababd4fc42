"""The rollups behind the dashboard and summary.json: every figure counted per village and year once,
summed up the region tree, and kept current by the writes that change the records.

Why: the dashboard of a province must cost the same whether it holds 6,000 or 5 million candidates.
Counting the records on each request grows with them; reading a few dozen rollup rows of one region
does not.

How:
- `village_figures(codes)` counts every figure from the records, grouped by village and year, in a
  fixed number of grouped queries (for the villages `codes`, or for all of them).
- `refresh(codes)` recomputes the figures of those villages, inside the caller's transaction, and
  adds the difference to the rows of each village's township, county, city and province. The village
  rows are locked first, so two transactions refreshing one village take turns and each adds only
  its own change. It runs from `post_save`/`post_delete` of every model a figure reads
  (`connect_signals`), so every service, the admin and the shell keep the rollups current; inside
  `batch()` (a certification step, an import) the villages are gathered and refreshed once at the end.
  Bulk writes send no signals: their callers call `refresh` (imports) or `rebuild` (the demo).
- `rebuild()` (`manage.py rebuild_rollups`) recomputes everything from scratch. Figures about "now"
  that move with the calendar alone (a seat whose term ended yesterday) are corrected by running it
  nightly; overdue certifications need no rebuild: counted by due date (DUE), they are summed up to
  today when read (`reports.summary`).
"""

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.signals import post_delete, post_init, post_save

from reports.models import NOW, Rollup
from villages.codes import ancestor_codes

# Figures counted per choice carry its value after the prefix: "stage:party_member", "step:3".
STAGE, SOURCE, STEP = "stage:", "source:", "step:"
# Certifications in progress by the day their step is due ("due:2026-11-30"): the overdue are those due
# before today, summed when read, so that the figure moves with the calendar without a write.
DUE = "due:"

# The figures a change to each kind of record can move: a write recounts only those. A change to a
# candidate (status, stage, village) moves every figure about people, so it recounts all of them.
MOVED_BY = {
    "candidates.Certification": {STEP, DUE, "filed", "rejected"},
    "candidates.Elimination": {"eliminated"},
    "candidates.Promotion": {"promoted"},
    "mentoring.MentorAssignment": {"without_mentor"},
    "mentoring.Contribution": {"households_helped", "service_items", "problems_solved"},
    "mentoring.Award": {"awarded_candidates"},
    "mentoring.Enrolment": {"university_trainees"},
    "mentoring.Course": {"university_trainees"},
    "mentoring.OnlineLearning": {"online_learners"},
    "mentoring.Support": {"loans_yuan", "land_transfer_mu", "projects"},
    "mentoring.CollectiveProject": {"collective_projects"},
    "villages.CommitteeSeat": {"committee_members", "committee_wealth_creators", "in_village_committees"},
    "villages.Reserve": {"committee_reserves", "meeting_reserve_target"},
    "villages.StarRating": {"four_star_plus"},
    "villages.Pairing": {"paired"},
    "villages.Village": {"villages"},
}


def _figure_name(key: str) -> str:
    """The name a figure is asked for by: its key, or the prefix of a per-choice figure."""
    head, colon, _ = key.partition(":")
    return head + colon if colon else key


def _rows(queryset, village: str, key: str, *, year=None, value=None, distinct: str | None = None):
    """(village, year, key, value) of `queryset` grouped by the village path `village` and the year
    expression `year` (the present when None); `value` is Count("pk") unless given."""
    if value is None:
        value = Count(distinct, distinct=True) if distinct else Count("pk")
    grouped = queryset.order_by().values(v=F(village))
    if year is not None:
        grouped = grouped.annotate(y=year).values("v", "y")
    for row in grouped.annotate(n=value):
        # A record without its date (an approval entered without one) belongs to no year.
        if row["n"] and row.get("y", NOW) is not None:
            yield row["v"], row.get("y", NOW), key, Decimal(row["n"])


def _by_choice(queryset, village: str, field: str, prefix: str):
    grouped = queryset.order_by().values(v=F(village), c=F(field)).annotate(n=Count("pk"))
    for row in grouped:
        yield row["v"], NOW, f"{prefix}{row['c']}", Decimal(row["n"])


def village_figures(
    codes: Iterable[str] | None = None, keys: set[str] | None = None
) -> dict[tuple[str, int, str], Decimal]:
    """The figures `keys` (all when None; see MOVED_BY) of the villages `codes` (all when None) counted
    from the records: {(village code, year or NOW, key): value}, zeros left out. Queries run only for
    the figures asked."""
    from candidates.choices import CertificationState, PromotionState, Status
    from candidates.models import Candidate, Certification, Elimination, Promotion
    from mentoring.choices import ContributionKind, CourseLevel, SupportKind
    from mentoring.models import (
        Award,
        CollectiveProject,
        Contribution,
        Enrolment,
        MentorAssignment,
        OnlineLearning,
        Support,
    )
    from villages.choices import ReserveKind
    from villages.models import RESERVE_TARGET, CommitteeSeat, Pairing, Reserve, StarRating, Village

    codes = None if codes is None else sorted(set(codes))

    def of(queryset, path: str):
        return queryset if codes is None else queryset.filter(**{f"{path}__in": codes})

    active = of(Candidate.objects.filter(status=Status.ACTIVE), "village_id")
    seats = CommitteeSeat.objects.current()
    standing = Reserve.objects.standing()
    villages = of(Village.objects.all(), "region_id")
    people = "candidate__village_id"
    contributions = of(Contribution.objects.all(), people)
    support = of(Support.objects.all(), people)
    year_of = {name: ExtractYear(name) for name in ("decided_at", "filed_on", "finished_at", "date", "month")}
    # Correlated counts: a join on the reserves would multiply the villages it counts.
    reserve_count = {
        kind: Coalesce(
            Subquery(
                standing.filter(village=OuterRef("pk"), kind=kind)
                .values("village")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
        for kind in ReserveKind.values
    }

    parts = [
        ("active", _rows(active, "village_id", "active")),
        (STAGE, _by_choice(active, "village_id", "stage", STAGE)),
        (SOURCE, _by_choice(active, "village_id", "source", SOURCE)),
        (
            "in_village_committees",
            _rows(
                active.filter(Exists(seats.filter(candidate=OuterRef("pk")))),
                "village_id",
                "in_village_committees",
            ),
        ),
        (
            "committee_reserves",
            _rows(
                active.filter(Exists(standing.filter(candidate=OuterRef("pk")))),
                "village_id",
                "committee_reserves",
            ),
        ),
        (
            "without_mentor",
            _rows(
                active.exclude(Exists(MentorAssignment.objects.current().filter(candidate=OuterRef("pk")))),
                "village_id",
                "without_mentor",
            ),
        ),
        (
            STEP,
            _by_choice(
                of(Certification.objects.filter(state=CertificationState.IN_PROGRESS), people),
                people,
                "step",
                STEP,
            ),
        ),
        (
            DUE,
            _by_choice(
                of(
                    Certification.objects.filter(
                        state=CertificationState.IN_PROGRESS, step_due_on__isnull=False
                    ),
                    people,
                ),
                people,
                "step_due_on",
                DUE,
            ),
        ),
        ("villages", _rows(villages, "region_id", "villages")),
        ("committee_members", _rows(of(seats, "village_id"), "village_id", "committee_members")),
        (
            "committee_wealth_creators",
            _rows(
                of(seats.filter(is_wealth_creator=True), "village_id"),
                "village_id",
                "committee_wealth_creators",
            ),
        ),
        (
            "meeting_reserve_target",
            _rows(
                villages.annotate(**reserve_count).filter(
                    **{f"{kind}__gte": RESERVE_TARGET[kind] for kind in ReserveKind.values}
                ),
                "region_id",
                "meeting_reserve_target",
            ),
        ),
        (
            "paired",
            _rows(
                villages.filter(Exists(Pairing.objects.current().filter(village=OuterRef("pk")))),
                "region_id",
                "paired",
            ),
        ),
        (
            "collective_projects",
            _rows(of(CollectiveProject.objects.all(), "village_id"), "village_id", "collective_projects"),
        ),
        (
            "households_helped",
            _rows(
                contributions.filter(kind=ContributionKind.HOUSEHOLDS_HELPED),
                people,
                "households_helped",
                value=Sum("count"),
            ),
        ),
        (
            "university_trainees",
            _rows(
                of(Enrolment.objects.filter(course__level=CourseLevel.UNIVERSITY), people),
                people,
                "university_trainees",
                distinct="candidate",
            ),
        ),
        (
            "loans_yuan",
            _rows(support.filter(kind=SupportKind.LOAN), people, "loans_yuan", value=Sum("amount")),
        ),
        (
            "land_transfer_mu",
            _rows(support.filter(kind=SupportKind.LAND), people, "land_transfer_mu", value=Sum("area")),
        ),
        ("projects", _rows(support.filter(kind=SupportKind.PROJECT), people, "projects")),
        (
            "four_star_plus",
            _rows(
                of(StarRating.objects.filter(stars__gte=4), "village_id"),
                "village_id",
                "four_star_plus",
                year=F("year"),
            ),
        ),
        (
            "eliminated",
            _rows(
                of(Elimination.objects.approved(), people), people, "eliminated", year=year_of["decided_at"]
            ),
        ),
        (
            "promoted",
            _rows(
                of(Promotion.objects.filter(state=PromotionState.APPROVED), people),
                people,
                "promoted",
                year=year_of["decided_at"],
            ),
        ),
        (
            "filed",
            _rows(
                of(
                    Certification.objects.filter(state=CertificationState.FILED, filed_on__isnull=False),
                    people,
                ),
                people,
                "filed",
                year=year_of["filed_on"],
            ),
        ),
        (
            "rejected",
            _rows(
                of(
                    Certification.objects.filter(
                        state=CertificationState.REJECTED, finished_at__isnull=False
                    ),
                    people,
                ),
                people,
                "rejected",
                year=year_of["finished_at"],
            ),
        ),
        (
            "service_items",
            _rows(
                contributions.filter(kind=ContributionKind.SERVICE_ITEMS),
                people,
                "service_items",
                year=year_of["date"],
                value=Sum("count"),
            ),
        ),
        (
            "problems_solved",
            _rows(
                contributions.filter(kind=ContributionKind.PROBLEMS_SOLVED),
                people,
                "problems_solved",
                year=year_of["date"],
                value=Sum("count"),
            ),
        ),
        (
            "awarded_candidates",
            _rows(
                of(Award.objects.all(), people),
                people,
                "awarded_candidates",
                year=year_of["date"],
                distinct="candidate",
            ),
        ),
        (
            "online_learners",
            _rows(
                of(OnlineLearning.objects.filter(hours__gt=0, candidate__status=Status.ACTIVE), people),
                people,
                "online_learners",
                year=year_of["month"],
                distinct="candidate",
            ),
        ),
    ]
    figures = {}
    for name, part in parts:
        if keys is None or name in keys:
            for village, year, key, value in part:
                figures[(village, year, key)] = value
    return figures


def _regions_up(village: str) -> list[str]:
    return [village, *ancestor_codes(village)]


def _add(rows: dict[tuple[str, int, str], Decimal]) -> None:
    """Add `rows` ({(region, year, key): difference}) to the stored rollups, creating missing rows; the
    rows are locked in a fixed order, so concurrent writers wait for each other, never deadlock."""
    rows = {k: v for k, v in rows.items() if v}
    if not rows:
        return
    regions = sorted({region for region, _, _ in rows})
    Rollup.objects.bulk_create(
        [Rollup(region=r, year=y, key=k, value=0) for r, y, k in rows], ignore_conflicts=True, batch_size=2000
    )
    stored = (
        Rollup.objects.select_for_update()
        .filter(region__in=regions, year__in={y for _, y, _ in rows}, key__in={k for _, _, k in rows})
        .order_by("pk")
    )
    changed = []
    for rollup in stored:
        difference = rows.get((rollup.region, rollup.year, rollup.key))
        if difference:
            rollup.value += difference
            changed.append(rollup)
    Rollup.objects.bulk_update(changed, ["value"], batch_size=2000)


def refresh(codes: Iterable[str], keys: set[str] | None = None) -> None:
    """Recount the figures `keys` (all when None) of the villages `codes` and carry the change up the
    region tree, in the caller's transaction."""
    from villages.models import Region

    codes = sorted({code for code in codes if code})
    if not codes:
        return
    with transaction.atomic():
        # Lock the villages first: a second transaction refreshing one of them recounts after this one
        # has committed, so each adds its own change once.
        list(Region.objects.select_for_update().filter(code__in=codes).order_by("code").values_list("code"))
        fresh = village_figures(codes, keys)
        stored = {
            (r.region, r.year, r.key): r.value
            for r in Rollup.objects.filter(region__in=codes)
            if keys is None or _figure_name(r.key) in keys
        }
        differences = defaultdict(Decimal)
        for key in fresh.keys() | stored.keys():
            difference = fresh.get(key, Decimal(0)) - stored.get(key, Decimal(0))
            if difference:
                village, year, name = key
                for region in _regions_up(village):
                    differences[(region, year, name)] += difference
        _add(differences)


def recount(prefix: str = "") -> dict[tuple[str, int, str], Decimal]:
    """The rollups of the regions whose code starts with `prefix` (all by default) as a fresh count from
    the records gives them (zeros left out)."""
    from villages.models import Village

    codes = (
        Village.objects.filter(region__code__startswith=prefix).values_list("region_id", flat=True)
        if prefix
        else None
    )
    totals = defaultdict(Decimal)
    for (village, year, key), value in village_figures(codes).items():
        for region in _regions_up(village):
            if region.startswith(prefix):
                totals[(region, year, key)] += value
    return {k: v for k, v in totals.items() if v}


def stored(prefix: str = "") -> dict[tuple[str, int, str], Decimal]:
    """The stored rollups of the regions whose code starts with `prefix` (zeros left out)."""
    rows = Rollup.objects.exclude(value=0).filter(region__startswith=prefix)
    return {(r.region, r.year, r.key): r.value for r in rows}


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup from the records; returns how many rows there are."""
    rows = recount()
    Rollup.objects.all().delete()
    Rollup.objects.bulk_create(
        [Rollup(region=r, year=y, key=k, value=v) for (r, y, k), v in rows.items()], batch_size=5000
    )
    return len(rows)


# Keeping them current ---------------------------------------------------------------------------------

_pending = threading.local()


@contextmanager
def batch():
    """Gather the villages (and figures) that writes inside touch and recount them once, at the end (still
    inside the caller's transaction). Nested batches recount with the outermost."""
    outer = getattr(_pending, "villages", None) is None
    if outer:
        _pending.villages, _pending.keys = set(), set()
    try:
        yield
        if outer and _pending.villages:
            refresh(_pending.villages, _pending.keys)
    finally:
        if outer:
            _pending.villages = _pending.keys = None


@contextmanager
def paused():
    """Writes inside leave the rollups alone: for a bulk load that rebuilds them afterwards (the demo)."""
    _pending.paused = True
    try:
        yield
    finally:
        _pending.paused = False


def touched(*codes: str | None, keys: set[str] | None = None) -> None:
    """The records of these villages changed, moving the figures `keys` (all when None): recount now, or at
    the end of the current batch."""
    codes = {code for code in codes if code}
    if not codes or getattr(_pending, "paused", False):
        return
    pending = getattr(_pending, "villages", None)
    if pending is not None:
        pending.update(codes)
        if _pending.keys is not None:
            _pending.keys = None if keys is None else _pending.keys | keys
    else:
        refresh(codes, keys)


def _village_of_candidate(candidate_id) -> str | None:
    from candidates.models import Candidate

    if candidate_id is None:
        return None
    return Candidate.objects.filter(pk=candidate_id).values_list("village_id", flat=True).first()


def _moved(sender) -> set[str]:
    return MOVED_BY[sender._meta.label]


def _on_candidate(sender, instance, **kwargs):
    touched(instance.village_id, getattr(instance, "_rollup_village", None))
    instance._rollup_village = instance.village_id


def _remember_village(sender, instance, **kwargs):
    # A candidate moved to another village leaves the figures of the old one too.
    instance._rollup_village = instance.__dict__.get("village_id")


def _on_person_record(sender, instance, **kwargs):
    touched(_village_of_candidate(instance.candidate_id), keys=_moved(sender))


def _on_village_record(sender, instance, **kwargs):
    candidate_id = getattr(instance, "candidate_id", None)
    village_of_person = _village_of_candidate(candidate_id) if candidate_id else None
    touched(instance.village_id, village_of_person, keys=_moved(sender))


def _on_village(sender, instance, **kwargs):
    touched(instance.region_id, keys=_moved(sender))


def _on_course(sender, instance, **kwargs):
    from mentoring.models import Enrolment

    villages = Enrolment.objects.filter(course=instance).values_list("candidate__village_id", flat=True)
    touched(*villages.distinct(), keys=_moved(sender))


def connect_signals() -> None:
    from candidates.models import Candidate, Certification, Elimination, Promotion
    from mentoring.models import (
        Award,
        CollectiveProject,
        Contribution,
        Course,
        Enrolment,
        MentorAssignment,
        OnlineLearning,
        Support,
    )
    from villages.models import CommitteeSeat, Pairing, Reserve, StarRating, Village

    PERSON_RECORDS = (Certification, Elimination, Promotion, MentorAssignment, Contribution, Award, Enrolment)
    PERSON_RECORDS += (OnlineLearning, Support)
    handlers = {
        Candidate: _on_candidate,
        Village: _on_village,
        Course: _on_course,
        **dict.fromkeys(PERSON_RECORDS, _on_person_record),
        **dict.fromkeys((CommitteeSeat, Reserve, StarRating, Pairing, CollectiveProject), _on_village_record),
    }
    post_init.connect(_remember_village, sender=Candidate, dispatch_uid="rollups-candidate-init")
    for model, handler in handlers.items():
        for signal in (post_save, post_delete):
            signal.connect(handler, sender=model, dispatch_uid=f"rollups-{model._meta.label}-{signal}")
