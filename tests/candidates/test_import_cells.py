"""The Excel import reads each cell as a clerk writes it, and refuses a bad one with what to fix,
by the row and column Excel shows."""

import datetime

import openpyxl
import pytest

from candidates import imports
from candidates.choices import Gender
from tests.candidates.import_helpers import (
    BIRTH_DATE,
    ETHNICITY,
    GENDER,
    ID_NUMBER,
    INCOME,
    INDUSTRY,
    NAME,
    PHONE,
    REASON,
    VILLAGE_CODE,
    H,
    hongshi,
    label,
    new_id_number,
    person,
    refused,
    workbook,
    zh,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


# Refusals: the cells -----------------------------------------------------------------------------


def test_empty_required_cells_are_errors_but_the_industry_may_be_empty(yushu, tmp_path):
    errors = refused(yushu, workbook(tmp_path, [person(**{REASON: "  ", INDUSTRY: None})]))
    assert errors == [(2, REASON, zh("This cell is empty; fill it in."))]


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


def test_a_negative_income_typed_as_text_is_refused_not_read_as_positive(yushu, tmp_path):
    """A cell formatted as text holding "-5" or "－5 万元" was read as 5 万元: the minus sign went with
    the other dashes."""
    errors = refused(yushu, workbook(tmp_path, [person(**{INCOME: "-5"}), person(**{INCOME: "－5 万元"})]))
    negative = zh("The household income cannot be negative.")
    assert errors == [(2, INCOME, negative), (3, INCOME, negative)]
