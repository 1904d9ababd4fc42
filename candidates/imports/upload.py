"""Whether an upload is an .xlsx workbook within the size limits, judged before any row is read."""

import codecs
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# An .xlsx is zipped XML; more than this many times the upload limit once unpacked is refused unread,
# so a small file that unpacks to gigabytes cannot tie up a web process.
MAX_UNPACKED_RATIO = 50

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_upload(*, name: str, content: bytes) -> None:
    """Refuse what is not an .xlsx workbook within the size limit, judging by the bytes, not the name."""
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise _too_big(len(content))
    if content.startswith(_OLE2_MAGIC):
        raise ValidationError(
            _(
                "This is an old-format Excel file (.xls) or a password-protected workbook. Open it in "
                "Excel, remove any password, save it as an Excel workbook (.xlsx) and upload that file."
            ),
            code="xls",
        )
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise ValidationError(damaged_message(), code="damaged") from None
        unpacked = sum(member.file_size for member in members)
        if unpacked > settings.IMPORT_MAX_BYTES * MAX_UNPACKED_RATIO:
            raise ValidationError(
                _(
                    "The workbook holds %(size)s of data once unpacked; the import accepts up to %(limit)s. "
                    "Split it into smaller files."
                )
                % {
                    "size": filesizeformat(unpacked),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES * MAX_UNPACKED_RATIO),
                },
                code="too_big",
            )
        if any(member.filename == "xl/workbook.xml" for member in members):
            return
    elif name.lower().endswith((".csv", ".txt")) or _looks_like_text(content):
        raise ValidationError(
            _(
                "This is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as an "
                "Excel workbook (.xlsx), or copy the rows into the template."
            ),
            code="csv",
        )
    raise ValidationError(
        _("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it."),
        code="not_xlsx",
    )


def _too_big(size: int) -> ValidationError:
    """The refusal of a file of `size` bytes, over the upload limit."""
    return ValidationError(
        _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
        code="too_big",
    )


def damaged_message() -> str:
    """What to do with a workbook that cannot be read."""
    return _(
        "The workbook cannot be read; it may be damaged. Open it in Excel, save it again as .xlsx "
        "and upload it again."
    )


def _looks_like_text(content: bytes) -> bool:
    """Whether the start of `content` reads as UTF-8 or GB18030 text, as a CSV file does."""
    head = content[:4096]
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the cut at 4096 bytes may split a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def read_upload(uploaded_file) -> bytes:
    """The bytes of an uploaded file, once `check_upload` accepts them; a large file is refused unread."""
    if uploaded_file.size is not None and uploaded_file.size > settings.IMPORT_MAX_BYTES:
        raise _too_big(uploaded_file.size)
    uploaded_file.seek(0)
    content = uploaded_file.read()
    check_upload(name=uploaded_file.name or "", content=content)
    return content
