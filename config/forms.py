"""What every portal form shares: Bootstrap classes on widgets, so templates stay plain, and plausible
bounds on dates and numbers, so that no typed value reaches the database only to overflow there."""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Django 6.1's label of an empty choice (django.db.models.fields.BLANK_CHOICE_LABEL), which Django's own
# zh-hans catalogue does not translate yet: named here so that the portal's catalogue, read first, does.
BLANK_CHOICE_LABEL = _("- Select an option -")

# No date the portal records lies outside these: a birth date, a meeting, a term, a notice.
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)
# The largest whole number a database integer column holds (PostgreSQL's integer).
LARGEST_INTEGER = 2**31 - 1


def bound_field(field: forms.Field) -> forms.Field:
    """Add plausible bounds to a date or whole-number field that has none of its own (finding F9:
    0001-01-01 was accepted as a meeting date, 9999-12-30 as a notice start, 2³¹ votes a 500)."""
    if getattr(field, "bounded", False):
        return field
    field.bounded = True
    if isinstance(field, forms.DateField | forms.DateTimeField):
        message = _("The date must lie between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST_DATE.isoformat(),
            "latest": LATEST_DATE.isoformat(),
        }
        earliest, latest = EARLIEST_DATE, LATEST_DATE
        if isinstance(field, forms.DateTimeField):
            earliest = datetime.datetime.combine(earliest, datetime.time.min, tzinfo=datetime.UTC)
            latest = datetime.datetime.combine(latest, datetime.time.max, tzinfo=datetime.UTC)
        field.validators += [MinValueValidator(earliest, message), MaxValueValidator(latest, message)]
    elif isinstance(field, forms.IntegerField) and field.max_value is None:
        field.max_value = LARGEST_INTEGER
        field.validators.append(MaxValueValidator(LARGEST_INTEGER))
    return field


def prepare_fields(form: forms.BaseForm) -> forms.BaseForm:
    """Give each field of `form` its plausible bounds and its widget the Bootstrap class of its kind."""
    for field in form.fields.values():
        bound_field(field)
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "")
        if css not in classes.split():  # a form that adds fields styles them again
            widget.attrs["class"] = f"{css} {classes}".strip()
    return form


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prepare_fields(self)


class PortalModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prepare_fields(self)


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose form has the portal's look."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            prepare_fields(super().form)
        return self._form


class YearFilter(django_filters.NumberFilter):
    """A year of the portal's calendar, whole: a year the calendar lacks (-5, 99999) made the date
    lookup behind it raise, and the list answer 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.update(min_value=EARLIEST_DATE.year, max_value=LATEST_DATE.year, decimal_places=0)
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.BaseForm, error) -> None:
    """A service's ValidationError on the form: under the fields it names, or on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def field_label(model, name: str) -> str:
    """A model field's verbose name, capitalised: the label of a column, a form field or a line."""
    return capfirst(model._meta.get_field(name).verbose_name)
