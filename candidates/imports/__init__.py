"""The Excel import of nominations (DESIGN §9 "Import template"): read, check, preview, write.

A file is checked as a whole: every problem is reported as (row as Excel shows it, column header,
message), and if there is one, nothing is written. Lookups are made in bulk, never one query per row,
so 10,000 rows check and import in seconds.

One module per job: `upload` (is it an .xlsx within the limits), `cells` (reading one cell), `rows`
(the header, the rows, the checks across rows), `write` (batches, the preview, the import), `insert`
(the bulk insert with history rows), `template` (the template workbook); `columns` holds the file format
they share.
"""

# openpyxl is named here so that a test can replace `imports.openpyxl.load_workbook`; the rows module
# calls it through the module, so the replacement is what reads the file.
import openpyxl

from candidates.imports.columns import (
    BIRTH_DATE,
    EXAMPLE_ID_NUMBER,
    EXAMPLE_VILLAGE_CODE,
    HEADERS,
    OPTIONAL_HEADERS,
)
from candidates.imports.rows import (
    ImportCheck,
    ImportRefused,
    ImportRow,
    RowError,
    check_kept,
    check_workbook,
)
from candidates.imports.template import column_help, template_workbook
from candidates.imports.upload import MAX_UNPACKED_RATIO, check_upload, read_upload
from candidates.imports.write import (
    ImportPreview,
    PreviewRow,
    already_imported_message,
    batch_check,
    batch_preview,
    batch_store,
    candidates_import,
)

__all__ = [
    "BIRTH_DATE",
    "EXAMPLE_ID_NUMBER",
    "EXAMPLE_VILLAGE_CODE",
    "HEADERS",
    "MAX_UNPACKED_RATIO",
    "OPTIONAL_HEADERS",
    "ImportCheck",
    "ImportPreview",
    "ImportRefused",
    "ImportRow",
    "PreviewRow",
    "RowError",
    "already_imported_message",
    "batch_check",
    "batch_preview",
    "batch_store",
    "candidates_import",
    "check_kept",
    "check_upload",
    "check_workbook",
    "column_help",
    "openpyxl",
    "read_upload",
    "template_workbook",
]
