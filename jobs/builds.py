"""What each kind of job builds: the file its owner asked for, from the list as they see it when it runs.

The list is read again in the worker with the owner's jurisdiction of that moment (a user moved to another
township since gets the new township's people), never with what the asking page saw.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from candidates.exports import candidate_export_rows
from candidates.pdf import registration_form_pdf
from jobs.models import Job
from jobs.selectors import candidate_records
from jobs.services import Built, JobError
from reports.exports import XLSX, xlsx_workbook

# Rows written between two progress records of an export.
PROGRESS_EVERY = 500
# Candidates fetched from the database at a time while a file is written.
CHUNK = 2000

Progress = Callable[[int, int], None]


def _records(job: Job):
    owner = job.created_by
    if not owner.is_active:
        raise JobError(_("The account that asked for this file is no longer active."))
    return candidate_records(user=owner, query=job.parameters.get("query", ""))


class _Counted:
    """`rows` passed through and counted, the progress recorded every PROGRESS_EVERY rows."""

    def __init__(self, rows: Iterable, *, total: int, progress: Progress):
        self.rows, self.total, self.progress, self.count = rows, total, progress, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            yield row
            self.count += 1
            if self.count % PROGRESS_EVERY == 0:
                self.progress(self.count, self.total)


def candidate_workbook(*, job: Job, progress: Progress) -> Built:
    """The candidate export of the list the job names, however long: DESIGN §9's export.xlsx past the
    rows a user waits for. Written row by row, ID numbers and phones masked."""
    records = _records(job)
    total = records.count()
    progress(0, total)
    # The queryset itself: the export reads only its columns, in chunks (candidates.exports).
    headers, rows = candidate_export_rows(records)
    counted = _Counted(rows, total=total, progress=progress)
    title = _("Candidates")
    content = xlsx_workbook(title=title, headers=headers, rows=counted)
    return Built(name=f"{title}.xlsx", content_type=XLSX, content=content, count=counted.count)


def _form_name(number: int, candidate) -> str:
    # A name is plain text, but a file name inside a zip must not climb out of its folder.
    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", candidate.name).strip("._") or str(candidate.pk)
    return f"{number:04d}-{name}-{candidate.pk}.pdf"


def registration_forms_zip(*, job: Job, progress: Progress) -> Built:
    """The registration form (培养对象登记表) of each candidate of the list the job names, as one zip of
    PDFs in the list's order; at most settings.REGISTRATION_FORMS_MAX forms."""
    records = _records(job)
    total = records.count()
    if total > settings.REGISTRATION_FORMS_MAX:
        raise JobError(too_many_forms(total))
    progress(0, total)
    content = io.BytesIO()
    count = 0
    # PDFs are compressed already: the zip only stores them.
    with zipfile.ZipFile(content, "w", compression=zipfile.ZIP_STORED) as archive:
        for count, candidate in enumerate(records.iterator(chunk_size=CHUNK), 1):
            archive.writestr(
                _form_name(count, candidate), registration_form_pdf(candidate=candidate, user=job.created_by)
            )
            progress(count, total)
    return Built(
        name=_("Registration forms") + ".zip",
        content_type="application/zip",
        content=content.getvalue(),
        count=count,
    )


def too_many_forms(count: int) -> str:
    """Why a batch of `count` forms is refused."""
    return _(
        "These filters match %(count)s candidates; one batch prints at most %(limit)s forms. Narrow the "
        "filters, for example to one township or one status, and print again."
    ) % {"count": f"{count:,}", "limit": f"{settings.REGISTRATION_FORMS_MAX:,}"}
