"""Tables of the report pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from candidates.choices import EliminationReason, Stage
from candidates.tables import PersonTable
from reports.dynamic import GROUP_DATE_LABELS


class _ChoiceColumn(tables.Column):
    """A stored choice value shown by its label."""

    def __init__(self, labels: dict, **kwargs):
        super().__init__(**kwargs)
        self.labels = labels

    def render(self, value):
        return self.labels.get(value, value)


class DynamicGroupTable(PersonTable):
    """The people of one group of dynamic management; the date and outcome come from the selector."""

    class Meta(PersonTable.Meta):
        empty_text = _("Nobody in this group.")

    def __init__(self, data, *, group: str, **kwargs):
        extra = [("group_date", tables.DateColumn(format="Y-m-d", verbose_name=GROUP_DATE_LABELS[group]))]
        # Only promotions and eliminations have an outcome to show: the rung reached, the reason.
        outcomes = {"promoted": (_("Promoted to"), Stage), "eliminated": (_("Reason"), EliminationReason)}
        if group in outcomes:
            label, choices = outcomes[group]
            extra.append(("group_outcome", _ChoiceColumn(dict(choices.choices), verbose_name=label)))
        super().__init__(data, extra_columns=extra, **kwargs)
