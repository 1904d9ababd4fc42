"""The online-learning import's preview, kept with its batch so that a reload reads nothing, and the
file's template and column help (the reading and checking are in mentoring/online_import.py)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.imports import EXAMPLE_ID_NUMBER, RowError
from candidates.models import ImportBatch
from mentoring.online_import import EXAMPLE_MONTH, HOURS, ID_NUMBER, MONTH, NAME, HoursCheck, HoursRow
from reports.exports import xlsx_workbook

# The preview lists this many errors and rows; the rest are counted.
PREVIEW_ERRORS, PREVIEW_ROWS = 1000, 200
# The mark of this import's batches: candidates.models.ImportBatch keeps the candidate import's too.
KIND = "online_learning"


@dataclass
class PreviewLine:
    """A row as the preview lists it: the person (ID number masked), the month, the hours."""

    row: int
    name: str
    id_number: str
    village: str
    month: str
    hours: str
    replaces: str

    @classmethod
    def of(cls, item: HoursRow) -> "PreviewLine":
        return cls(
            row=item.row,
            name=item.candidate.name,
            id_number=item.candidate.masked_id_number,
            village=item.candidate.village.region.name,
            month=f"{item.month:%Y-%m}",
            hours=str(item.hours),
            replaces="" if item.replaces is None else str(item.replaces),
        )


@dataclass
class HoursPreview:
    """What the preview page shows of a check, kept with the batch (as JSON) so a reload reads nothing."""

    errors: list[RowError]
    error_count: int
    lines: list[PreviewLine]
    line_count: int
    people: int = 0
    months: list[str] = field(default_factory=list)
    replaced: int = 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def more_lines(self) -> int:
        return self.line_count - len(self.lines)

    @classmethod
    def of(cls, check: HoursCheck) -> "HoursPreview":
        return cls(
            errors=check.errors[:PREVIEW_ERRORS],
            error_count=len(check.errors),
            lines=[PreviewLine.of(item) for item in check.rows[:PREVIEW_ROWS]],
            line_count=len(check.rows),
            people=len({item.candidate.pk for item in check.rows}),
            months=sorted({f"{item.month:%Y-%m}" for item in check.rows}),
            replaced=sum(item.replaces is not None for item in check.rows),
        )

    def as_json(self) -> dict:
        """The preview as ImportBatch.preview keeps it. The batch model is the candidate import's too: the
        keys that import reads hold no rows of its kind, so its page cannot mistake this file for its own."""
        return {
            "kind": KIND,
            "errors": [list(e) for e in self.errors],
            "error_count": self.error_count,
            "warnings": [],
            "rows": [],
            "row_count": 0,
            "lines": [vars(line) for line in self.lines],
            "line_count": self.line_count,
            "people": self.people,
            "months": self.months,
            "replaced": self.replaced,
        }

    @classmethod
    def from_json(cls, data: dict) -> "HoursPreview":
        return cls(
            errors=[RowError(*e) for e in data["errors"]],
            error_count=data["error_count"],
            lines=[PreviewLine(**line) for line in data["lines"]],
            line_count=data["line_count"],
            people=data["people"],
            months=data["months"],
            replaced=data["replaced"],
        )


def is_hours_batch(batch: ImportBatch) -> bool:
    """Whether a stored upload is a file of this import."""
    return batch.kind == ImportBatch.Kind.ONLINE_LEARNING and isinstance(batch.preview, dict)


def preview_of(batch: ImportBatch) -> HoursPreview:
    """The preview kept with a batch of this import (see `is_hours_batch`)."""
    return HoursPreview.from_json(batch.preview)


def already_imported_message(batch: ImportBatch) -> str:
    """Why an imported file cannot be imported again: when it was, and how many rows."""
    return _("This file was already imported on %(time)s: %(count)d rows of hours.") % {
        "time": timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
        if batch.imported_at
        else "—",
        "count": batch.rows,
    }


# The template and its help -------------------------------------------------------------------------------


def column_help() -> list[tuple[str, bool, str]]:
    """Each column of the file, whether it must be filled in, and what to write in it."""
    return [
        (ID_NUMBER, True, _("The 18-character ID card number of a registered candidate of your region.")),
        (MONTH, True, _("The month of the hours, e.g. 2025-03; not a month still to come.")),
        (HOURS, True, _("Hours of learning in that month, 0 to 744, e.g. 12.5.")),
        (NAME, False, _("The person's name; when given, it must be the registered name.")),
    ]


def hours_template() -> bytes:
    """The .xlsx template: the headers and an example row (refused if it is left in)."""
    return xlsx_workbook(
        title=_("Online learning"),
        headers=[ID_NUMBER, MONTH, HOURS, NAME],
        rows=[[EXAMPLE_ID_NUMBER, EXAMPLE_MONTH, 12.5, "张三"]],
    )
