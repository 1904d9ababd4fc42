"""The monthly import of online-learning hours: real .xlsx and CSV files; any wrong row and nothing is
written, every error by row and column; a good file imports, and a month imported again is replaced."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.identity import synthetic_id_number
from candidates.imports import ImportRefused
from candidates.models import Candidate, ImportBatch
from mentoring import online_import, online_preview
from mentoring.models import OnlineLearning
from mentoring.services import training

pytestmark = pytest.mark.django_db

ID_NUMBER, MONTH, HOURS, NAME = online_import.ID_NUMBER, online_import.MONTH, online_import.HOURS, "姓名"
HEADERS = [ID_NUMBER, MONTH, HOURS]
# The tests' year: before the demo's hours, and cleared for the tests' people anyway.
MARCH = datetime.date(2019, 3, 1)


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if headers:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def csv(rows, headers=HEADERS, encoding="utf-8") -> bytes:
    lines = [",".join(headers)] if headers else []
    lines += [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


FORMATS = {"xlsx": ("学时.xlsx", xlsx), "csv": ("学时.csv", csv)}


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def yushu(demo_user):
    return demo_user("yushu")


@pytest.fixture
def people(yushu):
    """Two active candidates of 榆树乡, the importer's township."""
    found = list(Candidate.objects.visible_to(yushu).active().order_by("pk")[:2])
    assert len(found) == 2
    OnlineLearning.objects.filter(candidate__in=found, month__year=MARCH.year).delete()
    return found


@pytest.fixture
def stranger(demo_user):
    """An active candidate of 永陵镇: in 新宾 too, but not in 榆树乡."""
    return Candidate.objects.visible_to(demo_user("yongling")).active().first()


def written() -> tuple:
    """What an import writes: the hours and their history."""
    return (
        list(OnlineLearning.objects.order_by("pk").values_list("pk", "hours")),
        OnlineLearning.history.count(),
    )


def refused(by, content: bytes, name: str) -> list:
    """Store and import a file that must be refused: its errors, once it is clear nothing was written."""
    before = written()
    batch = training.online_learning_batch_store(by=by, uploaded_file=upload(content, name))
    preview = online_preview.preview_of(batch)
    with pytest.raises(ImportRefused) as caught:
        training.online_learning_import(by=by, batch=batch)
    assert written() == before
    assert preview.errors == caught.value.errors
    return caught.value.errors


def unregistered_id() -> str:
    for serial in range(500):
        number = synthetic_id_number("110101", datetime.date(1983, 6, 1), serial, True)
        if not Candidate.objects.filter(id_number=number).exists():
            return number
    raise AssertionError("no free ID number")


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


# Each bad case: the rows after a good first row (row 2), and the (row, column) of the error expected.
BAD_ROWS = {
    "wrong ID checksum": (lambda p, s: [[bad_checksum(p[1].id_number), "2019-03", 5]], (3, ID_NUMBER)),
    "unknown person": (lambda p, s: [[unregistered_id(), "2019-03", 5]], (3, ID_NUMBER)),
    "person outside the jurisdiction": (lambda p, s: [[s.id_number, "2019-03", 5]], (3, ID_NUMBER)),
    "month 13": (lambda p, s: [[p[1].id_number, "2019-13", 5]], (3, MONTH)),
    "month in words": (lambda p, s: [[p[1].id_number, "三月", 5]], (3, MONTH)),
    "month to come": (lambda p, s: [[p[1].id_number, "2099-01", 5]], (3, MONTH)),
    "negative hours": (lambda p, s: [[p[1].id_number, "2019-03", -3]], (3, HOURS)),
    "hours in words": (lambda p, s: [[p[1].id_number, "2019-03", "十二"]], (3, HOURS)),
    "more hours than a month holds": (lambda p, s: [[p[1].id_number, "2019-03", 800]], (3, HOURS)),
    "an empty cell": (lambda p, s: [[p[1].id_number, "", 5]], (3, MONTH)),
    "the same person and month twice": (lambda p, s: [[p[0].id_number, "2019/3", 7]], (3, ID_NUMBER)),
}


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row_and_column(
    case, kind, yushu, people, stranger
):
    name, make = FORMATS[kind]
    rows, expected = BAD_ROWS[case]
    content = make([[people[0].id_number, "2019-03", 12.5], *rows(people, stranger)])
    errors = refused(yushu, content, name)
    assert expected in {(e.row, e.column) for e in errors}, errors
    assert all(e.message for e in errors)


