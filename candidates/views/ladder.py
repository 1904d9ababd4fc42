"""The ladder pages: Party development milestones, promotions (晋位升级) and eliminations (淘汰).

Who may act comes from candidates/permissions.py; every change goes through the services.
"""

import copy
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from candidates import exports, ladder, permissions, selectors, services
from candidates.choices import (
    OPEN_PROMOTION_STATES,
    EliminationState,
    PromotionAction,
    PromotionState,
    Stage,
)
from candidates.forms.ladder import (
    ELIMINATION_ORDER,
    EliminationDecisionForm,
    EliminationFilter,
    EliminationProposalForm,
    EvidenceForm,
    MilestonesForm,
    PromotionDecisionForm,
)
from candidates.models import Candidate, Elimination, Promotion
from candidates.tables_ladder import EliminationTable
from config.breadcrumbs import crumbs
from config.db_router import reads_replica
from config.forms import add_service_errors
from mentoring.models import MentorAssignment
from reports.exports import list_export
from villages.models import Reserve

# What the user is told after each decision on a promotion.
PROMOTION_DONE = {
    PromotionAction.APPROVE: gettext_lazy("The promotion was approved: %(name)s is now a %(stage)s."),
    PromotionAction.ENDORSE: gettext_lazy("The promotion of %(name)s was endorsed and sent to the city."),
    PromotionAction.RETURN: gettext_lazy("The promotion of %(name)s was returned for more evidence."),
    PromotionAction.REFUSE: gettext_lazy("The promotion of %(name)s was refused."),
    PromotionAction.RESUBMIT: gettext_lazy("The promotion of %(name)s was sent to the county again."),
}

# The first breadcrumb of a person's pages.
CANDIDATES = (gettext_lazy("Candidates"), "candidates:candidate_list")


# Shared helpers -----------------------------------------------------------------------------------


def _candidate(request, pk) -> Candidate:
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("village__region__parent"), pk=pk
    )


def _actions_shown(obj, user, state: str | None, actions_of, states) -> list[tuple[str, str]]:
    """The buttons the page showed, drawn for the state it showed: a page gone stale is a race for the
    service to report (AlreadyDecided), not a forbidden act."""
    if state in states.values and state != obj.state:
        obj = copy.copy(obj)
        obj.state = state
    return actions_of(user, obj)


# Party development --------------------------------------------------------------------------------


@login_required
def party_milestones(request, pk):
    """The five Party development dates of a person, recorded by their township or county."""
    candidate = _candidate(request, pk)
    if not permissions.can_record_milestones(request.user, candidate):
        raise PermissionDenied
    form = MilestonesForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_milestones_record(by=request.user, candidate=candidate, dates=form.dates())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The Party development of %(name)s was saved.") % {"name": candidate})
            return redirect(candidate)
    breadcrumbs = crumbs(CANDIDATES, (candidate.name, candidate), _("Party development"))
    return render(
        request,
        "candidates/party_milestones.html",
        {"candidate": candidate, "form": form, "breadcrumbs": breadcrumbs},
    )


# Promotions ---------------------------------------------------------------------------------------


def _proposal_page(candidate: Candidate, user) -> dict:
    stage = candidate.stage
    factor = Decimal(str(settings.PROMOTION_INCOME_FACTOR))
    return {
        "candidate": candidate,
        "from_stage": Stage(stage).label,
        "to_stage": Stage(ladder.NEXT_STAGE[stage]).label,
        "rule": selectors.evidence_rule(stage),
        "income_threshold": candidate.village.per_capita_income * factor
        if stage == Stage.PARTY_MEMBER
        else None,
        "seats": selectors.current_seats(candidate, user),
        "milestones": selectors.milestones(candidate) if stage == Stage.WEALTH_CREATOR else [],
        "open_promotion": candidate.promotions.open().first(),
        "can_record_milestones": permissions.can_record_milestones(user, candidate),
        "breadcrumbs": crumbs(CANDIDATES, (candidate.name, candidate), _("Propose the promotion")),
    }


@login_required
def promotion_propose(request, pk):
    """The township (or county) proposes the next rung, with the evidence the move's rule asks for."""
    candidate = _candidate(request, pk)
    if not permissions.can_propose_promotion(request.user, candidate):
        raise PermissionDenied
    form = EvidenceForm(request.POST or None, stage=candidate.stage)
    if request.method == "POST" and form.is_valid():
        try:
            promotion = services.promotion_propose(
                by=request.user, candidate=candidate, evidence=form.evidence_data()
            )
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The promotion of %(name)s was proposed.") % {"name": candidate})
            return redirect(promotion)
    return render(
        request, "candidates/promotion_propose.html", _proposal_page(candidate, request.user) | {"form": form}
    )


def _promotion_page(promotion: Promotion, user, actions) -> dict:
    decisions = list(promotion.decisions.select_related("by"))
    is_open = promotion.state in OPEN_PROMOTION_STATES
    return {
        "promotion": promotion,
        "candidate": promotion.candidate,
        "decisions": decisions,
        "actions": actions,
        "is_open": is_open,
        "rule": selectors.evidence_rule(promotion.from_stage),
        "returned_because": decisions[-1].opinion
        if promotion.state == PromotionState.RETURNED and decisions
        else "",
        "seats": selectors.current_seats(promotion.candidate, user) if is_open else [],
        "breadcrumbs": crumbs(CANDIDATES, (promotion.candidate.name, promotion.candidate), _("Promotion")),
    }


