"""Forms of the public notice page and of objections: filing one, recording one, ruling on one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.choices import ObjectionChannel, ObjectionStatus
from candidates.services import ObjectionInput
from config.forms import PortalForm

# Channels an official records; the web channel is the public page's own.
RECORDED_CHANNELS = [(c.value, c.label) for c in ObjectionChannel if c != ObjectionChannel.WEB]


class NoticeSearchForm(PortalForm):
    q = forms.CharField(label=_("Name, village or township"), max_length=50, required=False)


class _ObjectionFields(PortalForm):
    content = forms.CharField(
        label=_("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you know about the person that speaks against certifying them, as precisely as you can."
        ),
    )
    name = forms.CharField(label=_("Name of the objector"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("Phone or address"),
        max_length=100,
        required=False,
        help_text=_("Optional; lets the county ask you for details and tell you the outcome."),
    )


class PublicObjectionForm(_ObjectionFields):
    """An objection from the public notice page; `website` is a honeypot that people never see."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        required=False,
        help_text=_("Optional. You may object anonymously."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_from_a_robot(self) -> bool:
        """Whether the hidden field was filled in, which only programs that fill every field do."""
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    def objection(self) -> ObjectionInput:
        data = self.cleaned_data
        return ObjectionInput(content=data["content"], name=data["name"], contact=data["contact"])


class ObjectionRecordForm(_ObjectionFields):
    """An objection an official received by phone, letter or in person."""

    field_order = ["channel", "name", "contact", "content"]

    channel = forms.ChoiceField(label=_("Received by"), choices=RECORDED_CHANNELS)
    content = forms.CharField(
        label=_("Content of the objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the objector said or wrote, in substance."),
    )
    contact = forms.CharField(label=_("Objector's phone or address"), max_length=100, required=False)

    def objection(self) -> ObjectionInput:
        data = self.cleaned_data
        return ObjectionInput(
            content=data["content"], name=data["name"], contact=data["contact"], channel=data["channel"]
        )


class ObjectionRulingForm(PortalForm):
    """The county's ruling on an objection, with its reasoning."""

    decision = forms.ChoiceField(
        label=_("Outcome of the ruling"),
        choices=[
            (ObjectionStatus.UPHELD.value, _("Uphold the objection: the application is rejected")),
            (ObjectionStatus.DISMISSED.value, _("Dismiss the objection: the certification continues")),
        ],
        widget=forms.RadioSelect,
    )
    ruling = forms.CharField(
        label=_("Reasoning"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the county checked and why it decided so; it is kept with the certification."),
    )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == ObjectionStatus.UPHELD
