"""The form of each certification step: what the step records, the opinion, and the decision taken."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.choices import JUNIOR_HIGH_OR_ABOVE, Decision
from candidates.models import Certification, SelectionStandard
from candidates.services.certification import NOTICE_LEAD_DAYS
from candidates.workflow import FIRST_STEP, LAST_STEP, STEPS
from config.forms import PortalForm
from mentoring.forms.mentors import MentorChoiceField
from mentoring.models import Mentor
from mentoring.selectors.mentors import mentor_choices

SAVE = "save"
DECISIONS = [(SAVE, _("Save without deciding")), *Decision.choices]

# More votes than any village casts in its democratic evaluation.
MOST_VOTES = 100_000
# Standards that step 2 pre-fills from the record (DESIGN §5): age, education, residence.
AGE_STANDARD, EDUCATION_STANDARD, RESIDENCE_STANDARD = 4, 5, 7


class StepForm(PortalForm):
    """Fields every step has: the step the page showed (to catch a race), the decision and the opinion."""

    expected_step = forms.IntegerField(widget=forms.HiddenInput, min_value=FIRST_STEP, max_value=LAST_STEP)
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return or reject; at approval, the county's opinion."),
    )

    def __init__(self, *args, certification: Certification, user, **kwargs):
        self.certification = certification
        self.user = user
        kwargs.setdefault("initial", {})["expected_step"] = certification.step
        super().__init__(*args, **kwargs)

    def step_data(self) -> dict:
        """What the step records, for services.certification_advance(data=...)."""
        return {}


class QualifyForm(StepForm):
    """Step 2: each selection standard met or not, with a note; age, education and residence pre-filled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidate = self.certification.candidate
        existing = {c.standard_id: c for c in self.certification.standard_checks.all()}
        suggestions = _suggestions(candidate)
        self.standards = list(SelectionStandard.objects.in_force())
        for standard in self.standards:
            check = existing.get(standard.pk)
            met, note = (check.met, check.note) if check else suggestions.get(standard.number, (False, ""))
            self.fields[f"met_{standard.number}"] = forms.BooleanField(
                label=f"{standard.number}. {standard.title}", required=False, initial=met
            )
            self.fields[f"note_{standard.number}"] = forms.CharField(
                label=_("Note"), required=False, max_length=200, initial=note
            )
        from config.forms import prepare_fields

        prepare_fields(self)

    def rows(self):
        """(standard, met field, note field) for the template's checklist table."""
        return [(s, self[f"met_{s.number}"], self[f"note_{s.number}"]) for s in self.standards]

    def step_data(self):
        return {
            "standards": {
                s.number: (self.cleaned_data[f"met_{s.number}"], self.cleaned_data[f"note_{s.number}"])
                for s in self.standards
            }
        }


def _suggestions(candidate) -> dict[int, tuple[bool, str]]:
    age = candidate.age
    return {
        AGE_STANDARD: (18 <= age <= 45, _("%(age)d years old") % {"age": age}),
        EDUCATION_STANDARD: (candidate.education in JUNIOR_HIGH_OR_ABOVE, candidate.get_education_display()),
        RESIDENCE_STANDARD: (
            True,
            _("Registered in %(village)s") % {"village": candidate.village.region.name},
        ),
    }


class PreselectForm(StepForm):
    """Step 3: the township Party committee meeting and the village's democratic evaluation."""

    meeting_date = forms.DateField(
        label=_("Meeting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    meeting_decision = forms.CharField(
        label=_("Decision of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0, max_value=MOST_VOTES)
    votes_total = forms.IntegerField(label=_("Votes cast"), required=False, min_value=1, max_value=MOST_VOTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("meeting_date", "meeting_decision", "votes_for", "votes_total"):
            self.fields[name].initial = getattr(self.certification, name)

    def clean(self):
        data = super().clean()
        if data.get("meeting_date") and data["meeting_date"] > timezone.localdate():
            self.add_error("meeting_date", _("The meeting cannot be in the future."))
        votes_for, votes_total = data.get("votes_for"), data.get("votes_total")
        if votes_for is not None and votes_total is not None and votes_for > votes_total:
            self.add_error("votes_for", _("There cannot be more votes for than votes cast."))
        return data

    def step_data(self):
        return {
            k: self.cleaned_data.get(k)
            for k in ("meeting_date", "meeting_decision", "votes_for", "votes_total")
        }


class VetForm(StepForm):
    """Step 4: the vetting report."""

    vetting_talks = forms.CharField(
        label=_("Talks held"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vetting_visits = forms.CharField(
        label=_("Visits made"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vetting_opinions = forms.CharField(
        label=_("Opinions gathered"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("vetting_talks", "vetting_visits", "vetting_opinions"):
            self.fields[name].initial = getattr(self.certification, name)

    def step_data(self):
        return {
            k: self.cleaned_data.get(k, "") for k in ("vetting_talks", "vetting_visits", "vetting_opinions")
        }


class FileForm(StepForm):
    """Filing: the filing date and the mentor the person gets."""

    filed_on = forms.DateField(
        label=_("Filing date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mentor = MentorChoiceField(label=_("Mentor"), queryset=Mentor.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filed_on"].initial = self.certification.filed_on or timezone.localdate()
        choices = mentor_choices(candidate=self.certification.candidate, user=self.user)
        self.fields["mentor"].queryset = choices.order_by("level", "region_id", "name")

    def step_data(self):
        return {"filed_on": self.cleaned_data.get("filed_on"), "mentor": self.cleaned_data.get("mentor")}


class NoticeForm(PortalForm):
    """The first day of the public notice; the last day follows from the working-day calendar."""

    start_date = forms.DateField(
        label=_("First day of the notice"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        today = timezone.localdate()
        if start < today:
            raise forms.ValidationError(_("A notice cannot start in the past."))
        if start > today + datetime.timedelta(days=NOTICE_LEAD_DAYS):
            raise forms.ValidationError(
                _("A notice starts within %(days)d days of its publication.") % {"days": NOTICE_LEAD_DAYS}
            )
        return start


# The form of each step that records something, by the step's key (candidates/workflow.py).
STEP_FORMS = {"qualify": QualifyForm, "preselect": PreselectForm, "vet": VetForm, "file": FileForm}


def step_form(certification: Certification, user, data=None) -> StepForm:
    """The form of the certification's current step, for `user`."""
    form_class = STEP_FORMS.get(STEPS[certification.step].key, StepForm)
    return form_class(data, certification=certification, user=user)
