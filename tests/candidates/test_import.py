"""The Excel import of nominations (DESIGN §9): real .xlsx files, each refusal, the pages, the command.

Messages are compared with the zh-hans catalogue (`zh(...)`), so a test names the message it expects
in the language the clerk reads; the row and column are the ones Excel shows.
"""

import datetime
import io
import itertools
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from candidates import imports
from candidates.choices import Education, Gender, PoliticalStatus, Recommender, Source, Status, Track
from candidates.identity import synthetic_id_number
from candidates.models import Candidate, Certification, ImportBatch
from tests.factories import CandidateFactory, UserFactory, VillageFactory
from villages.models import Village

pytestmark = pytest.mark.django_db

H = imports.HEADERS
NAME, GENDER, ETHNICITY, ID_NUMBER, PHONE = H[:5]
EDUCATION, POLITICAL_STATUS, SOURCE, VILLAGE_CODE, INDUSTRY, INCOME, RECOMMENDER, REASON = H[5:]
BIRTH_DATE = imports.BIRTH_DATE

# People of the tests are born in 东城区, Beijing (110101): no demo record has such an ID number.
_serials = itertools.count()


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def zh(msgid: str, **params) -> str:
    """The message as a clerk reads it: the zh-hans translation, with its parameters."""
    with translation.override("zh-hans"):
        message = gettext(msgid)
    return message % params if params else message


def label(choice) -> str:
    with translation.override("zh-hans"):
        return str(choice.label)


