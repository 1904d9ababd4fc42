"""The candidate export at scale: read as bare columns in a fixed number of queries, written by the sheet
writer of reports.exports, whose cells openpyxl (and so Excel) reads back as they were given."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from candidates import selectors
from candidates.choices import CertificationState
from candidates.exports import candidate_export_rows
from reports.exports import Sheet, xlsx_workbook_sheets
from tests.factories import CandidateFactory, CertificationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _people(benxi, count: int) -> None:
    for n in range(count):
        CertificationFactory(
            step=1 + n % 7,
            candidate=CandidateFactory(village=benxi["village"], certifying=True),
            step_due_on=TODAY + datetime.timedelta(days=n % 3 - 1),
        )


def test_a_queryset_and_its_model_instances_export_the_same_rows(benxi):
    _people(benxi, 7)
    CandidateFactory(village=benxi["village"], name="甲", active=True, stage="party_member", source="veteran")
    CertificationFactory(
        step=2,
        state=CertificationState.REJECTED,
        candidate=CandidateFactory(village=benxi["other_village"], name="戊", status="rejected"),
        step_due_on=TODAY - datetime.timedelta(days=10),
    )
    candidates = selectors.candidate_list(user=benxi["user"]).order_by("pk")
    with translation.override("zh-hans"):
        headers, rows = candidate_export_rows(candidates)
        from_instances = list(candidate_export_rows(list(candidates))[1])
    rows = list(rows)
    assert rows == from_instances and len(rows) == 9
    step, due_on, overdue, id_number, phone = (
        headers.index(h) for h in ("当前步骤", "本步骤应完成日期", "逾期", "身份证号", "手机号")
    )
    by_name = {row[0]: row for row in rows}
    assert by_name["甲"][step] == by_name["戊"][step] == ""  # nothing in progress
    late = [row for row in rows if row[overdue]]
    assert late and all(row[overdue] == "是" and row[due_on] < TODAY for row in late)
    assert all(row[due_on] >= TODAY for row in rows if row[step] and not row[overdue])
    assert all("*" in row[id_number] and "*" in row[phone] for row in rows)


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("candidates:candidate_export"))
    assert response.status_code == 200
    return len(queries)


def test_the_candidate_exports_queries_do_not_grow_with_the_rows(benxi, client_of):
    client = client_of(benxi["user"])
    _people(benxi, 3)
    few = _export_queries(client)
    _people(benxi, 30)
    assert _export_queries(client) == few


def test_the_writer_writes_each_kind_of_value_as_openpyxl_reads_it():
    when = datetime.datetime(2025, 3, 4, 5, 6, 7)
    row = [
        "a & <b> > c",
        "  padded ",
        "bell\x07 and form\x0cfeed",
        "=1+1",
        "-5",
        "",
        None,
        42,
        2.5,
        Decimal("85000.00"),
        True,
        datetime.date(1985, 3, 4),
        when,
        0.125,
    ]
    content = xlsx_workbook_sheets(
        [
            Sheet(
                title='名单 "一"/二', headers=["文本", *range(len(row) - 1)], rows=[row], formats={13: "0.0%"}
            ),
            Sheet(title="空", headers=["只有表头"], rows=[]),
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ['名单 "一"-二', "空"]
    header, cells = book.worksheets[0].iter_rows()
    assert [cell.value for cell in header][:2] == ["文本", "0"]  # headers as text
    assert [cell.value for cell in cells] == [
        "a & <b> > c",
        "  padded ",
        "bell and formfeed",
        "=1+1",
        "-5",
        None,
        None,
        42,
        2.5,
        85000,
        True,
        datetime.datetime(1985, 3, 4),
        when,
        0.125,
    ]
    assert [cell.quotePrefix for cell in cells[:5]] == [False, False, False, True, True]
    assert all(cell.data_type == "s" for cell in cells[:5])
    assert (cells[11].number_format, cells[12].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd h:mm:ss")
    assert cells[13].number_format == "0.0%" and cells[7].number_format == "General"
    assert [[cell.value for cell in line] for line in book.worksheets[1].iter_rows()] == [["只有表头"]]


@pytest.mark.parametrize(
    "value, error",
    [(object(), ValueError), (datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), TypeError)],
)
def test_the_writer_refuses_what_a_cell_cannot_hold(value, error):
    with pytest.raises(error):
        xlsx_workbook_sheets([Sheet(title="x", headers=["x"], rows=[[value]])])
