"""The candidate list: search, filters, sorting, masking, and its export with the same filters."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from candidates.choices import CertificationState
from candidates.identity import synthetic_id_number
from tests.candidates.test_registry import english, listed
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# The list and its export -------------------------------------------------------------------------


def test_q_finds_people_by_name_pinyin_initials_or_the_end_of_the_id_number(client_of, benxi):
    village = benxi["village"]
    # A sequence code (digits 15–17) that the factory's numbers, which start at 000, do not reach.
    wang = CandidateFactory(
        village=village,
        name="王大勇",
        id_number=synthetic_id_number("210502", datetime.date(1980, 5, 6), 377, True),
    )
    CandidateFactory(village=village, name="李小红")
    CandidateFactory(village=village, name="大刘")
    client = client_of(benxi["user"])
    url = reverse("candidates:candidate_list")
    assert listed(client.get(url, {"q": "王大"})) == ["王大勇"]
    assert listed(client.get(url, {"q": "WDy"})) == ["王大勇"]
    assert listed(client.get(url, {"q": wang.id_number[-6:]})) == ["王大勇"]
    assert listed(client.get(url, {"q": wang.id_number[-4:].lower()})) == ["王大勇"]
    assert sorted(listed(client.get(url, {"q": "大"}))) == ["大刘", "王大勇"]


def test_filters_narrow_the_list_by_region_status_stage_step_source_and_overdue(client_of, benxi):
    village, other = benxi["village"], benxi["other_village"]
    CandidateFactory(village=village, name="甲", active=True, stage="party_member", source="veteran")
    CandidateFactory(village=other, name="乙", active=True)
    CertificationFactory(step=2, candidate=CandidateFactory(village=village, name="丙", certifying=True))
    CertificationFactory(
        step=5,
        candidate=CandidateFactory(village=village, name="丁", certifying=True),
        step_started_on=TODAY - datetime.timedelta(days=30),
        step_due_on=TODAY - datetime.timedelta(days=1),
    )
    # A certification that ended at step 2 is no longer "at" step 2.
    CertificationFactory(
        step=2,
        state=CertificationState.REJECTED,
        candidate=CandidateFactory(village=village, name="戊", status="rejected"),
        step_due_on=TODAY - datetime.timedelta(days=10),
    )
    client = client_of(benxi["user"])
    url = reverse("candidates:candidate_list")

    def names(**query):
        return sorted(listed(client.get(url, query)))

    assert names() == sorted(["甲", "乙", "丙", "丁", "戊"])
    assert names(region=other.region.parent_id) == ["乙"]
    assert names(region=village.pk) == sorted(["甲", "丙", "丁", "戊"])
    assert names(status="active") == sorted(["甲", "乙"])
    assert names(stage="party_member") == ["甲"]
    assert names(source="veteran") == ["甲"]
    assert names(step="2") == ["丙"]
    assert names(step="5") == ["丁"]
    assert names(overdue="1") == ["丁"]
    assert names(step="2", overdue="1") == []


def test_the_list_sorts_by_the_current_step(client_of, benxi):
    for step, name in ((4, "四"), (1, "一"), (6, "六")):
        CertificationFactory(
            step=step, candidate=CandidateFactory(village=benxi["village"], name=name, certifying=True)
        )
    client = client_of(benxi["user"])
    url = reverse("candidates:candidate_list")
    assert listed(client.get(url, {"sort": "current_step", "status": "certifying"})) == ["一", "四", "六"]
    assert listed(client.get(url, {"sort": "-current_step", "status": "certifying"})) == ["六", "四", "一"]


def test_the_list_shows_id_numbers_and_phones_masked(client_of, benxi):
    candidate = CandidateFactory(village=benxi["village"], phone="13987654321")
    page = client_of(benxi["user"]).get(reverse("candidates:candidate_list")).content.decode()
    assert candidate.masked_id_number in page and "139****4321" in page
    assert candidate.id_number not in page and "13987654321" not in page


def test_the_list_offers_new_and_import_to_township_officials_only(client_of):
    yushu = client_of("yushu").get(reverse("candidates:candidate_list"))
    xinbin = client_of("xinbin").get(reverse("candidates:candidate_list"))
    create_url = reverse("candidates:candidate_create")
    assert (
        create_url in yushu.content.decode() and reverse("candidates:import_upload") in yushu.content.decode()
    )
    assert create_url not in xinbin.content.decode()


def test_the_export_holds_the_rows_of_the_filtered_list_masked(client_of, benxi):
    village = benxi["village"]
    people = [CandidateFactory(village=village, name=f"导出{n}", active=True) for n in range(3)]
    CandidateFactory(village=village, name="联系人")  # a prospect, filtered out
    client = client_of(benxi["user"])
    query = {"status": "active", "region": village.pk}
    listed_names = listed(client.get(reverse("candidates:candidate_list"), query))

    response = client.get(reverse("candidates:candidate_export"), query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == listed_names
    assert sorted(listed_names) == sorted(p.name for p in people)
    cells = {str(value) for row in body for value in row}
    for person in people:
        assert person.masked_id_number in cells and person.masked_phone in cells
        assert person.id_number not in cells and person.phone not in cells
    assert len(header) == len(body[0])


def test_the_list_links_to_an_export_with_the_same_filters(client_of, benxi):
    response = client_of(benxi["user"]).get(
        reverse("candidates:candidate_list"), {"status": "active", "q": "王", "page": "1"}
    )
    assert (
        reverse("candidates:candidate_export") + "?status=active&amp;q=%E7%8E%8B" in response.content.decode()
    )


def test_an_export_above_the_limit_becomes_a_background_job(client_of, benxi, settings):
    # DESIGN §9: up to EXPORT_MAX_ROWS rows the file itself, beyond that a job and its progress page
    # (the job itself: tests/test_jobs.py).
    settings.EXPORT_MAX_ROWS = 2
    for _ in range(3):
        CandidateFactory(village=benxi["village"])
    response = english(client_of(benxi["user"])).get(reverse("candidates:candidate_export"))
    assert response.status_code == 302
    assert response["Location"].startswith("/jobs/")