def new_id_number(*, male: bool = True, born: datetime.date | None = None) -> str:
    """A valid ID number no candidate has."""
    while True:
        n = next(_serials)
        birth = born or datetime.date(1980, 1, 1) + datetime.timedelta(days=n // 400)
        number = synthetic_id_number("110101", birth, n % 400, male)
        if not Candidate.objects.filter(id_number=number).exists():
            return number


def hongshi() -> Village:
    return Village.objects.get(region__name="红石村")


def person(**cells) -> dict:
    """A valid row for yushu (红石村, 榆树乡), with `cells` replacing some of its values."""
    row = {
        NAME: "王大勇",
        GENDER: "男",
        ETHNICITY: "满族",
        ID_NUMBER: None,
        PHONE: "13904131234",
        EDUCATION: label(Education.SENIOR_HIGH),
        POLITICAL_STATUS: label(PoliticalStatus.MASSES),
        SOURCE: label(Source.GROWER),
        VILLAGE_CODE: hongshi().pk,
        INDUSTRY: "食用菌",
        INCOME: 8.5,
        RECOMMENDER: label(Recommender.VILLAGE_ORGANISATION),
        REASON: "带头种植食用菌，带动农户增收",
    }
    row.update(cells)
    if row[ID_NUMBER] is None:
        row[ID_NUMBER] = new_id_number(male=row[GENDER] in ("男", "M"))
    return row


def workbook(tmp_path: Path, rows: list, headers=H, name: str = "名单.xlsx") -> Path:
    """An .xlsx file as Excel writes it: the header row, then `rows` (dicts by header, lists, or None
    for an empty row)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        if row is None:
            sheet.append([])
        elif isinstance(row, dict):
            sheet.append([row.get(header) for header in headers])
        else:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def counts() -> tuple[int, int]:
    return Candidate.objects.count(), Certification.objects.count()


def refused(user, path: Path) -> list[tuple]:
    """Upload and confirm `path`; it must be refused with nothing written. Returns the errors."""
    before = counts()
    batch = imports.batch_store(by=user, uploaded_file=SimpleUploadedFile(path.name, path.read_bytes()))
    with pytest.raises(imports.ImportRefused) as refusal:
        imports.candidates_import(by=user, batch=batch)
    assert counts() == before
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.PREVIEWED
    return refusal.value.errors


@pytest.fixture
def yushu(demo_user):
    return demo_user("yushu")


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


# Refusals: the header and the rows ---------------------------------------------------------------


def test_missing_and_unknown_headers_are_each_named(yushu, tmp_path):
    headers = [h for h in H if h not in (PHONE, REASON)] + ["备注"]
    errors = refused(yushu, workbook(tmp_path, [["x"] * len(headers)], headers=headers))
    assert errors == [
        (
            1,
            "备注",
            zh(
                "Column %(letter)s has the header “%(header)s”, which the template does not have. Remove "
                "the column or correct its header; the columns are: %(columns)s.",
                letter="L",
                header="备注",
                columns="、".join(H),
            ),
        ),
        (
            1,
            PHONE,
            zh(
                "This column is missing from the header row (row %(row)d). "
                "Copy the header row from the template.",
                row=1,
            ),
        ),
        (
            1,
            REASON,
            zh(
                "This column is missing from the header row (row %(row)d). "
                "Copy the header row from the template.",
                row=1,
            ),
        ),
    ]


def test_a_header_given_twice_is_refused_with_both_columns_named(yushu, tmp_path):
    headers = [*H, NAME]
    errors = refused(yushu, workbook(tmp_path, [[*person().values(), "王大勇"]], headers=headers))
    assert errors == [
        (1, NAME, zh("This header appears in columns %(letters)s; keep only one of them.", letters="A、N"))
    ]


def test_headers_with_full_width_brackets_and_stray_spaces_are_accepted(yushu, tmp_path):
    headers = [f" {h} " for h in H[:-3]] + ["家庭年收入（万元）", "推荐 方式", "推荐理由"]
    row = person()
    path = workbook(tmp_path, [[row[h] for h in H]], headers=headers)
    assert imports.check_workbook(by=yushu, content=path.read_bytes()).errors == []


def test_empty_rows_are_skipped_and_rows_keep_the_numbers_excel_shows(yushu, tmp_path):
    path = workbook(tmp_path, [None, person(), ["", "  ", None], person(**{GENDER: "男的"})])
    errors = refused(yushu, path)
    assert errors == [
        (
            5,
            GENDER,
            zh(
                "“%(value)s” is not an accepted entry; write one of: %(options)s.",
                value="男的",
                options="、".join(label(g) for g in Gender),
            ),
        )
    ]


def test_a_file_without_data_rows_is_refused(yushu, tmp_path):
    errors = refused(yushu, workbook(tmp_path, [None, None]))
    assert errors == [
        (None, "", zh("The first sheet has no rows under the header. Fill in one row per person."))
    ]


def test_empty_required_cells_are_errors_but_the_industry_may_be_empty(yushu, tmp_path):
    errors = refused(yushu, workbook(tmp_path, [person(**{REASON: "  ", INDUSTRY: None})]))
    assert errors == [(2, REASON, zh("This cell is empty; fill it in."))]


def test_the_same_id_number_twice_in_the_file_names_both_rows(yushu, tmp_path):
    twin = person()
    errors = refused(yushu, workbook(tmp_path, [twin, person(), dict(twin, **{NAME: "王小勇"})]))
    message = zh(
        "The same ID card number is in rows %(rows)s; each person can be imported only once.", rows="2、4"
    )
    assert errors == [(2, ID_NUMBER, message), (4, ID_NUMBER, message)]


def test_a_person_already_registered_in_the_users_jurisdiction_is_named_with_the_village(yushu, tmp_path):
    existing = CandidateFactory(village=hongshi())
    errors = refused(yushu, workbook(tmp_path, [person(**{ID_NUMBER: existing.id_number})]))
    assert errors == [
        (
            2,
            ID_NUMBER,
            zh(
                "This person is already registered, in %(village)s, as %(name)s.",
                village="红石村",
                name=existing.name,
            ),
        )
    ]


def test_a_person_registered_outside_the_users_jurisdiction_is_reported_without_saying_where(yushu, tmp_path):
    existing = CandidateFactory()  # in 本溪
    errors = refused(yushu, workbook(tmp_path, [person(**{ID_NUMBER: existing.id_number})]))
    assert errors == [(2, ID_NUMBER, zh("This person is already registered elsewhere."))]


def test_a_wrong_check_digit_is_refused(yushu, tmp_path):
    number = new_id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    errors = refused(yushu, workbook(tmp_path, [person(**{ID_NUMBER: wrong})]))
    assert errors == [
        (
            2,
            ID_NUMBER,
            zh(
                "The check digit (the 18th character) does not match the other 17: "
                "check the number digit by digit."
            ),
        )
    ]


def test_a_gender_that_disagrees_with_the_id_number_is_refused(yushu, tmp_path):
    errors = refused(
        yushu, workbook(tmp_path, [person(**{ID_NUMBER: new_id_number(male=True), GENDER: "女"})])
    )
    assert errors == [
        (
            2,
            GENDER,
            zh(
                "The ID card number is that of a %(expected)s, but the gender given is %(given)s.",
                expected=label(Gender.MALE),
                given=label(Gender.FEMALE),
            ),
        )
    ]


@pytest.mark.parametrize(
    "cell",
    [datetime.datetime(1985, 3, 4), "1985-03-04", "1985/3/4", "1985年3月4日", "19850304", 19850304, 31110],
)
def test_a_birth_date_column_may_hold_an_excel_date_or_text_in_common_forms(yushu, tmp_path, cell):
    row = person(**{ID_NUMBER: new_id_number(born=datetime.date(1985, 3, 4)), BIRTH_DATE: cell})
    path = workbook(tmp_path, [row], headers=(*H, BIRTH_DATE))
    check = imports.check_workbook(by=yushu, content=path.read_bytes())
    assert check.errors == []
    assert check.rows[0].candidate.birth_date == datetime.date(1985, 3, 4)


def test_a_birth_date_that_disagrees_with_the_id_number_or_is_no_date_is_refused(yushu, tmp_path):
    born = datetime.date(1985, 3, 4)
    rows = [
        person(**{ID_NUMBER: new_id_number(born=born), BIRTH_DATE: "1985-04-03"}),
        person(**{ID_NUMBER: new_id_number(born=born), BIRTH_DATE: "八五年"}),
    ]
    errors = refused(yushu, workbook(tmp_path, rows, headers=(*H, BIRTH_DATE)))
    assert errors == [
        (
            2,
            BIRTH_DATE,
            zh(
                "The ID card number gives the birth date %(expected)s, but %(given)s was entered.",
                expected="1985-03-04",
                given="1985-04-03",
            ),
        ),
        (3, BIRTH_DATE, zh("“%(value)s” is not a date; write it as 1985-03-04.", value="八五年")),
    ]


def test_an_unknown_village_code_is_refused(yushu, tmp_path):
    errors = refused(yushu, workbook(tmp_path, [person(**{VILLAGE_CODE: "210422299999"})]))
    assert errors == [
        (
            2,
            VILLAGE_CODE,
            zh(
                "There is no village with the code %(code)s; check it against the village list.",
                code="210422299999",
            ),
        )
    ]


def test_a_village_of_another_township_is_refused_as_outside_the_jurisdiction(yushu, tmp_path):
    najia = Village.objects.get(region__name="那家村")
    errors = refused(yushu, workbook(tmp_path, [person(**{VILLAGE_CODE: najia.pk})]))
    assert errors == [
        (
            2,
            VILLAGE_CODE,
            zh(
                "The village %(code)s is not in your jurisdiction (%(jurisdiction)s); you can import only "
                "people of your own villages.",
                code=najia.pk,
                jurisdiction="榆树乡",
            ),
        )
    ]


def test_village_codes_and_phones_stored_as_numbers_or_floats_are_read_as_their_digits(yushu, tmp_path):
    code = hongshi().pk
    rows = [
        person(**{VILLAGE_CODE: int(code), PHONE: 13904131234}),
        person(**{VILLAGE_CODE: float(code), PHONE: 13904131234.0}),
        person(**{VILLAGE_CODE: f"{int(code):.11E}"}),  # text such as 2.10422202201E+11
    ]
    check = imports.check_workbook(by=yushu, content=workbook(tmp_path, rows).read_bytes())
    assert check.errors == []
    assert {(r.candidate.village_id, r.candidate.phone) for r in check.rows} == {(code, "13904131234")}


def test_a_village_code_in_scientific_notation_that_lost_digits_says_so(yushu, tmp_path):
    errors = refused(yushu, workbook(tmp_path, [person(**{VILLAGE_CODE: "2.10422E+11"})]))
    assert errors == [
        (
            2,
            VILLAGE_CODE,
            zh(
                "“%(value)s” is a number in scientific notation that has lost digits. Format the 村代码 "
                "column as text and type the 12-digit code again.",
                value="2.10422E+11",
            ),
        )
    ]


def test_an_id_number_that_excel_stored_as_a_number_is_refused_with_the_advice_to_format_it_as_text(
    yushu, tmp_path
):
    number = new_id_number()
    rows = [person(**{ID_NUMBER: float(number)}), person(**{ID_NUMBER: "2.10422E+17"})]
    errors = refused(yushu, workbook(tmp_path, rows))
    message = (
        "Excel stored this ID card number as a number (it reads %(value)s), which loses the last digits. "
        "Format the 身份证号 column as text, type the number again and import again."
    )
    assert errors == [
        (2, ID_NUMBER, zh(message, value=f"{float(number):.6G}")),
        (3, ID_NUMBER, zh(message, value="2.10422E+17")),
    ]
    assert "设置为文本格式" in errors[0].message


def test_bad_ethnicities_incomes_and_names_are_each_explained(yushu, tmp_path):
    rows = [
        person(**{ETHNICITY: "土"}),
        person(**{ETHNICITY: "火星族"}),
        person(**{INCOME: "八万"}),
        person(**{INCOME: -1}),
        person(**{NAME: "王" * 51}),
        person(**{INDUSTRY: "种" * 101}),
    ]
    errors = refused(yushu, workbook(tmp_path, rows))
    assert errors == [
        (
            2,
            ETHNICITY,
            zh("“%(value)s” could be %(options)s; write the full name.", value="土", options="土家族、土族"),
        ),
        (
            3,
            ETHNICITY,
            zh(
                "“%(value)s” is not one of the 56 ethnic groups; write its full name, e.g. 汉族 or 满族.",
                value="火星族",
            ),
        ),
        (
            4,
            INCOME,
            zh(
                "“%(value)s” is not an amount; give the yearly household income in 万元 as a number, "
                "e.g. 8.5.",
                value="八万",
            ),
        ),
        (5, INCOME, zh("The household income cannot be negative.")),
        (6, NAME, zh("At most %(max)d characters; this cell has %(n)d.", max=50, n=51)),
        (7, INDUSTRY, zh("At most %(max)d characters; this cell has %(n)d.", max=100, n=101)),
    ]


def test_names_and_industries_that_a_spreadsheet_would_run_as_formulas_are_refused(yushu, tmp_path):
    """Finding F4: `=HYPERLINK(...)` typed as text was imported, then exported as a live link."""
    hyperlink = '=HYPERLINK("http://example.com","点击查看")'
    path = workbook(
        tmp_path, [person(**{NAME: "=1+1"}), person(**{INDUSTRY: hyperlink}), person(**{NAME: "@王"})]
    )
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[0] in "=@":
                cell.data_type = "s"  # what a clerk typed, kept as text (not an Excel formula)
    book.save(path)
    message = (
        "“%(value)s” cannot start with =, +, -, @ or a tab: spreadsheet programs would run it as a formula."
    )
    assert refused(yushu, path) == [
        (2, NAME, zh(message, value="=1+1")),
        (3, INDUSTRY, zh(message, value=hyperlink[:30])),
        (4, NAME, zh(message, value="@王")),
    ]


def test_the_templates_example_row_is_refused_if_left_in(client_of, yushu):
    content = b"".join(client_of(yushu).get(reverse("candidates:import_template")).streaming_content)
    check = imports.check_workbook(by=yushu, content=content)
    assert check.errors == [
        (2, ID_NUMBER, zh("This is the template's example row; delete it before importing."))
    ]


# Refusals: the file ------------------------------------------------------------------------------


def xls_bytes() -> bytes:
    """The start of a real .xls: the OLE2 compound-document signature and header."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook".ljust(512, b"\0")


def zip_without_workbook() -> bytes:
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


# F6: a file too large in rows, and reloads ---------------------------------------------------------

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
    with django_assert_max_num_queries(30):
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
