"""Forms of contributions: a collective-economy project led, a counted contribution, an award.

Each form's cleaned data are its service's keyword arguments.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.forms.registry import VillageChoiceField, explain_errors
from config.forms import PortalForm, field_label
from mentoring.choices import AwardLevel, ContributionKind
from mentoring.forms.support import date_field
from mentoring.models import Award, CollectiveProject, Contribution
from mentoring.tables_support import AWARD_TITLE, PROJECT_NAME
from villages.models import Village


class CollectiveProjectForm(PortalForm):
    """A collective-economy project (集体经济项目) the candidate leads, in a village of the user's region."""

    name = forms.CharField(label=PROJECT_NAME, max_length=100)
    village = VillageChoiceField(
        label=field_label(CollectiveProject, "village"),
        queryset=Village.objects.none(),
        help_text=_("Where the project is: the leader's own village unless it is elsewhere."),
    )
    amount = forms.DecimalField(
        label=field_label(CollectiveProject, "amount"), min_value=0, max_digits=14, decimal_places=2
    )
    start_date = date_field(CollectiveProject, "start_date")

    def __init__(self, *args, villages, candidate, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("village", candidate.village_id)
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        explain_errors(self)


class ContributionForm(PortalForm):
    """Households helped, service items performed or problems solved, counted on a day."""

    kind = forms.ChoiceField(
        label=field_label(Contribution, "kind"), choices=[("", "---------"), *ContributionKind.choices]
    )
    count = forms.IntegerField(label=field_label(Contribution, "count"), min_value=1)
    date = date_field(Contribution, "date")
    note = forms.CharField(label=field_label(Contribution, "note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        explain_errors(self)
        self.fields["count"].error_messages["min_value"] = _("Give a number of 1 or more.")


class AwardForm(PortalForm):
    """An award (评优评先): its title, level, date and the unit that granted it."""

    title = forms.CharField(label=AWARD_TITLE, max_length=100)
    level = forms.ChoiceField(
        label=field_label(Award, "level"), choices=[("", "---------"), *AwardLevel.choices]
    )
    date = date_field(Award, "date")
    granted_by = forms.CharField(label=field_label(Award, "granted_by"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        explain_errors(self)
