"""The candidate registration form as a PDF (/candidates/<pk>/form.pdf), read back with pypdf.

Rendering takes about a second, so one module-scoped fixture makes a person in 本溪 with a filed
certification, two mentors (one past), an assessment and an award, asks for the form as each user once,
and rolls everything back; the tests read what it kept.
"""

import datetime
import io

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from candidates.models import Candidate, CertificationStep, PersonalDataView
from config.pdf import static_dir, static_fetcher
from mentoring.models import Assessment, Award, Mentor, MentorAssignment
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)
from villages.models import Region

# Every test of the module is a database test: pytest-django runs those first, and a test without
# the mark would run later, after other modules, and have the module's PDFs rendered again.
pytestmark = pytest.mark.django_db

OPINION = "产业带动作用明显，同意认定"
AWARD = "本溪市优秀致富带头人"
ASSESSMENT_COMMENT = "帮带成效好，带动农户增收"


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _make_person():
    """A person of 测试镇1 (本溪), certified through the seven steps, with a past and a current mentor."""
    township_official = UserFactory(name="测试镇干部")
    county = UserFactory(county_reviewer=True, name="平山区组织部审核员")
    village = VillageFactory(township=benxi_township(1))
    person = CandidateFactory(
        name="鲍春燕", gender="F", village=village, active=True, stage="party_member", industry="林下参"
    )
    certification = CertificationFactory(
        candidate=person, step=7, state="filed", filed_on=datetime.date(2025, 6, 30), track="party_member"
    )
    for step in range(1, 8):
        CertificationStep.objects.create(
            certification=certification,
            step=step,
            decision="pass",
            opinion=OPINION if step == 5 else "",
            by=township_official if step <= 4 else county,
        )
    past, current = MentorFactory(name="韩守业"), MentorFactory(name="庞立新", user=UserFactory(mentor=True))
    MentorAssignment.objects.create(
        candidate=person,
        mentor=past,
        start_date=datetime.date(2024, 1, 5),
        end_date=datetime.date(2025, 3, 1),
    )
    MentorAssignment.objects.create(candidate=person, mentor=current, start_date=datetime.date(2025, 3, 1))
    assessment = Assessment.objects.create(
        candidate=person,
        mentor=current,
        year=2025,
        quarter=2,
        political_quality=18,
        wealth_creation=17,
        leading_others=16,
        service=18,
        recognition=17,
        total=86,
        grade="good",
        comments=ASSESSMENT_COMMENT,
        submitted_by=current.user,
    )
    Award.objects.create(
        candidate=person, title=AWARD, level="city", date=datetime.date(2025, 9, 1), recorded_by=county
    )
    return {
        "person": person,
        "assessment_period": str(assessment.period),
        "township_official": township_official,
        "city_staff": UserFactory(city_staff=True),
        "other_township": UserFactory(jurisdiction=benxi_township(2)),
        "mentor": current.user,
        "other_mentor": MentorFactory(user=UserFactory(mentor=True)).user,
    }