def test_a_duplicate_is_reported_on_both_rows(yushu, people):
    content = csv([[people[0].id_number, "2019-03", 1], [people[0].id_number, "2019年3月", 2]])
    errors = refused(yushu, content, "a.csv")
    assert {(e.row, e.column) for e in errors} == {(2, ID_NUMBER), (3, ID_NUMBER)}


def test_outside_the_jurisdiction_reads_like_unknown(yushu, people, stranger):
    content = csv([[stranger.id_number, "2019-03", 1], [unregistered_id(), "2019-03", 1]])
    first, second = refused(yushu, content, "a.csv")
    assert first.message == second.message


@pytest.mark.parametrize("kind", FORMATS)
def test_a_missing_column_is_named_and_nothing_is_written(kind, yushu, people):
    name, make = FORMATS[kind]
    content = make([[people[0].id_number, "2019-03"]], headers=[ID_NUMBER, MONTH])
    errors = refused(yushu, content, name)
    assert [(e.row, e.column) for e in errors] == [(1, HOURS)]


def test_an_empty_file_is_refused_at_the_upload(yushu):
    before = (written(), ImportBatch.objects.count())
    with pytest.raises(ValidationError):
        training.online_learning_batch_store(by=yushu, uploaded_file=upload(b"", "a.csv"))
    assert (written(), ImportBatch.objects.count()) == before


@pytest.mark.parametrize(
    "content",
    [xlsx([], headers=[]), xlsx([]), csv([]), b"\r\n\r\n"],
    ids=["empty sheet", "header only", "csv header only", "blank csv"],
)
def test_a_file_without_rows_is_refused(content, yushu):
    name = "a.xlsx" if online_import.is_workbook(content) else "a.csv"
    errors = refused(yushu, content, name)
    assert len(errors) == 1 and errors[0].row is None


@pytest.mark.parametrize("kind", FORMATS)
def test_a_file_over_the_row_limit_is_refused_unread(kind, yushu, people, settings):
    settings.IMPORT_MAX_ROWS = 2
    name, make = FORMATS[kind]
    months = ["2019-01", "2019-02", "2019-03"]
    errors = refused(yushu, make([[people[0].id_number, month, 1] for month in months]), name)
    assert len(errors) == 1 and errors[0].row is None and "2" in errors[0].message


def test_a_file_that_is_neither_xlsx_nor_text_is_refused(yushu):
    with pytest.raises(ValidationError):
        training.online_learning_batch_store(by=yushu, uploaded_file=upload(b"\x00\x01\x02" * 100, "a.bin"))


def test_the_template_s_example_row_is_refused(yushu, client_of):
    response = client_of(yushu).get(reverse("mentoring:online_import_template"))
    content = b"".join(response.streaming_content)
    errors = refused(yushu, content, "template.xlsx")
    assert (2, ID_NUMBER) in {(e.row, e.column) for e in errors}


def test_a_name_that_is_not_the_registered_one_is_an_error(yushu, people):
    content = csv([[people[0].id_number, "2019-03", 1, "某某某"]], headers=[*HEADERS, NAME])
    errors = refused(yushu, content, "a.csv")
    assert [(e.row, e.column) for e in errors] == [(2, NAME)]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_good_file_imports_and_a_month_imported_again_is_replaced(kind, yushu, people):
    name, make = FORMATS[kind]
    first, second = people
    content = make(
        [
            [first.id_number, "2019-03", 12.5],
            [second.id_number, "2019-02", 0],
            [second.id_number, "2019-03", 3],
        ]
    )
    batch = training.online_learning_batch_store(by=yushu, uploaded_file=upload(content, name))
    preview = online_preview.preview_of(batch)
    assert (preview.errors, preview.line_count, preview.people) == ([], 3, 2)
    assert training.online_learning_import(by=yushu, batch=batch) == 3
    march = OnlineLearning.objects.filter(candidate__in=people, month=MARCH)
    assert dict(march.values_list("candidate_id", "hours")) == {first.pk: Decimal("12.5"), second.pk: 3}
    assert OnlineLearning.objects.get(candidate=second, month=MARCH.replace(month=2)).hours == 0
    record = OnlineLearning.objects.get(candidate=first, month=MARCH)
    assert record.imported_by == yushu and record.history.count() == 1

    again = make([[first.id_number, "2019-03", 20]])
    batch = training.online_learning_batch_store(by=yushu, uploaded_file=upload(again, name))
    assert online_preview.preview_of(batch).replaced == 1
    count = OnlineLearning.objects.count()
    assert training.online_learning_import(by=yushu, batch=batch) == 1
    assert OnlineLearning.objects.count() == count
    record.refresh_from_db()
    assert record.hours == Decimal(20) and record.history.count() == 2
    with pytest.raises(ImportRefused):  # the same file twice: imported once
        training.online_learning_import(by=yushu, batch=batch)


