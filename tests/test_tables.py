"""What every list table shares (config.tables): pages fetched keys first, bodies built once per column."""

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from accounts.models import User
from candidates.selectors import candidate_list
from candidates.tables import CandidateTable
from reports.summary import default_year
from villages.selectors import village_list
from villages.tables import VillageTable

pytestmark = pytest.mark.django_db


def _page(table_class, queryset, query: str):
    table = table_class(queryset)
    RequestConfig(RequestFactory().get(f"/?{query}"), paginate={"per_page": 50}).configure(table)
    return table


@pytest.mark.parametrize("sort", ["name", "-name", "township", "-age", "current_step", ""])
def test_a_page_holds_the_rows_the_whole_sorted_list_has_at_that_place(sort):
    """Keys first, then rows: the page is still exactly the slice of the sorted list, in its order."""
    queryset = candidate_list(user=User.objects.get(username="city"))
    table = _page(CandidateTable, queryset, f"sort={sort}&page=7")
    expected = list(
        CandidateTable(queryset, order_by=sort or None).data.data[300:350].values_list("pk", flat=True)
    )
    assert [row.record.pk for row in table.paginated_rows] == expected
    assert len(expected) == 50


def test_people_of_the_same_name_keep_their_place_from_page_to_page():
    """Sorting by name ends with the key: a page boundary inside a run of namesakes neither repeats nor
    drops anyone."""
    queryset = candidate_list(user=User.objects.get(username="city"))
    seen = []
    for page in range(1, 5):
        seen += [
            row.record.pk for row in _page(CandidateTable, queryset, f"sort=name&page={page}").paginated_rows
        ]
    assert len(seen) == len(set(seen)) == 200


@pytest.mark.parametrize(
    ("table_class", "rows", "username"),
    [
        (CandidateTable, candidate_list, "xinbin"),
        (VillageTable, lambda user: village_list(user=user, year=default_year()), "city"),
    ],
)
def test_the_body_shows_the_cells_django_tables2_would_render(table_class, rows, username):
    """body_rows takes shortcuts for plain columns; each cell must still be the library's own."""
    table = _page(table_class, rows(user=User.objects.get(username=username)), "page=2")
    ours = [[str(cell) for _, cell in cells] for _, cells in table.body_rows()]
    theirs = [[str(row.get_cell(column.name)) for column in table.columns] for row in table.paginated_rows]
    assert ours == theirs
    assert len(ours) == 50
    attributes = [attrs for _, cells in table.body_rows() for attrs, _ in cells]
    assert attributes[: len(table.columns)] == [column.attrs["td"].as_html() for column in table.columns]
