import pytest
from django.core.exceptions import ValidationError

from villages.choices import RegionLevel
from villages.codes import ancestor_codes, division_prefix, level_of_code, parent_code, validate_division_code


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("210000000000", RegionLevel.PROVINCE, "21", None),
        ("210400000000", RegionLevel.CITY, "2104", "210000000000"),
        ("210422000000", RegionLevel.COUNTY, "210422", "210400000000"),
        ("210422202000", RegionLevel.TOWNSHIP, "210422202", "210422000000"),
        ("210422202201", RegionLevel.VILLAGE, "210422202201", "210422202000"),
        # A district of a municipality: the city segment is "01", not zeros.
        ("110101000000", RegionLevel.COUNTY, "110101", "110100000000"),
    ],
)
def test_a_code_knows_its_level_prefix_and_parent(code, level, prefix, parent):
    assert level_of_code(code) == level
    assert division_prefix(code) == prefix
    assert parent_code(code) == parent


def test_ancestors_run_from_the_province_down():
    assert ancestor_codes("210422202201") == ["210000000000", "210400000000", "210422000000", "210422202000"]


@pytest.mark.parametrize("bad", ["21042220220", "2104222022011", "21042220220X", "002100000000"])
def test_malformed_codes_are_refused_with_a_message_that_shows_the_form(bad):
    with pytest.raises(ValidationError) as raised:
        validate_division_code(bad)
    assert raised.value.messages
