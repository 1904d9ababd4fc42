"""Batches and the import itself: keeping an upload, its preview kept with it, and the write."""

import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from candidates import permissions
from candidates.imports.insert import create_with_history
from candidates.imports.rows import (
    ImportCheck,
    ImportRefused,
    ImportRow,
    RowError,
    check_kept,
    check_workbook,
)
from candidates.imports.upload import read_upload
from candidates.models import Candidate, Certification, ImportBatch
from config.workflows import require_visible
from reports import rollups

# The preview lists this many errors and rows; the rest are counted.
PREVIEW_ERRORS = 1000
PREVIEW_ROWS = 200
# Where ImportBatch.preview keeps the rows of a file without errors, read once (ImportRow.kept).
KEPT_ROWS = "kept_rows"


def batch_store(*, by: User, uploaded_file) -> ImportBatch:
    """Keep an uploaded workbook until its preview is confirmed; a file that is not an .xlsx within the
    size limit raises ValidationError."""
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    content = read_upload(uploaded_file)
    filename = os.path.basename(uploaded_file.name or "")[
        : ImportBatch._meta.get_field("filename").max_length
    ]
    return ImportBatch.objects.create(uploaded_by=by, filename=filename, content=content)


def batch_check(*, by: User, batch: ImportBatch) -> ImportCheck:
    """Check a stored workbook against the database as it is now."""
    return check_workbook(by=by, content=bytes(batch.content))


@dataclass
class PreviewRow:
    """A nomination as the preview lists it: the values shown, ID number masked."""

    row: int
    name: str
    gender: str
    ethnicity: str
    id_number: str
    birth_date: str
    village: str
    education: str
    political_status: str
    source: str
    track: str
    recommender: str

    @classmethod
    def of(cls, item: ImportRow) -> "PreviewRow":
        """The preview's line for a checked row."""
        candidate, certification = item.candidate, item.certification
        return cls(
            row=item.row,
            name=candidate.name,
            gender=candidate.get_gender_display(),
            ethnicity=candidate.ethnicity,
            id_number=candidate.masked_id_number,
            birth_date=candidate.birth_date.isoformat(),
            village=candidate.village.name,
            education=candidate.get_education_display(),
            political_status=candidate.get_political_status_display(),
            source=candidate.get_source_display(),
            track=certification.get_track_display(),
            recommender=certification.get_recommender_display(),
        )


@dataclass
class ImportPreview:
    """What the preview page shows of a check: the first errors and rows, and how many there are.

    Kept with the batch (as JSON), so that reloading the page does not read the file again.
    """

    errors: list[RowError]
    error_count: int
    warnings: list[RowError]
    rows: list[PreviewRow]
    row_count: int

    @property
    def more_errors(self) -> int:
        """How many errors the preview does not list."""
        return self.error_count - len(self.errors)

    @property
    def more_rows(self) -> int:
        """How many rows the preview does not list."""
        return self.row_count - len(self.rows)

    @classmethod
    def of(cls, check: ImportCheck) -> "ImportPreview":
        """The preview of a check."""
        return cls(
            errors=check.errors[:PREVIEW_ERRORS],
            error_count=len(check.errors),
            warnings=check.warnings[:PREVIEW_ERRORS],
            rows=[PreviewRow.of(item) for item in check.rows[:PREVIEW_ROWS]],
            row_count=len(check.rows),
        )

    def as_json(self) -> dict:
        """The preview as ImportBatch.preview keeps it."""
        return {
            "errors": [list(e) for e in self.errors],
            "error_count": self.error_count,
            "warnings": [list(w) for w in self.warnings],
            "rows": [vars(row) for row in self.rows],
            "row_count": self.row_count,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ImportPreview":
        """The preview that `as_json` kept."""
        return cls(
            errors=[RowError(*e) for e in data["errors"]],
            error_count=data["error_count"],
            warnings=[RowError(*w) for w in data["warnings"]],
            rows=[PreviewRow(**row) for row in data["rows"]],
            row_count=data["row_count"],
        )


def batch_preview(*, by: User, batch: ImportBatch) -> ImportPreview:
    """The preview of a stored workbook: checked once, on the first look, and kept with the batch.

    A file without errors keeps its rows as read too (under KEPT_ROWS), so that confirming checks them
    again against the database as it is then without reading the file again.
    """
    if batch.preview is not None:
        return ImportPreview.from_json(batch.preview)
    check = batch_check(by=by, batch=batch)
    preview = ImportPreview.of(check)
    batch.preview = preview.as_json()
    if check.ok:
        batch.preview[KEPT_ROWS] = [row.kept() for row in check.rows]
    batch.save(update_fields=["preview"])
    return preview


def already_imported_message(batch: ImportBatch) -> str:
    """Why an imported batch cannot be imported again: when it was, and how many people."""
    return _("This file was already imported on %(time)s: %(count)d people were nominated.") % {
        "time": timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
        if batch.imported_at
        else "—",
        "count": batch.rows,
    }


@transaction.atomic
def candidates_import(*, by: User, batch: ImportBatch) -> int:
    """Nominate (step 1) every person of a stored workbook, or nobody if any row is wrong; returns how many.

    The batch is locked, so two clicks on "import" create the people once. The rows are checked again
    under the lock, against the database as it is now (those its preview kept, or the file read again),
    and every row is written with its history row.
    """
    if not permissions.can_enter_candidates(by):
        raise PermissionDenied
    require_visible(ImportBatch, by, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, kind=ImportBatch.Kind.CANDIDATES)
    if batch.state == ImportBatch.State.IMPORTED:
        raise ImportRefused([RowError(None, "", already_imported_message(batch))])
    kept = (batch.preview or {}).get(KEPT_ROWS)
    check = check_kept(by=by, kept=kept) if kept else batch_check(by=by, batch=batch)
    if not check.ok:
        raise ImportRefused(check.errors)
    candidates = [row.candidate for row in check.rows]
    certifications = [row.certification for row in check.rows]
    try:
        with transaction.atomic():
            create_with_history(candidates, Candidate, by=by)
            # The certifications take their candidate's new primary key when they are inserted.
            create_with_history(certifications, Certification, by=by)
            # Bulk inserts send no signals: the dashboard's rollups of these villages are recounted here.
            rollups.refresh({candidate.village_id for candidate in candidates})
    except IntegrityError:
        # Someone registered one of these people between the check and the insert.
        raise ImportRefused(
            [
                RowError(
                    None,
                    "",
                    _(
                        "While the file was being imported, someone registered one of its people. "
                        "Nothing was imported; check the file again."
                    ),
                )
            ]
        ) from None
    batch.state = ImportBatch.State.IMPORTED
    batch.imported_at = timezone.now()
    batch.rows = len(candidates)
    batch.save(update_fields=["state", "imported_at", "rows"])
    return len(candidates)