@pytest.fixture(scope="module")
def forms(django_db_setup, django_db_blocker):
    """The form as each user got it: status, headers, the PDF's text and pages, the views logged."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = _make_person()
        person = made["person"]
        url = reverse("candidates:candidate_form_pdf", args=[person.pk])
        found = {
            "person": {
                "name": person.name,
                "id_number": person.id_number,
                "masked_id_number": person.masked_id_number,
                "phone": person.phone,
                "masked_phone": person.masked_phone,
                "village": person.village.region.name,
                "township": person.village.region.parent.name,
                "county": person.village.region.parent.parent.name,
            },
            "url": url,
            "assessment_period": made["assessment_period"],
        }
        for role in ("township_official", "city_staff", "other_township", "mentor", "other_mentor"):
            client = Client()
            client.force_login(made[role])
            logged_before = PersonalDataView.objects.filter(user=made[role], candidate=person).count()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            found[role] = {
                "status": response.status_code,
                "type": response.get("Content-Type"),
                "disposition": response.get("Content-Disposition", ""),
                "cache": response.get("Cache-Control", ""),
                "pdf": response.content if response.status_code == 200 else b"",
                "text": _text(response.content) if response.status_code == 200 else "",
                "logged": PersonalDataView.objects.filter(user=made[role], candidate=person).count()
                - logged_before,
                "logged_where": list(
                    PersonalDataView.objects.filter(user=made[role], candidate=person).values_list(
                        "where", flat=True
                    )
                ),
                "queries": len(queries),
            }
        transaction.set_rollback(True)
    return found


def test_the_form_holds_the_person_their_village_the_steps_and_the_mentors(forms):
    text = forms["township_official"]["text"]
    person = forms["person"]
    for expected in (person["name"], person["village"], person["township"], person["county"], "林下参"):
        assert expected in text
    assert OPINION in text
    assert "平山区组织部审核员" in text  # who decided step 5
    assert "庞立新" in text and "韩守业" in text  # the current mentor and the one before
    assert f"{forms['assessment_period']}" in text and "86" in text
    assert AWARD in text


def test_the_form_is_an_a4_pdf_of_at_most_two_pages_with_its_font_embedded(forms):
    got = forms["township_official"]
    assert got["status"] == 200 and got["type"] == "application/pdf"
    assert got["disposition"].startswith("inline")
    assert "no-store" in got["cache"]
    pages = PdfReader(io.BytesIO(got["pdf"])).pages
    assert 1 <= len(pages) <= 2
    for page in pages:
        assert abs(float(page.mediabox.width) - 595) <= 1 and abs(float(page.mediabox.height) - 842) <= 1
    fonts = pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        for font in fonts.values()
    ]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)
    assert all("Sanxiang-Sans-SC" in str(descriptor["/FontName"]) for descriptor in descriptors)


def test_an_official_of_the_township_reads_the_full_id_number_and_phone_and_the_view_is_logged(forms):
    got, person = forms["township_official"], forms["person"]
    text = got["text"]
    assert person["id_number"] in text and person["phone"] in text
    assert got["logged"] == 1
    assert got["logged_where"] == ["form_pdf"]  # the log says it was the printed form


def test_city_staff_read_the_id_number_and_phone_masked_and_nothing_is_logged(forms):
    got, person = forms["city_staff"], forms["person"]
    text = got["text"]
    assert got["status"] == 200
    assert person["masked_id_number"] in text and person["masked_phone"] in text
    assert person["id_number"] not in text and person["phone"] not in text
    assert got["logged"] == 0


def test_the_mentor_reads_their_mentees_form_masked(forms):
    got, person = forms["mentor"], forms["person"]
    text = got["text"]
    assert got["status"] == 200 and person["name"] in text
    assert person["id_number"] not in text


def test_another_township_and_another_mentor_get_a_404(forms):
    assert forms["other_township"]["status"] == 404
    assert forms["other_mentor"]["status"] == 404


def test_the_form_costs_a_fixed_number_of_queries(forms):
    # Session and user, the person, the log, certifications with their steps, and the growth sections.
    assert forms["township_official"]["queries"] <= 22


def test_the_persons_page_links_to_the_form(client_of):
    person = Candidate.objects.get(name="杨德友")
    response = client_of("yongling").get(person.get_absolute_url())
    assert reverse("candidates:candidate_form_pdf", args=[person.pk]) in response.content.decode()


def test_every_name_of_the_demo_is_in_the_shipped_font():
    """A character missing from the font would print as an empty box: the subset (GB 2312 and common
    symbols) covers every person, place and mentor of the demo."""
    cmap = set()
    for weight in ("Regular", "Bold"):
        cmap_of = TTFont(static_dir() / "fonts" / f"NotoSansCJKsc-{weight}.subset.ttf").getBestCmap()
        cmap = set(cmap_of) if not cmap else cmap & set(cmap_of)
    names = "".join(Candidate.objects.values_list("name", flat=True)) + "".join(
        Region.objects.values_list("name", flat=True)
    )
    names += "".join(f"{m.name}{m.title}{m.unit}" for m in Mentor.objects.all())
    missing = sorted({char for char in names if ord(char) not in cmap})
    assert not missing


def test_a_pdf_reads_the_static_files_and_nothing_else():
    """User text is escaped, and even a URL that got into a document could not read the server's files."""
    fetcher = static_fetcher()
    response = fetcher.fetch((static_dir() / "css" / "print.css").as_uri())
    assert b"@font-face" in response.read()
    response.close()
    for url in ("file:///etc/hostname", f"{static_dir().as_uri()}/../config/settings/base.py"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/logo.png")
