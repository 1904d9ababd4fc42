"""The form of a support record (扶持); what each kind needs is the service's rule, said here as help."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.forms.registry import explain_errors
from config.forms import PortalForm, field_label
from mentoring.choices import SupportKind
from mentoring.models import Policy, Support

DATE = {"type": "date"}


def date_field(model, name: str) -> forms.DateField:
    """A date picker labelled like the model's field, today by default (the service refuses the future)."""
    return forms.DateField(
        label=field_label(model, name),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )


class SupportForm(PortalForm):
    """Support a candidate received: the kind, and the one value that kind records."""

    kind = forms.ChoiceField(
        label=field_label(Support, "kind"),
        choices=[("", "---------"), *SupportKind.choices],
        help_text=_(
            "A policy names one of the catalogue, a loan its amount in yuan, a land transfer its area in mu, "
            "a project its name; leave the other three empty."
        ),
    )
    policy = forms.ModelChoiceField(
        label=field_label(Support, "policy"), queryset=Policy.objects.in_force(), required=False
    )
    amount = forms.DecimalField(
        label=field_label(Support, "amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    area = forms.DecimalField(
        label=field_label(Support, "area"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    project = forms.CharField(label=field_label(Support, "project"), required=False, max_length=100)
    date = date_field(Support, "date")
    granted_by = forms.CharField(
        label=field_label(Support, "granted_by"),
        max_length=100,
        help_text=_("The bank, bureau or township that granted it."),
    )
    note = forms.CharField(label=field_label(Support, "note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        explain_errors(self)
