"""The Excel import of nominations (DESIGN §9): the pages, the command, the happy paths, confirmation,
access, the template and scale. Refusals are in test_import_cells, test_import_rows and test_import_files.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from candidates import imports
from candidates.choices import Education, Gender, PoliticalStatus, Recommender, Source, Status, Track
from candidates.identity import synthetic_id_number
from candidates.models import Candidate, Certification, ImportBatch
from tests.candidates.import_helpers import (
    EDUCATION,
    ETHNICITY,
    GENDER,
    ID_NUMBER,
    INCOME,
    NAME,
    PHONE,
    POLITICAL_STATUS,
    RECOMMENDER,
    SOURCE,
    VILLAGE_CODE,
    H,
    counts,
    hongshi,
    new_id_number,
    person,
    workbook,
    zh,
)
from tests.factories import CandidateFactory, UserFactory, VillageFactory
from villages.models import Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


# The happy paths ---------------------------------------------------------------------------------


def test_a_township_official_uploads_previews_and_confirms_and_the_people_are_nominated_at_step_1(
    client_of, yushu, tmp_path
):
    party_member = person(**{NAME: "李 红", GENDER: "女", POLITICAL_STATUS: "中共党员"})
    rows = [person(), None, party_member]
    client = client_of(yushu)
    before = counts()

    with open(workbook(tmp_path, rows), "rb") as upload:
        response = client.post(reverse("candidates:import_upload"), {"file": upload})
    batch = ImportBatch.objects.get(uploaded_by=yushu)
    assert response.status_code == 302 and response.url == reverse(
        "candidates:import_preview", args=[batch.pk]
    )

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert [item.row for item in preview.context["rows"]] == [2, 4]
    page = preview.content.decode()
    assert "王大勇" in page and "李红" in page and "红石村" in page
    assert party_member[ID_NUMBER] not in page  # lists mask ID numbers
    assert counts() == before  # the preview writes nothing

    confirmed = client.post(response.url)
    assert confirmed.status_code == 302 and confirmed.url == reverse("candidates:candidate_list")
    assert [str(m) for m in get_messages(confirmed.wsgi_request)] == [
        translation.ngettext(
            "%(count)d person was imported and nominated (step 1).",
            "%(count)d people were imported and nominated (step 1).",
            2,
        )
        % {"count": 2}
    ]
    li = Candidate.objects.get(id_number=party_member[ID_NUMBER])
    assert (li.name, li.gender, li.status, li.village, li.created_by) == (
        "李红",
        Gender.FEMALE,
        Status.CERTIFYING,
        hongshi(),
        yushu,
    )
    assert li.household_income == Decimal("85000.00") and li.name_initials == "lh"
    certifications = Certification.objects.filter(
        candidate__id_number__in=[row[ID_NUMBER] for row in rows if row], created_by=yushu, step=1
    )
    assert {c.candidate.name: c.track for c in certifications} == {
        "王大勇": Track.WEALTH_CREATOR,
        "李红": Track.PARTY_MEMBER,
    }
    today = timezone.localdate()
    assert {(c.step_started_on, c.step_due_on) for c in certifications} == {
        (today, today + datetime.timedelta(days=7))
    }
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.IMPORTED


def test_the_command_imports_a_file_and_prints_how_many(yushu, tmp_path):
    rows = [person(), person(), person()]
    out = io.StringIO()
    call_command("import_candidates", str(workbook(tmp_path, rows)), "--user", "yushu", stdout=out)
    assert out.getvalue().strip() == translation.ngettext(
        "%(count)d person was imported and nominated (step 1).",
        "%(count)d people were imported and nominated (step 1).",
        3,
    ) % {"count": 3}
    imported = Certification.objects.filter(candidate__id_number__in=[row[ID_NUMBER] for row in rows])
    assert {(c.step, c.created_by, c.candidate.village) for c in imported} == {(1, yushu, hongshi())}
    assert imported.count() == 3


def test_the_command_with_dry_run_checks_the_file_and_writes_nothing(yushu, tmp_path):
    path = workbook(tmp_path, [person(), person()])
    before = counts()
    out = io.StringIO()
    call_command("import_candidates", str(path), "--user", "yushu", "--dry-run", stdout=out)
    assert out.getvalue().strip() == translation.ngettext(
        "The file is correct: %(count)d person would be nominated. Nothing was imported (--dry-run).",
        "The file is correct: %(count)d people would be nominated. Nothing was imported (--dry-run).",
        2,
    ) % {"count": 2}
    assert counts() == before


def test_the_command_prints_each_error_with_its_row_and_column_and_exits_with_status_1(yushu, tmp_path):
    path = workbook(tmp_path, [person(), person(**{PHONE: "12345"})])
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_candidates", str(path), "--user", "yushu", stdout=out)
    # From the command line, Django turns a CommandError into this exit status.
    assert failure.value.returncode == 1
    expected = zh(
        "“%(value)s” is not a mainland mobile number: 11 digits starting with 13 to 19.", value="12345"
    )
    assert f"row 3, 手机号: {expected}" in out.getvalue().splitlines()
    assert counts() == before


def test_the_command_refuses_a_user_who_is_not_a_township_official(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_candidates", str(workbook(tmp_path, [])), "--user", "xinbin")


def test_imported_people_and_certifications_have_history_rows_by_the_importer(yushu, tmp_path):
    rows = [person(), person()]
    batch = imports.batch_store(
        by=yushu, uploaded_file=SimpleUploadedFile("a.xlsx", workbook(tmp_path, rows).read_bytes())
    )
    imports.candidates_import(by=yushu, batch=batch)
    for row in rows:
        candidate = Candidate.objects.get(id_number=row[ID_NUMBER])
        created = candidate.history.get()
        assert (created.history_type, created.history_user, created.status) == ("+", yushu, Status.CERTIFYING)
        certification = candidate.certifications.get()
        assert certification.history.get().history_user == yushu


def test_labels_values_common_words_and_full_width_characters_are_all_understood(yushu, tmp_path):
    number = new_id_number(male=False)
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    row = person(
        **{
            NAME: " 赵  敏 ",
            GENDER: "女性",
            ETHNICITY: "汉",
            ID_NUMBER: f" {full_width} ",
            PHONE: "+86 139-0413-1234",
            EDUCATION: "大专",
            POLITICAL_STATUS: "probationary",
            SOURCE: "退役军人",
            VILLAGE_CODE: f" {hongshi().pk} ",
            INCOME: "12.5万",
            RECOMMENDER: "自荐",
        }
    )
    check = imports.check_workbook(by=yushu, content=workbook(tmp_path, [row]).read_bytes())
    assert check.errors == []
    candidate, certification = check.rows[0].candidate, check.rows[0].certification
    assert (candidate.name, candidate.gender, candidate.ethnicity, candidate.id_number, candidate.phone) == (
        "赵敏",
        Gender.FEMALE,
        "汉族",
        number,
        "13904131234",
    )
    assert (candidate.education, candidate.political_status, candidate.source) == (
        Education.COLLEGE,
        PoliticalStatus.PROBATIONARY,
        Source.VETERAN,
    )
    assert candidate.household_income == Decimal("125000.00")
    assert (certification.recommender, certification.track) == (Recommender.SELF, Track.PARTY_MEMBER)


# Confirmation ------------------------------------------------------------------------------------


def test_a_file_cannot_be_imported_twice(client_of, yushu, tmp_path):
    batch = imports.batch_store(
        by=yushu, uploaded_file=SimpleUploadedFile("a.xlsx", workbook(tmp_path, [person()]).read_bytes())
    )
    assert imports.candidates_import(by=yushu, batch=batch) == 1
    before = counts()
    with pytest.raises(imports.ImportRefused):
        imports.candidates_import(by=yushu, batch=batch)
    assert counts() == before
    page = client_of(yushu).get(reverse("candidates:import_preview", args=[batch.pk]))
    assert page.context["imported_message"] == imports.already_imported_message(
        ImportBatch.objects.get(pk=batch.pk)
    )
    assert client_of(yushu).post(reverse("candidates:import_preview", args=[batch.pk])).status_code == 200
    assert counts() == before


def test_confirming_checks_the_file_again_and_writes_nothing_if_the_database_changed(
    client_of, yushu, tmp_path
):
    first, second = person(), person()
    client = client_of(yushu)
    with open(workbook(tmp_path, [first, second]), "rb") as upload:
        preview_url = client.post(reverse("candidates:import_upload"), {"file": upload}).url
    assert client.get(preview_url).context["check"].errors == []  # the preview, checked once
    CandidateFactory(village=hongshi(), id_number=second[ID_NUMBER], name="王二")
    before = counts()

    response = client.post(preview_url)
    assert response.status_code == 200
    assert response.context["errors"] == [
        (
            3,
            ID_NUMBER,
            zh(
                "This person is already registered, in %(village)s, as %(name)s.",
                village="红石村",
                name="王二",
            ),
        )
    ]
    assert counts() == before
    assert not Candidate.objects.filter(id_number=first[ID_NUMBER]).exists()


# Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["xinbin", "city", "mentor", "admin"])
def test_only_township_officials_may_import(client_of, username, tmp_path):
    client = client_of(username)
    assert client.get(reverse("candidates:import_upload")).status_code == 403
    with open(workbook(tmp_path, [person()]), "rb") as upload:
        assert client.post(reverse("candidates:import_upload"), {"file": upload}).status_code == 403
    assert client.get(reverse("candidates:import_template")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client_of):
    response = client_of(None).get(reverse("candidates:import_upload"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_users_batch_is_not_found(client_of, yushu, tmp_path):
    batch = imports.batch_store(
        by=yushu, uploaded_file=SimpleUploadedFile("a.xlsx", workbook(tmp_path, [person()]).read_bytes())
    )
    url = reverse("candidates:import_preview", args=[batch.pk])
    assert client_of("yongling").get(url).status_code == 404
    before = counts()
    assert client_of("yongling").post(url).status_code == 404
    assert counts() == before


def test_the_template_has_the_exact_headers_an_example_dropdowns_and_a_guide(client_of, yushu):
    response = client_of(yushu).get(reverse("candidates:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, guide = book.worksheets
    assert tuple(c.value for c in sheet[1]) == H
    example = {h: c.value for h, c in zip(H, sheet[2], strict=True)}
    assert example[VILLAGE_CODE] in set(Village.objects.visible_to(yushu).values_list("pk", flat=True))
    assert sheet.column_dimensions["D"].number_format == "@"
    lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"B2", "C2", "F2", "G2", "H2", "L2"} <= lists
    assert [row[0] for row in guide.iter_rows(min_row=2, max_col=1, values_only=True)][: len(H)] == list(H)


# Scale -------------------------------------------------------------------------------------------


def test_checking_and_importing_a_thousand_rows_takes_a_fixed_number_of_queries(
    yushu, tmp_path, django_assert_max_num_queries
):
    villages = list(Village.objects.visible_to(yushu).values_list("pk", flat=True))
    rows = []
    for n in range(1000):
        number = synthetic_id_number(
            "110102", datetime.date(1970, 1, 1) + datetime.timedelta(days=n), n, True
        )
        rows.append(person(**{ID_NUMBER: number, VILLAGE_CODE: villages[n % len(villages)], NAME: f"张{n}"}))
    assert not Candidate.objects.filter(id_number__in=[r[ID_NUMBER] for r in rows]).exists()
    batch = imports.batch_store(
        by=yushu, uploaded_file=SimpleUploadedFile("big.xlsx", workbook(tmp_path, rows).read_bytes())
    )
    with django_assert_max_num_queries(10):
        assert imports.batch_check(by=yushu, batch=batch).errors == []
    # The dashboard's rollups of the villages touched are recounted with a fixed set of grouped queries.
    with django_assert_max_num_queries(55):
        assert imports.candidates_import(by=yushu, batch=batch) == 1000
    assert (
        Certification.objects.filter(
            created_by=yushu, step=1, candidate__id_number__in=[r[ID_NUMBER] for r in rows]
        ).count()
        == 1000
    )


def test_a_township_official_of_a_factory_region_imports_into_its_own_villages(tmp_path):
    user = UserFactory()
    village = VillageFactory(township=user.jurisdiction)
    batch = imports.batch_store(
        by=user,
        uploaded_file=SimpleUploadedFile(
            "a.xlsx", workbook(tmp_path, [person(**{VILLAGE_CODE: village.pk})]).read_bytes()
        ),
    )
    assert imports.candidates_import(by=user, batch=batch) == 1
    assert Candidate.objects.get(village=village).created_by == user
