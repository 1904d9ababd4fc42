"""Journey 1 (issue 12): a township official imports nominations from Excel in a real browser.

`yushu` (榆树乡, 新宾) uploads a workbook with one wrong ID number, reads the error on the page (row and
column as Excel shows them, the message in Chinese), corrects the file, uploads it again, confirms, and
finds the new people in the work queue, whose figures have grown by as many. The journey runs at a
desktop's width and then a phone's, each time with other people, in one test: the demo is loaded once.
"""

import datetime
import itertools
import re

import openpyxl
from playwright.sync_api import expect

from candidates.choices import Status
from candidates.identity import synthetic_id_number
from candidates.imports import HEADERS
from candidates.models import Candidate
from tests.browser.journey_support import assert_fits_a_phone, broken_cells, lines_of
from tests.browser.support import DESKTOP, PHONE, serious_violations, shot, url

# Villages of 榆树乡 (新宾满族自治县): division code, name.
HONGSHI, YUSHAN = ("210422202201", "红石村"), ("210422202202", "榆山村")
SONGJIAPU = ("210422202203", "松家堡村")

# Each window width imports other people, so both runs show up side by side in the same queue.
PEOPLE = {
    DESKTOP: [("关铁柱", "男", HONGSHI), ("佟秀兰", "女", YUSHAN), ("那春生", "男", SONGJIAPU)],
    PHONE: [("赵永福", "男", SONGJIAPU), ("富桂芝", "女", HONGSHI), ("肇德新", "男", YUSHAN)],
}
# The second person's ID number is mistyped in the first upload: row 3 of the sheet, under the header.
BAD_ROW = 3
ID_COLUMN = "身份证号"
CHECKSUM_MESSAGE = "校验码（第18位）与前17位不符，请逐位核对号码。"

_serials = itertools.count(100)


def new_id_number(*, male: bool) -> str:
    """A valid ID number of someone born in 新宾 (210422) that no demo candidate has."""
    while True:
        n = next(_serials)
        born = datetime.date(1986, 5, 1) + datetime.timedelta(days=n)
        number = synthetic_id_number("210422", born, n, male)
        if not Candidate.objects.filter(id_number=number).exists():
            return number


def wrong_check_digit(number: str) -> str:
    """The same number with another 18th character: a typing slip the check digit catches."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def workbook(path, people, id_numbers) -> str:
    """The import template's first sheet as a clerk fills it: the header row, then one row per person."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for index, ((name, gender, village), id_number) in enumerate(zip(people, id_numbers, strict=True)):
        sheet.append(
            [
                name,
                gender,
                "满族",
                id_number,
                f"1390413{5000 + index:04d}",
                "高中",
                "群众",
                "种养大户",
                village[0],
                "食用菌",
                8.5,
                "村党组织",
                "带头种植食用菌，带动农户增收",
            ]
        )
    book.save(path)
    return str(path)


def figure(page, label: str):
    """The headline figure of the work queue under `label`."""
    return page.locator(".figure-card").filter(has_text=label).locator(".display-6")


def queue_figures(page) -> tuple[int, int]:
    """What the work queue shows: the 待我办理 figure and the count on the step-1 section."""
    awaiting = int(figure(page, "待我办理").inner_text().replace(",", ""))
    step_1 = int(page.locator("#step-1 .card-header .badge").inner_text().replace(",", ""))
    return awaiting, step_1


def upload(page, path: str) -> None:
    page.goto(url(page, "/candidates/import/"))
    expect(page.get_by_role("heading", name="导入培养对象")).to_be_visible()
    page.locator("input[type=file]").set_input_files(path)
    with page.expect_navigation():
        page.get_by_role("button", name="检查文件").click()
    assert re.search(r"/candidates/import/\d+/$", page.url), page.url


def import_journey(browse, tmp_path, width: int) -> None:
    people = PEOPLE[width]
    page = browse("yushu", width=width)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^欢迎，榆树乡"))
    awaiting_before, step_1_before = queue_figures(page)

    # First upload: the second person's ID number has a wrong check digit.
    id_numbers = [new_id_number(male=gender == "男") for _name, gender, _village in people]
    typo = [id_numbers[0], wrong_check_digit(id_numbers[1]), id_numbers[2]]
    upload(page, workbook(tmp_path / f"榆树乡推荐名单-{width}.xlsx", people, typo))
    expect(page.locator(".alert-danger")).to_contain_text("文件中有 1 处问题，尚未导入任何数据。")
    errors = page.locator("table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td")).to_have_text([str(BAD_ROW), ID_COLUMN, CHECKSUM_MESSAGE])
    if width == PHONE:
        # The message is a sentence: it wraps to the screen's width, so the official reads it whole.
        [(table_width, box_width)] = assert_fits_a_phone(page)
        assert table_width <= box_width
        assert lines_of(errors.locator("td").nth(2)) > 1
    shot(page, "import-errors")
    assert not serious_violations(page)
    assert not Candidate.objects.filter(name__in=[name for name, _g, _v in people]).exists()

    # The corrected file: its preview lists the three people, their ID numbers masked.
    page.get_by_role("link", name="上传改正后的文件").click()
    upload(page, workbook(tmp_path / f"榆树乡推荐名单-改正-{width}.xlsx", people, id_numbers))
    expect(page.locator(".alert-success")).to_contain_text("文件无误：将推荐 3 人（第1步：推荐）。")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for row, (name, gender, village), id_number in zip(rows.all(), people, id_numbers, strict=True):
        cells = row.locator("td")
        expect(cells.nth(1)).to_have_text(name)
        expect(cells.nth(2)).to_have_text(gender)
        expect(cells.nth(4)).to_have_text(re.compile(rf"^{id_number[:4]}\*+{id_number[-4:]}$"))
        expect(cells.nth(6)).to_contain_text(village[1])
    assert all(number not in page.content() for number in id_numbers)
    if width == PHONE:
        # Twelve columns do not fit a phone: the list scrolls sideways, each cell on one line.
        [(table_width, box_width)] = assert_fits_a_phone(page)
        assert table_width > box_width
        assert not broken_cells(rows.locator("td"))
    shot(page, "import-preview")
    assert not serious_violations(page)

    with page.expect_navigation():
        page.get_by_role("button", name="导入 3 人").click()
    assert page.url.endswith("/candidates/")
    expect(page.get_by_role("alert")).to_contain_text("已导入 3 人，进入推荐环节（第1步）。")
    imported = Candidate.objects.filter(name__in=[name for name, _g, _v in people], status=Status.CERTIFYING)
    assert sorted(imported.values_list("certifications__step", flat=True)) == [1, 1, 1]

    # The work queue: the three people wait at step 1, and the figures count them.
    page.goto(url(page, "/"))
    step_1 = page.locator("#step-1")
    for name, _gender, _village in people:
        expect(step_1.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert queue_figures(page) == (awaiting_before + 3, step_1_before + 3)
    if width == PHONE:
        assert_fits_a_phone(page)
        assert not broken_cells(step_1.locator("td"))
    shot(page, "import-queue")


def test_a_township_official_corrects_and_imports_a_workbook_at_desktop_and_phone_width(browse, tmp_path):
    for width in (DESKTOP, PHONE):
        import_journey(browse, tmp_path, width)
