"""Forms of the village records: committee seats, their terms, reserves and decisions on them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PortalForm
from villages.choices import ReserveKind, ReserveStatus, SeatPosition
from villages.workflow import RESERVE_TRANSITIONS


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidateChoiceField(forms.ModelChoiceField):
    """A candidate of the village, shown with the rung of the ladder they are on."""

    def label_from_instance(self, obj):
        return _("%(name)s (%(stage)s)") % {"name": obj.name, "stage": obj.get_stage_display() or "—"}


class SeatForm(PortalForm):
    """A seat on the two committees: held either by a candidate of the village or by a plain person."""

    position = forms.ChoiceField(label=_("Position"), choices=SeatPosition.choices)
    term_start = forms.DateField(label=_("Term start"), widget=_date_widget())
    term_end = forms.DateField(
        label=_("Term end"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave it empty while the term runs."),
    )
    candidate = CandidateChoiceField(
        label=_("Holder who is a candidate"),
        queryset=None,
        required=False,
        empty_label=_("— not a candidate: type the name below —"),
        error_messages={
            "invalid_choice": _(
                "Choose an active candidate of this village, or type the holder's name below."
            )
        },
        help_text=_("Whether the holder counts as a wealth-creator follows from the candidate's stage."),
    )
    holder_name = forms.CharField(label=_("Holder who is not a candidate"), max_length=50, required=False)
    is_wealth_creator = forms.BooleanField(
        label=_("This holder is a wealth-creator"),
        required=False,
        help_text=_("Only for a holder who is not a candidate."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates

    def clean(self):
        data = super().clean()
        candidate, name = data.get("candidate"), (data.get("holder_name") or "").strip()
        if candidate and name:
            self.add_error(
                "holder_name",
                _("Choose a candidate or type the name of another person, not both."),
            )
        elif not candidate and not name and "candidate" not in self.errors:
            self.add_error(
                "holder_name", _("Choose the candidate holding the seat, or type the holder's name.")
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        candidate = data["candidate"]
        return {
            "position": data["position"],
            "term_start": data["term_start"],
            "term_end": data["term_end"],
            "candidate": candidate,
            "holder_name": "" if candidate else data["holder_name"],
            "is_wealth_creator": False if candidate else data["is_wealth_creator"],
        }


class SeatEndForm(PortalForm):
    term_end = forms.DateField(label=_("Last day of the term"), widget=_date_widget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"term_end": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReserveDesignateForm(PortalForm):
    """Propose a candidate of the village as a reserve; the county reviewer confirms."""

    candidate = CandidateChoiceField(
        label=_("Candidate"),
        queryset=None,
        error_messages={
            "invalid_choice": _(
                "Choose an active candidate of this village who is not a reserve or proposed as one yet."
            ),
        },
    )
    kind = forms.ChoiceField(label=_("Reserve for"), choices=ReserveKind.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this person, in a sentence; the county reviewer reads it."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates


class ReserveDecisionForm(PortalForm):
    """A decision on a reserve: the status the page showed (to catch a race), the button pressed gives
    the action, the note is optional."""

    expected_status = forms.ChoiceField(choices=ReserveStatus.choices, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=list(dict((t.action, t.label) for t in RESERVE_TRANSITIONS).items()),
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Replaces the reserve's note when given, e.g. the reason for a removal."),
    )