def test_excel_dates_gb18030_and_header_aliases_are_read(yushu, people):
    workbook = xlsx(
        [[people[0].id_number, datetime.datetime(2019, 3, 1), "2.25小时"]],
        headers=["身份证号码", MONTH, "学时（小时）"],
    )
    batch = training.online_learning_batch_store(by=yushu, uploaded_file=upload(workbook, "a.xlsx"))
    assert online_preview.preview_of(batch).lines[0].hours == "2.3"
    text = csv([[people[1].id_number, "2019年3月", 4]], encoding="gb18030")
    batch = training.online_learning_batch_store(by=yushu, uploaded_file=upload(text, "a.csv"))
    assert training.online_learning_import(by=yushu, batch=batch) == 1
    assert OnlineLearning.objects.get(candidate=people[1], month=MARCH).hours == 4


# The pages ----------------------------------------------------------------------------------------


def test_upload_preview_and_confirm_through_the_pages(yushu, people, client_of):
    client = client_of(yushu)
    content = csv([[people[0].id_number, "2019-03", 6]])
    response = client.post(reverse("mentoring:online_import_upload"), {"file": upload(content, "三月.csv")})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200 and people[0].name in page.content.decode()
    assert not OnlineLearning.objects.filter(candidate=people[0], month=MARCH).exists()
    assert client.post(preview_url).status_code == 302
    assert OnlineLearning.objects.get(candidate=people[0], month=MARCH).hours == 6
    assert client.get(preview_url).context["imported_message"]  # the page says so, and imports no more


def test_a_bad_file_s_page_lists_the_errors_and_its_confirmation_writes_nothing(yushu, people, client_of):
    client = client_of(yushu)
    content = csv([[people[0].id_number, "2019-03", 6], [people[1].id_number, "2019-03", "x"]])
    response = client.post(reverse("mentoring:online_import_upload"), {"file": upload(content, "三月.csv")})
    before = written()
    page = client.post(response["Location"])
    assert page.status_code == 200 and page.context["preview"].error_count == 1
    assert written() == before


def test_another_importer_cannot_open_the_preview_and_a_mentor_cannot_import(yushu, people, client_of):
    content = csv([[people[0].id_number, "2019-03", 6]])
    batch = training.online_learning_batch_store(by=yushu, uploaded_file=upload(content, "a.csv"))
    url = reverse("mentoring:online_import_preview", args=[batch.pk])
    assert client_of("yongling").get(url).status_code == 404
    assert client_of("xinbin").post(url).status_code == 404
    assert client_of("mentor").get(reverse("mentoring:online_import_upload")).status_code == 403
    assert not OnlineLearning.objects.filter(candidate=people[0], month=MARCH).exists()


def test_a_file_of_hours_is_no_candidate_import_and_the_reverse(yushu, people, client_of):
    """candidates.models.ImportBatch keeps both imports' files: neither page takes the other's."""
    client = client_of(yushu)
    content = csv([[people[0].id_number, "2019-03", 6]])
    hours = training.online_learning_batch_store(by=yushu, uploaded_file=upload(content, "a.csv"))
    before = Candidate.objects.count()
    assert client.get(reverse("candidates:import_preview", args=[hours.pk])).status_code == 404
    assert client.post(reverse("candidates:import_preview", args=[hours.pk])).status_code == 404
    assert Candidate.objects.count() == before
    nominations = ImportBatch.objects.create(uploaded_by=yushu, filename="b.xlsx", content=xlsx([]))
    assert client.get(reverse("mentoring:online_import_preview", args=[nominations.pk])).status_code == 404
