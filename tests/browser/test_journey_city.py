"""Journey 4 (issue 12): the city's organisation department reads the dashboard, drills down and exports.

`city` (市委组织部, 抚顺市) opens the dashboard from the top bar, follows the links of its table from the
city to 新宾满族自治县, to 榆树乡 and to one of its villages, each time finding the number of candidates
in cultivation that a recount of the records gives; from the village, opens the list of its people,
exports it to Excel (the file holds the list's people, ID numbers and phones masked) and takes a PDF:
the village's annual report at an office desk's width, a person's registration form at a phone's.
"""

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from candidates.choices import Status
from candidates.models import Candidate
from tests.browser.journey_support import go
from tests.browser.support import DESKTOP, PHONE, shot
from villages.codes import division_prefix
from villages.models import Region

XINBIN, YUSHU = "新宾满族自治县", "榆树乡"
MASKED_ID = re.compile(r"^\d{4}\*+\d{3}[\dX]$")


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def active_under(region: Region) -> int:
    """Candidates in cultivation under a region, counted from the records (the code's prefix)."""
    prefix = division_prefix(region.code)
    return Candidate.objects.filter(status=Status.ACTIVE, village__region__code__startswith=prefix).count()


def shows_active(page, region: Region) -> None:
    """The dashboard of `region` is open and its first tile gives the recount."""
    assert f"{region.name}数据看板" in page.locator("h1").inner_text()
    tile = page.locator("#tile-active")
    assert "培养对象" in tile.inner_text()
    assert number(tile.locator(".dashboard-figure").inner_text()) == active_under(region)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_city_drills_down_to_a_village_exports_its_list_and_takes_a_pdf(browse):
    city = Region.objects.get(code="210400000000")
    county = Region.objects.get(name=XINBIN)
    township = Region.objects.get(name=YUSHU, parent=county)
    # The village of 榆树乡 with the most people on the list: a list small enough to export at once.
    villages = list(Region.objects.filter(parent=township))
    village = max(villages, key=lambda v: (Candidate.objects.filter(village__region=v).count(), v.code))
    people = list(Candidate.objects.filter(village__region=village))
    assert people

    for width in (DESKTOP, PHONE):
        page = browse("city", width=width)
        go(page, "数据看板")
        shows_active(page, city)
        shot(page, "city-dashboard")
        for region in (county, township, village):
            link = page.get_by_role("link", name=region.name, exact=True)
            row = page.locator("#dashboard-children tbody tr").filter(has=link)
            # The row of the table gives the same figure as the region's own dashboard.
            assert number(row.locator("td").nth(1).inner_text()) == active_under(region)
            row.get_by_role("link", name=region.name, exact=True).click()
            page.wait_for_load_state()
            shows_active(page, region)
            assert region.name in page.locator(".breadcrumb").inner_text()
        shot(page, "city-dashboard-village")
        annual_href = page.get_by_role("link", name="年度报告（PDF）").get_attribute("href")

        # The village's people: the list, then its export.
        page.get_by_role("link", name="本村培养对象").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "培养对象"
        assert number(page.locator("h1 + span").inner_text()) == len(people)
        shot(page, "city-village-list")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="导出Excel").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header_at = next(i for i, r in enumerate(rows) if "姓名" in r)
        header, records = rows[header_at], [r for r in rows[header_at + 1 :] if any(r)]
        name_at, id_at = header.index("姓名"), header.index("身份证号")
        assert sorted(r[name_at] for r in records) == sorted(p.name for p in people)
        full_numbers = {p.id_number for p in people}
        for record in records:
            assert MASKED_ID.match(record[id_at]), record[id_at]
            assert record[id_at] not in full_numbers
        assert not any(n in cell for r in records for cell in map(str, r) for n in full_numbers)

        if width == DESKTOP:
            # The village's annual report, as the dashboard's link gives it.
            response = page.request.get(page.url.split("/candidates/")[0] + annual_href)
            assert response.ok and response.headers["content-type"] == "application/pdf"
            text = pdf_text(response.body())
            assert village.name in text and "年度" in text
            assert str(active_under(village)) in text
        else:
            # A person's registration form (培养对象登记表), from their page.
            person = sorted(people, key=lambda p: p.name)[0]
            page.locator("tbody").get_by_role("link", name=person.name, exact=True).first.click()
            page.wait_for_load_state()
            shot(page, "city-candidate")
            href = page.get_by_role("link", name="打印培养对象登记表（PDF）").get_attribute("href")
            pk = int(re.search(r"/candidates/(\d+)/form.pdf", href).group(1))
            person = Candidate.objects.get(pk=pk)
            response = page.request.get(page.url.split("/candidates/")[0] + href)
            assert response.ok and response.headers["content-type"] == "application/pdf"
            text = pdf_text(response.body())
            assert "登记表" in text and person.name in text and village.name in text
