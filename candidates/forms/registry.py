"""Forms of the candidate registry: the person's record and a nomination (step 1)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.choices import ETHNICITIES, Recommender, Track
from candidates.models import Candidate, Certification
from candidates.services import PERSONAL_FIELDS, duplicate_message
from candidates.validators import identity_mismatches, normalize_phone, normalize_text, parse_id_number
from config.forms import PortalForm, PortalModelForm, field_label
from villages.models import Village

TEN_THOUSAND = Decimal(10000)
BLANK = [("", "---------")]


def explain_errors(form: forms.BaseForm) -> None:
    """Replace Django's generic messages with ones that name the field and say what to fix."""
    for field in form.fields.values():
        params = {"field": field.label}
        messages = field.error_messages
        if isinstance(field, forms.ChoiceField):
            messages["required"] = _("Choose the %(field)s.") % params
            messages["invalid_choice"] = _("Choose the %(field)s from the list.") % params
        else:
            messages["required"] = _("Fill in the %(field)s.") % params
        if isinstance(field, forms.DateField):
            messages["invalid"] = _("The %(field)s is not a valid date: write it as 1990-01-31.") % params
        if isinstance(field, forms.DecimalField):
            messages["invalid"] = _("The %(field)s must be a number.") % params
            messages["min_value"] = _("The %(field)s cannot be negative.") % params
            too_big = _("The %(field)s is too large or has too many decimal places.") % params
            messages.update(max_digits=too_big, max_decimal_places=too_big, max_whole_digits=too_big)
        if isinstance(field, forms.CharField) and field.max_length:
            messages["max_length"] = _("The %(field)s is too long: at most %(limit_value)d characters.") % (
                params | {"limit_value": field.max_length}
            )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(village)s (%(township)s)") % {
            "village": obj.region.name,
            "township": obj.region.parent.name,
        }


class CandidateForm(PortalModelForm):
    """A person's record as a township clerk types it; the service saves it.

    Text is normalised before it is checked (full-width digits, stray spaces), the ID card number
    is checked against GB 11643, and gender and birth date against the ID card number.
    """

    # Wider than the stored columns: spaces, dashes and "+86" are removed before the length counts.
    id_number = forms.CharField(max_length=30, label=field_label(Candidate, "id_number"))
    phone = forms.CharField(max_length=20, label=field_label(Candidate, "phone"))
    ethnicity = forms.ChoiceField(
        choices=[(name, name) for name in ETHNICITIES],
        initial=ETHNICITIES[0],
        label=field_label(Candidate, "ethnicity"),
    )
    # Clerks think of household income in 万元 (the import template's unit too); it is stored in yuan.
    household_income = forms.DecimalField(
        min_value=0,
        max_digits=10,
        decimal_places=4,
        required=False,
        label=gettext_lazy("Household income (10,000 yuan/year)"),
    )

    class Meta:
        model = Candidate
        fields = PERSONAL_FIELDS
        field_classes = {"village": VillageChoiceField}
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"birth_date": gettext_lazy("Leave it empty to take it from the ID card number.")}

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(_normalized(data), *args, **kwargs)
        self.user = user
        self.warnings: list[str] = []
        self._identity = None
        # The admin builds this form with only the fields the user may change.
        if "birth_date" in self.fields:
            self.fields["birth_date"].required = False
        if "village" in self.fields:
            self.fields["village"].queryset = (
                Village.objects.visible_to(user).select_related("region__parent").order_by("region_id")
            )
        if self.instance.pk:
            self.initial["household_income"] = self.instance.household_income / TEN_THOUSAND
        explain_errors(self)

    def clean_id_number(self):
        identity = parse_id_number(self.cleaned_data["id_number"])
        self._identity = identity
        self.warnings = identity.warnings
        message = duplicate_message(by=self.user, id_number=identity.number, exclude_pk=self.instance.pk)
        if message:
            raise forms.ValidationError(message, code="duplicate")
        return identity.number

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_household_income(self):
        value = self.cleaned_data["household_income"]
        return Decimal(0) if value is None else (value * TEN_THOUSAND).quantize(Decimal("0.01"))

    def clean(self):
        cleaned = super().clean()
        if self._identity is None:
            return cleaned
        mismatches = identity_mismatches(
            self._identity, gender=cleaned.get("gender"), birth_date=cleaned.get("birth_date")
        )
        for name, message in mismatches.items():
            self.add_error(name, message)
        if not cleaned.get("birth_date") and "birth_date" not in self.errors:
            cleaned["birth_date"] = self._identity.birth_date
        return cleaned

    def validate_unique(self):
        # The service checks a repeated ID card number and says where the person is registered only to
        # those who may see it; the model's generic "already exists" would say less, and too much.
        pass


def _normalized(data):
    """A copy of the submitted data with full-width digits and letters and stray spaces normalised."""
    if data is None:
        return None
    data = data.copy()
    for key in list(data.keys()):
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        fixed = [normalize_text(value) for value in values]
        if hasattr(data, "setlist"):
            data.setlist(key, fixed)
        else:
            data[key] = fixed[-1]
    return data


class NominationForm(PortalForm):
    """Step 1 (推荐): the track, who recommends the person and why.

    On the create page it is optional: with `optional=True` it has a "nominate now" box, and the
    other fields are needed only when the box is ticked.
    """

    nominate = forms.BooleanField(
        required=False, label=gettext_lazy("Nominate now (step 1 of the certification)")
    )
    track = forms.ChoiceField(choices=BLANK + Track.choices, label=field_label(Certification, "track"))
    recommender = forms.ChoiceField(
        choices=BLANK + Recommender.choices, label=field_label(Certification, "recommender")
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=field_label(Certification, "recommendation_reason"),
    )

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        explain_errors(self)
        if optional:
            for name in ("track", "recommender", "reason"):
                self.fields[name].required = False
        else:
            del self.fields["nominate"]

    def clean(self):
        cleaned = super().clean()
        if self.optional and cleaned.get("nominate"):
            for name in ("track", "recommender", "reason"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    def service_kwargs(self) -> dict:
        """The nomination's keyword arguments for the services; empty when not nominating now."""
        if self.optional and not self.cleaned_data.get("nominate"):
            return {}
        return {
            "track": self.cleaned_data["track"],
            "recommender": self.cleaned_data["recommender"],
            "reason": self.cleaned_data["reason"].strip(),
        }
