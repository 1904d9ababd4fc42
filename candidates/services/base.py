"""What every service of the candidates app shares: errors, audit-aware saving, jurisdiction checks."""

import datetime

from django.conf import settings
from django.http import Http404
from pypinyin import Style, lazy_pinyin

# Fields of a candidate that the registry form and the import write; status, stage and tier are
# the workflow's.
PERSONAL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "birth_date",
    "phone",
    "education",
    "political_status",
    "source",
    "village",
    "industry",
    "household_income",
    "notes",
)


class WorkflowError(Exception):
    """A step cannot be taken now; the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StepAlreadyTaken(WorkflowError):
    """Someone else completed the step a moment ago."""


def pinyin_initials(name: str) -> str:
    """王大勇 → "wdy", for searching by the first letters that clerks type."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def step_due_on(step: int, start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=settings.CERTIFICATION_STEP_TARGET_DAYS[step])


def _save(instance, by, **kwargs):
    instance._history_user = by
    instance.save(**kwargs)


def _require_visible(model, by, obj):
    """Out of jurisdiction is "not found", never "forbidden": it does not say the record exists."""
    if not model.objects.visible_to(by).filter(pk=obj.pk).exists():
        raise Http404
