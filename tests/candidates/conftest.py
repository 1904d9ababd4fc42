"""Fixtures of the candidates tests."""

import pytest
from django.utils import translation

from tests.factories import UserFactory, VillageFactory, benxi_township

# The import tests' helpers assert too; rewritten, their failures show the values compared.
pytest.register_assert_rewrite("tests.candidates.import_helpers")


@pytest.fixture
def chinese():
    """The messages in the language the clerk reads; the import tests use it throughout."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def yushu(demo_user):
    """The township official of 榆树乡, whose villages include 红石村."""
    return demo_user("yushu")


@pytest.fixture
def benxi():
    """A city-staff user of 本溪 and two of its townships' villages, empty of candidates."""
    return {
        "user": UserFactory(city_staff=True),
        "village": VillageFactory(township=benxi_township(1)),
        "other_village": VillageFactory(township=benxi_township(2)),
    }
