"""The import at scale: the rows its preview kept, the bulk write (COPY on PostgreSQL) with its history rows,
and query counts that do not grow with the rows. The pages and the refusals are in test_import*.py."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates import imports
from candidates.choices import Status
from candidates.imports import rows as import_rows
from candidates.imports.insert import create_with_history
from candidates.imports.write import KEPT_ROWS
from candidates.models import Candidate, Certification, ImportBatch
from tests.candidates.import_helpers import (
    ID_NUMBER,
    INDUSTRY,
    NAME,
    VILLAGE_CODE,
    counts,
    person,
    workbook,
    zh,
)
from tests.factories import CandidateFactory
from villages.models import Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def _batch(user, tmp_path, rows) -> ImportBatch:
    return imports.batch_store(
        by=user, uploaded_file=SimpleUploadedFile("a.xlsx", workbook(tmp_path, rows).read_bytes())
    )


def _people(count: int, yushu) -> list[dict]:
    villages = list(Village.objects.visible_to(yushu).values_list("pk", flat=True))
    return [person(**{NAME: f"张{n}", VILLAGE_CODE: villages[n % len(villages)]}) for n in range(count)]


def test_the_confirmation_checks_the_rows_the_preview_kept_without_reading_the_file_again(
    client_of, yushu, tmp_path, monkeypatch
):
    rows = [person(), person(**{INDUSTRY: None}), person(**{NAME: "李 红"})]
    client = client_of(yushu)
    with open(workbook(tmp_path, rows), "rb") as upload:
        preview_url = client.post(reverse("candidates:import_upload"), {"file": upload}).url
    assert client.get(preview_url).status_code == 200
    reads = []
    load_workbook = imports.openpyxl.load_workbook
    monkeypatch.setattr(
        imports.openpyxl, "load_workbook", lambda *a, **k: reads.append(1) or load_workbook(*a, **k)
    )

    assert client.post(preview_url).status_code == 302
    assert reads == []
    imported = Candidate.objects.filter(id_number__in=[row[ID_NUMBER] for row in rows]).order_by("pk")
    assert [(c.name, c.industry, c.status, c.created_by) for c in imported] == [
        ("王大勇", "食用菌", Status.CERTIFYING, yushu),
        ("王大勇", "", Status.CERTIFYING, yushu),
        ("李红", "食用菌", Status.CERTIFYING, yushu),
    ]
    assert {c.household_income for c in imported} == {Decimal("85000.00")}


def test_kept_rows_become_the_same_nominations_as_the_file(yushu, tmp_path):
    check = imports.check_workbook(
        by=yushu, content=workbook(tmp_path, [person(), person(**{INDUSTRY: None})]).read_bytes()
    )
    again = import_rows.check_kept(by=yushu, kept=[row.kept() for row in check.rows])
    assert again.errors == [] and [row.row for row in again.rows] == [2, 3]
    for first, second in zip(check.rows, again.rows, strict=True):
        for field in Candidate._meta.concrete_fields:
            if field.name != "created_at":  # when the instance was made
                assert getattr(first.candidate, field.attname) == getattr(second.candidate, field.attname)
        for name in ("track", "recommender", "recommendation_reason", "step", "step_due_on"):
            assert getattr(first.certification, name) == getattr(second.certification, name)


def test_the_confirmation_refuses_kept_rows_outside_the_users_jurisdiction_since(yushu, tmp_path):
    batch = _batch(yushu, tmp_path, [person()])
    assert imports.batch_preview(by=yushu, batch=batch).errors == []
    assert KEPT_ROWS in ImportBatch.objects.get(pk=batch.pk).preview
    yushu.jurisdiction = User.objects.get(username="yongling").jurisdiction
    yushu.save()
    before = counts()
    with pytest.raises(imports.ImportRefused) as refusal:
        imports.candidates_import(by=yushu, batch=batch)
    assert [(e.row, e.column) for e in refusal.value.errors] == [(2, VILLAGE_CODE)]
    assert counts() == before


def test_a_preview_with_errors_keeps_no_rows(yushu, tmp_path):
    batch = _batch(yushu, tmp_path, [person(), person(**{NAME: "=1+1"})])
    assert imports.batch_preview(by=yushu, batch=batch).error_count == 1
    assert KEPT_ROWS not in ImportBatch.objects.get(pk=batch.pk).preview


@pytest.mark.parametrize("previewed", [False, True])
def test_each_imported_record_has_one_history_row_equal_to_it_by_the_importer(yushu, tmp_path, previewed):
    batch = _batch(yushu, tmp_path, _people(3, yushu))
    if previewed:
        imports.batch_preview(by=yushu, batch=batch)
    assert imports.candidates_import(by=yushu, batch=batch) == 3
    candidates = Candidate.objects.filter(created_by=yushu, name__in=["张0", "张1", "张2"])
    certifications = Certification.objects.filter(candidate__in=candidates)
    assert len(candidates) == len(certifications) == 3
    for record in [*candidates, *certifications]:
        history = record.history.get()
        assert (history.history_type, history.history_user, history.history_change_reason) == (
            "+",
            yushu,
            None,
        )
        for field in type(record).history.model.tracked_fields:
            assert getattr(history, field.attname) == getattr(record, field.attname), field.name
    assert {c.candidate_id for c in certifications} == {c.pk for c in candidates}


def test_someone_registering_a_person_between_the_check_and_the_write_leaves_nothing_written(
    yushu, tmp_path, monkeypatch
):
    rows = _people(3, yushu)
    batch = _batch(yushu, tmp_path, rows)
    # Registered after the check: the check does not see them, the database's unique index does.
    monkeypatch.setattr(import_rows, "_check_registered", lambda **kwargs: None)
    CandidateFactory(id_number=rows[2][ID_NUMBER])
    before = counts()
    with pytest.raises(imports.ImportRefused) as refusal:
        imports.candidates_import(by=yushu, batch=batch)
    assert refusal.value.errors[0].message == zh(
        "While the file was being imported, someone registered one of its people. "
        "Nothing was imported; check the file again."
    )
    assert counts() == before
    assert not Candidate.history.filter(id_number=rows[0][ID_NUMBER]).exists()
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.PREVIEWED


def _confirmation_queries(yushu, tmp_path, count: int) -> int:
    batch = _batch(yushu, tmp_path, _people(count, yushu))
    imports.batch_preview(by=yushu, batch=batch)
    with CaptureQueriesContext(connection) as queries:
        assert imports.candidates_import(by=yushu, batch=batch) == count
    return len(queries)


def test_the_confirmations_queries_do_not_grow_with_the_rows(yushu, tmp_path):
    # The villages touched are the same (all of yushu's) at both sizes; the rollups' recount is
    # counted with them.
    villages = Village.objects.visible_to(yushu).count()
    assert _confirmation_queries(yushu, tmp_path, villages) == _confirmation_queries(
        yushu, tmp_path, 10 * villages
    )


def test_the_preview_of_a_thousand_rows_takes_a_fixed_number_of_queries(
    yushu, tmp_path, django_assert_max_num_queries
):
    batch = _batch(yushu, tmp_path, _people(1000, yushu))
    with django_assert_max_num_queries(12):
        preview = imports.batch_preview(by=yushu, batch=batch)
    assert preview.errors == [] and preview.row_count == 1000


def test_inserted_records_are_saved_model_instances_with_their_keys(yushu, tmp_path):
    check = imports.check_workbook(by=yushu, content=workbook(tmp_path, _people(2, yushu)).read_bytes())
    candidates = [row.candidate for row in check.rows]
    create_with_history(candidates, Candidate, by=yushu)
    create_with_history([row.certification for row in check.rows], Certification, by=yushu)
    for candidate in candidates:
        assert candidate.pk and not candidate._state.adding
        assert Candidate.objects.get(pk=candidate.pk).id_number == candidate.id_number
        assert candidate.certifications.get().step_started_on == timezone.localdate()
