"""Exports write user text as text, never as a formula (finding F4 of the probe)."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from candidates.models import Candidate
from tests.factories import CandidateFactory
from villages.models import Village

pytestmark = pytest.mark.django_db

HOSTILE = {
    "=1+1": "name",
    '=HYPERLINK("http://example.com","点击查看")': "industry",
    "+86 123": "industry",
    "-2+3": "industry",
    "@SUM(A1)": "industry",
    "\t=1": "industry",
    "\r=1": "industry",
}


@pytest.fixture
def hostile_people():
    """Records saved before the forms refused such text (or by a path that skipped them)."""
    village = Village.objects.get(region__name="那家村")
    people = []
    for text, field in HOSTILE.items():
        person = CandidateFactory(village=village)
        setattr(person, field, text)
        Candidate.objects.filter(pk=person.pk).update(**{field: text})
        people.append(person)
    return people


def test_the_candidate_export_writes_formula_like_text_as_text(hostile_people, client_of):
    response = client_of("yongling").get(reverse("candidates:candidate_export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = {
        cell.value: cell for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)
    }
    for text in HOSTILE:
        cell = cells.get(text.replace("\r", "\n"))  # XML reads a carriage return as a line feed
        assert cell is not None, f"{text!r} is missing from the export"
        assert cell.data_type == "s" and cell.quotePrefix, f"{text!r} is not written as text"


def test_the_edit_form_refuses_a_name_or_industry_that_would_run_as_a_formula(client_of):
    person = CandidateFactory(village=Village.objects.get(region__name="那家村"))
    url = reverse("candidates:candidate_edit", args=[person.pk])
    data = {
        "name": person.name,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "id_number": person.id_number,
        "birth_date": person.birth_date.isoformat(),
        "phone": person.phone,
        "education": person.education,
        "political_status": person.political_status,
        "source": person.source,
        "village": person.village_id,
        "industry": person.industry,
        "household_income": "8",
    }
    client = client_of("yongling")
    for field, text in (("name", "=1+1"), ("industry", '=HYPERLINK("http://example.com","点击查看")')):
        response = client.post(url, data | {field: text})
        assert response.status_code == 200
        assert "表格软件会把它当作公式" in str(response.context["form"].errors[field])
    person.refresh_from_db()
    assert not person.name.startswith("=") and not person.industry.startswith("=")
