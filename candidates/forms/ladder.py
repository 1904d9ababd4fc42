"""Forms of the ladder pages: Party development milestones, promotion proposals and decisions,
elimination proposals and decisions, and the filters of the elimination list."""

import django_filters
from django import forms
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from candidates.choices import EliminationReason, EliminationState, PromotionAction, PromotionState, Stage
from candidates.forms.registry import explain_errors
from candidates.models import MILESTONES, Candidate, Elimination, Promotion
from candidates.validators import normalize_text
from config.forms import PortalFilterSet, PortalForm, field_label, prepare_fields
from villages.codes import division_prefix


class MilestonesForm(forms.Form):
    """The five Party development dates; their order and "not in the future" are the service's rules."""

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MILESTONES:
            self.fields[name] = forms.DateField(
                label=field_label(Candidate, name),
                required=False,
                initial=getattr(candidate, name),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        explain_errors(self)
        prepare_fields(self)

    def dates(self) -> dict:
        """Every milestone, a cleared one as None: for services.party_milestones_record(dates=...)."""
        return {name: self.cleaned_data.get(name) for name in MILESTONES}


# The evidence fields each move asks for besides the description (DESIGN §4), by the stage it starts from.
EVIDENCE_FIELDS_BY_STAGE = {
    Stage.PARTY_MEMBER: ("declared_income", "business", "cooperative"),
    Stage.VILLAGE_CADRE: ("industry_leader_certificate",),
}


def _add_evidence_fields(form: forms.Form, *, stage: str, promotion: Promotion | None = None) -> list[str]:
    """Add the description and the fields the move from `stage` needs; their names."""
    names = ["evidence", *EVIDENCE_FIELDS_BY_STAGE.get(stage, ())]
    for name in names:
        model_field = Promotion._meta.get_field(name)
        if name == "evidence":
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
        elif name == "declared_income":
            field = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
        else:
            field = forms.CharField(required=False, max_length=model_field.max_length)
        field.label = field_label(Promotion, name)
        field.help_text = model_field.help_text
        if promotion is not None:
            field.initial = getattr(promotion, name)
        form.fields[name] = field
    explain_errors(form)
    form.fields["evidence"].error_messages["required"] = _("Describe the evidence.")
    return names


class EvidenceForm(forms.Form):
    """A promotion proposal: what shows that the person has reached the next rung."""

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.evidence_names = _add_evidence_fields(self, stage=stage)
        prepare_fields(self)

    def evidence_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.evidence_names}


class PromotionDecisionForm(forms.Form):
    """A decision on a promotion: the state the page showed (to catch a race), the action of the button
    pressed, the opinion; for a resubmission, the completed evidence too."""

    expected_state = forms.ChoiceField(choices=PromotionState.choices, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=PromotionAction.choices, widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return or refuse: say what is missing or why."),
    )

    def __init__(self, *args, promotion: Promotion, actions: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("initial", {})["expected_state"] = promotion.state
        super().__init__(*args, **kwargs)
        self.evidence_names = []
        if any(action == PromotionAction.RESUBMIT for action, _label in actions):
            self.evidence_names = _add_evidence_fields(self, stage=promotion.from_stage, promotion=promotion)
        prepare_fields(self)

    @property
    def evidence_fields(self) -> list:
        return [self[name] for name in self.evidence_names]

    def evidence_data(self) -> dict | None:
        if self.cleaned_data["action"] != PromotionAction.RESUBMIT or not self.evidence_names:
            return None
        return {name: self.cleaned_data.get(name) for name in self.evidence_names}


class EliminationProposalForm(PortalForm):
    """The reason for an elimination, from DESIGN's list, and what happened."""

    reason = forms.ChoiceField(
        label=_("Reason for the elimination"),
        choices=[("", "---------"), *EliminationReason.choices],
        error_messages={"required": _("Choose the reason for the elimination.")},
    )
    details = forms.CharField(
        label=field_label(Elimination, "details"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Dates, facts and documents: the county decides on what is written here."),
        error_messages={"required": _("Describe what happened: the county decides on it.")},
    )


class EliminationDecisionForm(PortalForm):
    """The county's decision on an elimination, with its opinion; `actions` are the page's buttons."""

    expected_state = forms.ChoiceField(choices=EliminationState.choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=field_label(Elimination, "opinion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the county's opinion.")},
    )

    def __init__(self, *args, elimination: Elimination, actions: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("initial", {})["expected_state"] = elimination.state
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = actions


# The elimination list ---------------------------------------------------------------------------------


class EliminationFilter(PortalFilterSet):
    """Filters of the elimination list; the queryset it narrows is already scoped to the user.

    Without a `state` in the query the list shows the approved eliminations; "any" shows all.
    """

    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year of the decision"), empty_label=_("All years")
    )
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    reason = django_filters.ChoiceFilter(
        choices=EliminationReason.choices, label=_("Reason for the elimination"), empty_label=_("Any")
    )
    state = django_filters.ChoiceFilter(
        choices=EliminationState.choices, label=field_label(Elimination, "state"), empty_label=_("Any")
    )

    class Meta:
        model = Elimination
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "state" not in data:
            data = data.copy() if data is not None else {}
            data["state"] = EliminationState.APPROVED
        super().__init__(data, *args, **kwargs)
        # The years that have decisions, newest first: one query on the scoped set.
        years = self.queryset.filter(decided_at__isnull=False).datetimes("decided_at", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(day.year), str(day.year)) for day in years]

    def filter_year(self, queryset, name, value):
        return queryset.filter(decided_at__year=int(value))

    def filter_region(self, queryset, name, value):
        value = normalize_text(value)
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(candidate__village__region__code__startswith=division_prefix(value))

    def counts_by_reason(self) -> list[dict]:
        """How many of the filtered eliminations give each reason, in the order of the reasons: one query."""
        counts = dict(self.qs.order_by().values_list("reason").annotate(n=Count("pk")))
        return [
            {"reason": value, "label": label, "count": counts.get(value, 0)}
            for value, label in EliminationReason.choices
        ]


# Newest decisions first; proposals still awaiting the county on top.
ELIMINATION_ORDER = (F("decided_at").desc(nulls_first=True), "-proposed_at", "-pk")
