"""The Excel import refuses a file for its header or for what its rows say together: the same person
twice, villages outside the jurisdiction, people already registered, the template's example row."""

import pytest
from django.urls import reverse

from candidates import imports
from candidates.choices import Gender
from tests.candidates.import_helpers import (
    GENDER,
    ID_NUMBER,
    NAME,
    PHONE,
    REASON,
    VILLAGE_CODE,
    H,
    hongshi,
    label,
    person,
    refused,
    workbook,
    zh,
)
from tests.factories import CandidateFactory
from villages.models import Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


# Refusals: the header ----------------------------------------------------------------------------


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


# Refusals: the rows ------------------------------------------------------------------------------


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


def test_the_templates_example_row_is_refused_if_left_in(client_of, yushu):
    content = b"".join(client_of(yushu).get(reverse("candidates:import_template")).streaming_content)
    check = imports.check_workbook(by=yushu, content=content)
    assert check.errors == [
        (2, ID_NUMBER, zh("This is the template's example row; delete it before importing."))
    ]
