"""Reads for the candidate pages: the scoped list, a person's timeline, the certification page."""

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from candidates import ladder, permissions
from candidates.choices import OPEN_PROMOTION_STATES, CertificationState, EliminationState
from candidates.models import (
    MILESTONES,
    Candidate,
    Certification,
    CertificationStep,
    Objection,
    PublicNotice,
)
from candidates.person import PersonRecords
from candidates.workflow import STEPS, pass_blockers
from villages.models import CommitteeSeat


def candidate_list(*, user) -> QuerySet:
    """Candidates the user may see, each with what its list row shows.

    The certification in progress (at most one per candidate) comes as annotations, so any page
    of the list costs the same queries. They are subqueries, not a join, so that the count and the
    keys of a page (config.tables.KeysFirstPaginator) leave them out: only the page's rows run them.
    """
    in_progress = Certification.objects.filter(candidate=OuterRef("pk"), state=CertificationState.IN_PROGRESS)
    return (
        Candidate.objects.visible_to(user)
        .for_table()
        # The county too, for the export.
        .select_related("village__region__parent__parent")
        .annotate(
            current_certification_id=Subquery(in_progress.values("pk")[:1]),
            current_step=Subquery(in_progress.values("step")[:1]),
            current_step_due_on=Subquery(in_progress.values("step_due_on")[:1]),
        )
        .annotate(
            step_overdue=ExpressionWrapper(
                Q(current_step_due_on__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
    )


def current_certification(
    *, candidate: Candidate, records: PersonRecords | None = None
) -> Certification | None:
    """The candidate's certification in progress, if any (at most one: a database constraint)."""
    certifications = (records or PersonRecords(candidate=candidate)).certifications
    return next((c for c in certifications if c.state == CertificationState.IN_PROGRESS), None)


# The certification page --------------------------------------------------------------------------------


def certification_queryset(*, user):
    return Certification.objects.visible_to(user).select_related(
        "candidate__village__region__parent__parent", "created_by"
    )


def certification_page(*, certification: Certification, user, form) -> dict:
    """Everything the page shows; related lists come through the certification, already scoped."""
    notice = (
        PublicNotice.objects.filter(certification=certification)
        .select_related("published_by")
        .prefetch_related(Prefetch("objections", Objection.objects.select_related("recorded_by", "ruled_by")))
        .first()
    )
    steps = list(CertificationStep.objects.filter(certification=certification).select_related("by"))
    acting = permissions.can_decide_certification(user, certification)
    step = STEPS[certification.step]
    return {
        "certification": certification,
        "candidate": certification.candidate,
        "form": form,
        "steps": [
            {
                "number": n,
                "label": step.label,
                "role": step.role,
                "current": n == certification.step and certification.in_progress,
                "done": n < certification.step or certification.state == "filed",
            }
            for n, step in STEPS.items()
        ],
        "current_step": STEPS[certification.step],
        "log": steps,
        "checks": list(certification.standard_checks.select_related("standard")),
        "notice": notice,
        "objections": list(notice.objections.all()) if notice else [],
        "can_act": acting,
        "has_step_data": step.recorder is not None,
        "actions": permissions.certification_actions(user, certification),
        "blockers": pass_blockers(certification) if acting and not step.needs_decision_input else [],
        "can_publish_notice": permissions.can_publish_notice(user, certification),
        "can_record_objection": notice is not None
        and certification.in_progress
        and permissions.can_record_objection(user, certification),
        "can_rule": certification.in_progress and permissions.can_rule_on_objections(user, certification),
    }


# The ladder on the person's page ----------------------------------------------------------------------


def milestones(candidate) -> list[tuple[str, object]]:
    return [(Candidate._meta.get_field(name).verbose_name, getattr(candidate, name)) for name in MILESTONES]


def evidence_rule(stage: str) -> str:
    return str(ladder.EVIDENCE_RULE[stage]) % {"factor": f"{settings.PROMOTION_INCOME_FACTOR:g}"}


def current_seats(candidate, user) -> list:
    return list(
        CommitteeSeat.objects.visible_to(user).current().filter(candidate=candidate).order_by("position")
    )


def ladder_summary(*, candidate: Candidate, user, records: PersonRecords | None = None) -> dict:
    """What the person's page shows of the ladder: milestones, the open promotion, the elimination,
    and which of these pages the user may open. The promotions and eliminations of `records` (newest
    first), and a query for a mentor."""
    records = records or PersonRecords(candidate=candidate, user=user)
    open_promotion = next((p for p in records.promotions if p.state in OPEN_PROMOTION_STATES), None)
    elimination = next(
        (
            e
            for e in records.eliminations
            if e.state in (EliminationState.PROPOSED, EliminationState.APPROVED)
        ),
        None,
    )
    return {
        "milestones": milestones(candidate),
        "can_record_milestones": permissions.can_record_milestones(user, candidate),
        "open_promotion": open_promotion,
        "can_propose_promotion": not open_promotion and permissions.can_propose_promotion(user, candidate),
        "elimination": elimination,
        "can_propose_elimination": not elimination and permissions.can_propose_elimination(user, candidate),
    }