@login_required
def promotion_detail(request, pk):
    """A promotion, its evidence and decisions; for whoever acts now, the decision buttons."""
    promotion = get_object_or_404(
        Promotion.objects.visible_to(request.user).select_related(
            "candidate__village__region__parent", "proposed_by", "seat"
        ),
        pk=pk,
    )
    shown = request.POST.get("expected_state") if request.method == "POST" else None
    actions = _actions_shown(promotion, request.user, shown, permissions.promotion_actions, PromotionState)
    if request.method == "POST" and not actions:
        raise PermissionDenied
    form = PromotionDecisionForm(request.POST or None, promotion=promotion, actions=actions)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.promotion_decide(
                by=request.user,
                promotion=promotion,
                action=action,
                opinion=form.cleaned_data["opinion"],
                evidence=form.evidence_data(),
                expected_state=form.cleaned_data["expected_state"],
            )
        except services.AlreadyDecided as taken:
            messages.error(request, taken.message)
            return redirect(promotion)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            stage = Stage(promotion.to_stage).label
            messages.success(request, PROMOTION_DONE[action] % {"name": promotion.candidate, "stage": stage})
            return redirect(promotion)
    return render(
        request,
        "candidates/promotion_detail.html",
        _promotion_page(promotion, request.user, actions) | {"form": form},
    )


# Eliminations -------------------------------------------------------------------------------------


@login_required
def elimination_propose(request, pk):
    """The township of the person, or their mentor, proposes an elimination with its reason."""
    candidate = _candidate(request, pk)
    if not permissions.can_propose_elimination(request.user, candidate):
        raise PermissionDenied
    # The mentoring section links here with the reason it suggests (two assessments failed in a row).
    form = EliminationProposalForm(request.POST or None, initial={"reason": request.GET.get("reason", "")})
    if request.method == "POST" and form.is_valid():
        try:
            elimination = services.elimination_propose(
                by=request.user, candidate=candidate, **form.cleaned_data
            )
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The elimination of %(name)s was proposed to the county.") % {"name": candidate}
            )
            return redirect(elimination)
    pending = candidate.eliminations.filter(state=EliminationState.PROPOSED).first()
    return render(
        request,
        "candidates/elimination_propose.html",
        {
            "candidate": candidate,
            "form": form,
            "pending": pending,
            "breadcrumbs": crumbs(CANDIDATES, (candidate.name, candidate), _("Propose the elimination")),
        },
    )


def _elimination_page(elimination: Elimination, user, actions, form) -> dict:
    candidate = elimination.candidate
    page = {"elimination": elimination, "candidate": candidate, "actions": actions, "form": form}
    page["breadcrumbs"] = crumbs(
        (_("Eliminations"), "candidates:elimination_list"), (candidate.name, candidate), _("Elimination")
    )
    if actions:
        # What an approval ends, for the county to see before deciding.
        page |= {
            "reserve": Reserve.objects.visible_to(user).open().filter(candidate=candidate).first(),
            "mentoring": MentorAssignment.objects.visible_to(user)
            .current()
            .filter(candidate=candidate)
            .select_related("mentor")
            .first(),
            "open_promotion": candidate.promotions.open().first(),
        }
    return page


@login_required
def elimination_detail(request, pk):
    """An elimination: the proposal, and for the county of the person the decision."""
    elimination = get_object_or_404(
        Elimination.objects.visible_to(request.user).select_related(
            "candidate__village__region__parent", "proposed_by", "decided_by"
        ),
        pk=pk,
    )
    shown = request.POST.get("expected_state") if request.method == "POST" else None
    actions = _actions_shown(
        elimination, request.user, shown, permissions.elimination_actions, EliminationState
    )
    if request.method == "POST" and not actions:
        raise PermissionDenied
    form = EliminationDecisionForm(request.POST or None, elimination=elimination, actions=actions)
    if request.method == "POST" and form.is_valid():
        try:
            services.elimination_decide(
                by=request.user,
                elimination=elimination,
                approve=form.cleaned_data["decision"] == "approve",
                opinion=form.cleaned_data["opinion"],
                expected_state=form.cleaned_data["expected_state"],
            )
        except services.AlreadyDecided as taken:
            messages.error(request, taken.message)
            return redirect(elimination)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision on the elimination was recorded."))
            return redirect(elimination)
    return render(
        request,
        "candidates/elimination_detail.html",
        _elimination_page(elimination, request.user, actions, form),
    )


def _counts_with_links(request, filterset) -> list[dict]:
    """The counts by reason, each with the list's query narrowed to that reason."""
    counts = filterset.counts_by_reason()
    for row in counts:
        query = request.GET.copy()
        query.pop("page", None)
        query["reason"] = row["reason"]
        row["query"] = query.urlencode()
    return counts


def _eliminations(request) -> EliminationFilter:
    """The elimination list's filters on the eliminations the user may see, newest decisions first."""
    eliminations = (
        Elimination.objects.visible_to(request.user)
        .select_related("candidate__village__region__parent", "proposed_by", "decided_by")
        .order_by(*ELIMINATION_ORDER)
    )
    return EliminationFilter(request.GET, queryset=eliminations)


@login_required
def elimination_list(request):
    """Eliminations the user may see, by year of the decision, region, reason and state, with counts."""
    filterset = _eliminations(request)
    table = EliminationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    counts = _counts_with_links(request, filterset)
    return render(
        request,
        "candidates/elimination_list.html",
        {"filter": filterset, "table": table, "counts": counts, "total": sum(r["count"] for r in counts)},
    )


@login_required
@reads_replica
def elimination_export(request):
    """The filtered elimination list as an Excel workbook, in the list's order, ID numbers and phones
    masked."""
    table = EliminationTable(_eliminations(request).qs, order_by=request.GET.get("sort"))
    return list_export(
        request,
        table.data.data,
        rows=exports.elimination_export_rows,
        title=_("Eliminations"),
        list_url="candidates:elimination_list",
    )
