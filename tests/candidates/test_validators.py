import datetime

import pytest
from django.core.exceptions import ValidationError

from candidates.identity import synthetic_id_number
from candidates.validators import (
    mask_id_number,
    mask_phone,
    normalize_phone,
    normalize_text,
    parse_id_number,
)

# Parsing asks the region tree whether the birthplace is known.
pytestmark = pytest.mark.django_db


def test_full_width_digits_and_letters_become_half_width_but_chinese_punctuation_stays():
    assert normalize_text("　２１０４２２ｘ，带动（八户）增收：好　") == "210422x，带动（八户）增收：好"


def test_an_id_number_typed_with_full_width_digits_and_a_lower_case_x_is_read():
    number = synthetic_id_number("210422", datetime.date(1990, 1, 1), 12, True)
    typed = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}).lower()
    assert parse_id_number(f" {typed} ").number == number


def test_the_id_number_gives_birth_date_and_gender():
    identity = parse_id_number(synthetic_id_number("210423", datetime.date(1979, 12, 31), 7, False))
    assert (identity.birth_date, identity.gender) == (datetime.date(1979, 12, 31), "F")
    assert identity.warnings == []


def test_a_wrong_check_digit_is_refused_in_chinese():
    number = synthetic_id_number("210422", datetime.date(1990, 1, 1), 12, True)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验码"):
        parse_id_number(wrong)


def test_an_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError, match="出生日期"):
        parse_id_number("210422199002300011")


def test_an_unknown_birthplace_only_warns():
    number = synthetic_id_number("990101", datetime.date(1990, 1, 1), 12, True)
    assert parse_id_number(number).warnings


@pytest.mark.parametrize(
    "typed", ["139 0413 1234", "+86 13904131234", "139-0413-1234", "１３９０４１３１２３４"]
)
def test_mobile_numbers_are_normalised(typed):
    assert normalize_phone(typed) == "13904131234"


@pytest.mark.parametrize("typed", ["024-5555555", "1290413123", "23904131234"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(typed):
    with pytest.raises(ValidationError, match="手机号"):
        normalize_phone(typed)


def test_masks_keep_the_ends_only():
    assert mask_id_number("21040219900101123X") == "2104**********123X"
    assert mask_phone("13904131234") == "139****1234"
