"""The portal's look for every form: Bootstrap classes on widgets, so templates stay plain."""

import django_filters
from django import forms


def style_widgets(form: forms.BaseForm) -> forms.BaseForm:
    """Give each widget of `form` the Bootstrap class that fits its kind."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
    return form


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PortalModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose form has the portal's look."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            style_widgets(super().form)
        return self._form


def add_service_errors(form: forms.BaseForm, error) -> None:
    """A service's ValidationError on the form: under the fields it names, or on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
