"""The Excel import refuses a file that is not an .xlsx workbook, is too large or holds too many rows,
and keeps its preview so that a reload does not read the file again."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from candidates import imports
from candidates.models import ImportBatch
from tests.candidates.import_helpers import PHONE, H, counts, person, refused, workbook, zh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


# Refusals: the file ------------------------------------------------------------------------------


def xls_bytes() -> bytes:
    """The start of a real .xls: the OLE2 compound-document signature and header."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook".ljust(512, b"\0")


def zip_without_workbook() -> bytes:
    """A zip archive that is not a workbook: the part of a Word document."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "msgid"),
    [
        (
            "名单.xls",
            xls_bytes(),
            "This is an old-format Excel file (.xls) or a password-protected workbook. Open it in Excel, "
            "remove any password, save it as an Excel workbook (.xlsx) and upload that file.",
        ),
        (
            "名单.csv",
            "姓名,性别\n王大勇,男\n".encode("gb18030"),
            "This is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as an Excel "
            "workbook (.xlsx), or copy the rows into the template.",
        ),
        (
            "renamed.xlsx",
            bytes(range(256)) * 8,
            "This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it.",
        ),
        (
            "名单.docx.xlsx",
            zip_without_workbook(),
            "This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it.",
        ),
    ],
)
def test_files_that_are_not_xlsx_workbooks_are_refused_on_upload_with_a_clear_message(
    client_of, yushu, name, content, msgid
):
    before = (counts(), ImportBatch.objects.count())
    response = client_of(yushu).post(
        reverse("candidates:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [zh(msgid)]
    with pytest.raises(ValidationError) as refusal:
        imports.batch_store(by=yushu, uploaded_file=SimpleUploadedFile(name, content))
    assert refusal.value.messages == [zh(msgid)]
    assert (counts(), ImportBatch.objects.count()) == before


def test_a_file_over_the_size_limit_is_refused(client_of, yushu, tmp_path, settings):
    path = workbook(tmp_path, [person() for _ in range(30)])
    settings.IMPORT_MAX_BYTES = path.stat().st_size - 1
    before = ImportBatch.objects.count()
    with open(path, "rb") as upload:
        response = client_of(yushu).post(reverse("candidates:import_upload"), {"file": upload})
    assert response.context["form"].errors["file"] == [
        zh(
            "The file is %(size)s; the limit is %(limit)s. Split it into smaller files.",
            size=filesizeformat(path.stat().st_size),
            limit=filesizeformat(settings.IMPORT_MAX_BYTES),
        )
    ]
    assert ImportBatch.objects.count() == before


def test_a_small_file_that_unpacks_to_far_more_than_the_limit_is_refused(yushu, settings):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 1_000_000)
    settings.IMPORT_MAX_BYTES = 10_000
    assert len(output.getvalue()) < settings.IMPORT_MAX_BYTES
    with pytest.raises(ValidationError) as refusal:
        imports.batch_store(by=yushu, uploaded_file=SimpleUploadedFile("bomb.xlsx", output.getvalue()))
    assert refusal.value.messages == [
        zh(
            "The workbook holds %(size)s of data once unpacked; the import accepts up to %(limit)s. "
            "Split it into smaller files.",
            size=filesizeformat(1_000_000 + len("<workbook/>")),
            limit=filesizeformat(500_000),
        )
    ]


def test_the_command_refuses_a_file_that_is_not_a_workbook_and_imports_nothing(yushu, tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(xls_bytes())
    before = (counts(), ImportBatch.objects.count())
    with pytest.raises(CommandError) as failure:
        call_command("import_candidates", str(path), "--user", "yushu")
    assert str(failure.value) == zh(
        "This is an old-format Excel file (.xls) or a password-protected workbook. Open it in Excel, "
        "remove any password, save it as an Excel workbook (.xlsx) and upload that file."
    )
    assert (counts(), ImportBatch.objects.count()) == before


def test_a_damaged_workbook_is_refused(yushu, tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    errors = refused(yushu, path)
    assert errors == [
        (
            None,
            "",
            zh(
                "The workbook cannot be read; it may be damaged. Open it in Excel, save it again as .xlsx "
                "and upload it again."
            ),
        )
    ]


# F6: a file too large in rows, and reloads -------------------------------------------------------


TOO_MANY_ROWS = (
    "The file holds more than %(limit)d rows; the import takes up to %(limit)d people at a time. "
    "Split it into several files."
)


def test_a_file_over_the_row_limit_is_refused_and_read_no_further(yushu, tmp_path, settings):
    """Finding F6: 330,000 junk rows took 76 s and 1.6 GB to preview. Past the limit, the rest of the
    file is not read: the junk after it would otherwise be reported row by row."""
    settings.IMPORT_MAX_ROWS = 20
    junk = [[f"垃圾{n}", "?", "?", "?", "?"] for n in range(3000)]
    path = workbook(tmp_path, [person() for _ in range(21)] + junk)
    assert refused(yushu, path) == [(None, "", zh(TOO_MANY_ROWS, limit=20))]


def test_a_file_of_blank_but_present_rows_is_refused_at_twice_the_limit(yushu, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 20
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(H))
    sheet.append([person()[header] for header in H])
    for number in range(3, 200):
        sheet.cell(row=number, column=1).value = " "  # a row that is there, with nothing in it
    path = tmp_path / "空行.xlsx"
    book.save(path)
    assert refused(yushu, path) == [(None, "", zh(TOO_MANY_ROWS, limit=20))]


def test_a_file_at_the_row_limit_is_accepted(yushu, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 5
    check = imports.check_workbook(
        by=yushu, content=workbook(tmp_path, [person() for _ in range(5)]).read_bytes()
    )
    assert check.errors == [] and len(check.rows) == 5


def test_reloading_the_preview_does_not_read_the_file_again(client_of, yushu, tmp_path, monkeypatch):
    reads = []
    load_workbook = openpyxl.load_workbook
    monkeypatch.setattr(
        imports.openpyxl, "load_workbook", lambda *a, **k: reads.append(1) or load_workbook(*a, **k)
    )
    client = client_of(yushu)
    with open(workbook(tmp_path, [person(), person(**{PHONE: "110"})]), "rb") as upload:
        preview_url = client.post(reverse("candidates:import_upload"), {"file": upload}).url
    pages = [client.get(preview_url) for _ in range(3)]
    assert len(reads) == 1
    assert all(page.context["check"].error_count == 1 for page in pages)
    phone_error = zh(
        "“%(value)s” is not a mainland mobile number: 11 digits starting with 13 to 19.", value="110"
    )
    assert all(phone_error in page.content.decode() for page in pages)


def test_the_preview_lists_each_error_with_its_row_and_column(client_of, yushu, tmp_path):
    client = client_of(yushu)
    with open(workbook(tmp_path, [person(**{PHONE: "110"})]), "rb") as upload:
        page = client.get(client.post(reverse("candidates:import_upload"), {"file": upload}).url)
    html = page.content.decode()
    assert '<td class="num">2</td>' in html and "手机号" in html
    assert (
        zh("“%(value)s” is not a mainland mobile number: 11 digits starting with 13 to 19.", value="110")
        in html
    )
    assert page.context["rows"] == []
