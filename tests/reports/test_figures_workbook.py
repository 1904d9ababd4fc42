"""The figures workbook (/reports/figures.xlsx): the summary figures of a region and of every region under
it the user may see, one sheet per level, each row the figures summary.json gives for that region."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import rollups
from reports.summary import default_year, descendant_summaries, summary
from tests.factories import UserFactory, VillageFactory, benxi_township
from villages.choices import RegionLevel
from villages.models import Region

pytestmark = pytest.mark.django_db

URL = reverse("reports:figures_export")
FUSHUN, XINBIN, QINGYUAN = "210400000000", "210422000000", "210423000000"


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def figures(summary_dict: dict) -> list:
    """Every figure of a summary.json, in its order: what a row holds after name, code and parent."""
    leaves = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        else:
            leaves.append(value)

    walk({key: value for key, value in summary_dict.items() if key not in ("region", "year")})
    return leaves


def test_the_city_workbook_has_a_sheet_per_level_below_it_each_row_the_figures_of_summary(
    client_of, demo_user
):
    year = default_year()
    city = Region.objects.get(code=FUSHUN)
    book = workbook(client_of("city").get(URL, {"region": FUSHUN, "year": year}))
    levels = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
    assert book.sheetnames == [str(level.label) for level in levels]
    own = figures(summary(region=city, year=year))
    assert own[0] > 0  # candidates in cultivation: the demo's figures, not an empty region's
    for level, sheet in zip(levels, book.worksheets, strict=True):
        rows = rows_of(sheet)
        assert rows[1][:2] == (city.name, city.code) and list(rows[1][3:]) == own
        expected = descendant_summaries(region=city, year=year, user=demo_user("city"), level=level)
        assert [row[:2] for row in rows[2:]] == [(r.name, r.code) for r, _figures in expected]
        assert [list(row[3:]) for row in rows[2:]] == [figures(f) for _r, f in expected]
        assert len(rows[0]) == 3 + len(own)
    # One village of the last sheet, against its own summary.
    hongshi = Region.objects.get(name="红石村")
    villages = {row[1]: row for row in rows_of(book.worksheets[-1])[2:]}
    assert list(villages[hongshi.code][3:]) == figures(summary(region=hongshi, year=year))
    assert villages[hongshi.code][2] == hongshi.parent.name
    assert len(villages) == Region.objects.filter(code__startswith="2104", level=RegionLevel.VILLAGE).count()


def test_shares_are_fractions_shown_as_percentages(client_of):
    city = Region.objects.get(code=FUSHUN)
    sheet = workbook(client_of("city").get(URL, {"region": FUSHUN})).worksheets[0]
    shares = [cell.value for cell in sheet[2] if cell.number_format == "0.0%"]
    figures = summary(region=city, year=default_year())
    assert shares == [
        figures["villages"]["four_star_plus_share"],
        figures["villages"]["committee_wealth_creator_share"],
        figures["training"]["online_learning_rate"],
    ]
    assert all(0 < share <= 1 for share in shares)


def test_a_county_workbook_holds_its_townships_and_villages_only(client_of):
    book = workbook(client_of("xinbin").get(URL))
    assert book.sheetnames == [str(RegionLevel.TOWNSHIP.label), str(RegionLevel.VILLAGE.label)]
    for sheet in book.worksheets:
        rows = rows_of(sheet)
        assert rows[1][1] == XINBIN
        assert rows[2:] and all(row[1].startswith(XINBIN[:6]) for row in rows[2:])
    townships = [row[0] for row in rows_of(book.worksheets[0])]
    assert "榆树乡" in townships and "英额门镇" not in townships


def test_a_region_outside_the_jurisdiction_is_not_found_and_a_mentor_is_refused(client_of):
    assert client_of("xinbin").get(URL, {"region": QINGYUAN}).status_code == 404
    assert client_of("qianjin").get(URL, {"region": FUSHUN}).status_code == 404
    assert client_of("mentor").get(URL).status_code == 403
    assert client_of("mentor").get(URL, {"region": XINBIN}).status_code == 403


def test_the_workbook_costs_the_same_queries_for_any_number_of_regions(
    client_of, django_assert_max_num_queries
):
    township = benxi_township(3)
    user = UserFactory(city_staff=True)
    client = client_of(user)
    query = {"region": township.parent_id}  # 平山区: a township sheet and a village sheet
    with rollups.batch():
        VillageFactory(township=township)
    with django_assert_max_num_queries(40) as captured:
        assert len(rows_of(workbook(client.get(URL, query)).worksheets[1])) == 2 + 1
    with rollups.batch():
        for n in range(6):
            VillageFactory(township=benxi_township(4 + n % 2))
    with django_assert_max_num_queries(len(captured)):
        book = workbook(client.get(URL, query))
    assert len(rows_of(book.worksheets[1])) == 2 + 7
    townships = [row[0] for row in rows_of(book.worksheets[0])[2:]]
    assert townships == list(
        Region.objects.filter(parent=township.parent).order_by("code").values_list("name", flat=True)
    )
    assert {"测试镇3", "测试镇4", "测试镇5"} <= set(townships)
