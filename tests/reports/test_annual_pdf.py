"""The annual report of a region as a PDF (/reports/annual.pdf), read back with pypdf.

Rendering takes seconds, so a module-scoped fixture asks for each report once: 新宾's county report for
2025 as its reviewer, and 永陵镇's without any parameter as its township official. The figures are compared
with `reports.summary.summary` of the seeded demo, written the way the dashboard (and so the PDF) writes them.
"""

import base64
import io

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _
from pypdf import PdfReader

from accounts.models import User
from candidates.workflow import STEPS
from config.pdf import FONT_FAMILY
from reports import annual, dynamic
from reports.dashboard import count, mu, percent, yuan
from reports.summary import child_summaries, default_year, summary
from villages.models import Region

# Every test of the module is a database test: pytest-django runs those first, and a test without
# the mark would run later, after other modules, and have the module's PDFs rendered again.
pytestmark = pytest.mark.django_db

XINBIN = "210422000000"
YEAR = 2025


def _read(data: bytes) -> tuple[str, list]:
    """The text of the PDF (pypdf takes a second or two to read a report) and its pages' sizes."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    """Each report once: the response's status and headers, and the PDF's text and page sizes."""
    with django_db_blocker.unblock():
        asked = {
            "xinbin": ("xinbin", {"region": XINBIN, "year": YEAR}),
            "yongling": ("yongling", {}),
        }
        found = {}
        for key, (username, query) in asked.items():
            client = Client()
            client.force_login(User.objects.get(username=username))
            response = client.get(reverse("reports:annual_pdf"), query)
            found[key] = {
                "status": response.status_code,
                "type": response.get("Content-Type"),
                "disposition": response.get("Content-Disposition", ""),
            }
            found[key]["text"], found[key]["pages"] = _read(response.content)
    return found


def _line_with(text: str, *cells: str) -> bool:
    """Whether a line of the text holds these cells one after the other (a table row read back)."""
    needle = " ".join(cells)
    return any(needle in line for line in text.splitlines())


def test_the_report_holds_the_regions_figures_as_the_summary_gives_them(reports):
    region = Region.objects.get(code=XINBIN)
    figures = summary(region=region, year=YEAR)
    text = reports["xinbin"]["text"]
    assert region.name in text
    people, villages = figures["candidates"], figures["villages"]
    contributions, support = figures["contributions"], figures["support"]
    expected = [
        (_("Candidates in cultivation"), count(people["active"])),
        (_("Eliminated in the last five years"), count(people["eliminated_last_5_years"])),
        (_("In the village committees"), count(people["in_village_committees"])),
        (_("Candidates in committee reserves"), count(people["committee_reserves"])),
        (_("Villages rated four stars or more"), count(villages["four_star_plus"])),
        (_("Wealth-creators among committee members"), percent(villages["committee_wealth_creator_share"])),
        (_("Collective-economy projects led"), count(contributions["collective_projects"])),
        (_("Households helped to a higher income"), count(contributions["households_helped"])),
        (_("Service items performed"), count(contributions["service_items"])),
        (_("Problems solved for villagers"), count(contributions["problems_solved"])),
        (_("Candidates awarded"), count(contributions["awarded_candidates"])),
        (_("Candidates trained at universities"), count(figures["training"]["university_trainees"])),
        (_("Online learning rate"), percent(figures["training"]["online_learning_rate"])),
        (_("Support policies in force"), count(support["policies"])),
        (_("Loans arranged"), yuan(support["loans_yuan"])),
        (_("Land transferred"), mu(support["land_transfer_mu"])),
        (_("Projects developed"), count(support["projects"])),
    ]
    missing = [(label, value) for label, value in expected if not _line_with(text, label, value)]
    assert not missing


def test_the_report_has_a_row_for_each_child_region(reports):
    xinbin = User.objects.get(username="xinbin")
    children = child_summaries(region=Region.objects.get(code=XINBIN), year=YEAR, user=xinbin)
    text = reports["xinbin"]["text"]
    assert len(children) > 1
    for child, figures in children:
        assert _line_with(text, child.name, intcomma(figures["candidates"]["active"]))


def test_the_report_counts_the_five_groups_of_dynamic_management(reports):
    xinbin = User.objects.get(username="xinbin")
    groups = dynamic.dynamic_groups(user=xinbin, region=Region.objects.get(code=XINBIN), year=YEAR)
    text = reports["xinbin"]["text"]
    for group, number in groups.total.cells:
        assert _line_with(text, str(dynamic.GROUP_LABELS[group]), intcomma(number))
    assert groups.total.counts["consolidated"] > 0


def test_the_report_is_an_a4_pdf(reports):
    got = reports["xinbin"]
    assert got["status"] == 200 and got["type"] == "application/pdf"
    assert got["disposition"].startswith("inline")
    assert got["pages"]
    for width, height in got["pages"]:
        assert abs(width - 595) <= 1 and abs(height - 842) <= 1


def test_without_parameters_the_report_is_of_the_users_own_region_for_last_year(reports):
    text = reports["yongling"]["text"]
    assert reports["yongling"]["status"] == 200
    assert "永陵镇" in text.splitlines()[0]
    assert str(default_year()) in text.splitlines()[1]


def test_a_region_outside_the_jurisdiction_is_a_404_and_a_mentor_gets_a_403(client_of):
    url = reverse("reports:annual_pdf")
    assert client_of("yongling").get(url, {"region": XINBIN}).status_code == 404
    assert client_of("qianjin").get(url, {"region": "210422102000"}).status_code == 404
    assert client_of("mentor").get(url).status_code == 403


def test_the_charts_are_drawn_with_their_chinese_labels_as_text(reports):
    """A chart's labels are text set in the shipped font, read back beside the same words in its table."""
    text = reports["xinbin"]["text"]
    for number, step in STEPS.items():
        assert text.count(f"{number} {step.label}") >= 2  # the funnel's axis and its table


def test_the_charts_name_the_shipped_font():
    """WeasyPrint draws a chart's text with the PDF's @font-face fonts when the SVG names their family."""
    picture = annual.bar_chart([{"name": "永陵镇", "value": 3}], "培养对象")
    svg = base64.b64decode(picture.split(",", 1)[1]).decode()
    assert FONT_FAMILY in svg and "永陵镇" in svg
