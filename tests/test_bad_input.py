"""Malformed requests get 400, 404 or a form error, never a 500, and write nothing (findings F9, F10).

Each case is one of the probe's 29 answers of 500, from ten causes; PostgreSQL refuses a NUL byte in
a string where SQLite stores it, so CI runs these on both.
"""

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate, Certification
from tests.factories import CertificationFactory, UserFactory, VillageFactory
from villages.models import CommitteeSeat, Village

pytestmark = pytest.mark.django_db

# Not found, a bad request, or (for a record that is not there) the admin's redirect to its index.
REFUSED = {302, 400, 404}


def _client(username) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _int_pk_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            yield model._meta.app_label, model._meta.model_name, model_admin


def test_a_non_numeric_id_or_version_in_an_admin_history_url_is_not_found():
    client = _client("admin")
    candidate = Candidate.objects.first()
    for app, model, _model_admin in _int_pk_admins():
        for url in (f"/admin/{app}/{model}/abc/history/", f"/admin/{app}/{model}/abc/history/1/"):
            assert client.get(url).status_code in REFUSED, url
    for version in ("abc", "1.5", "99999999999999999999999"):
        url = f"/admin/candidates/candidate/{candidate.pk}/history/{version}/"
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("path", ["/villages/", "/villages/reserves/", "/reports/dynamic/", "/candidates/"])
def test_a_nul_byte_in_a_filter_is_a_bad_request(path):
    client = _client("city")
    for params in ({"region": "2104\x00"}, {"q": "\x00"}, {"status\x00": "x"}):
        assert client.get(path, params).status_code == 400, (path, params)


def test_a_nul_byte_in_an_admin_filter_search_or_field_is_a_bad_request():
    client = _client("xinbin")
    village = Village.objects.filter(region__code__startswith="210422").first()
    for url, params in (
        ("/admin/candidates/candidate/", {"status": "active\x00"}),
        ("/admin/candidates/candidate/", {"q": "王\x00"}),
        (
            "/admin/autocomplete/",
            {"app_label": "villages", "model_name": "committeeseat", "field_name": "village", "term": "\x00"},
        ),
    ):
        assert client.get(url, params).status_code == 400, (url, params)
    before = Village.objects.get(pk=village.pk).leading_industries
    response = client.post(
        f"/admin/villages/village/{village.pk}/change/",
        {"households": 1, "population": 2, "party_members": 1, "leading_industries": "水稻\x00"},
    )
    assert response.status_code == 400
    assert Village.objects.get(pk=village.pk).leading_industries == before


@pytest.mark.parametrize("year", ["２０２６", "9999", "99999", "0", "-1", "1e3"])
def test_an_odd_year_in_an_admin_date_hierarchy_is_refused(year):
    client = _client("admin")
    for url in (
        "/admin/candidates/personaldataview/",
        "/admin/candidates/historicalcandidate/",
        "/admin/candidates/holiday/",
        "/admin/accounts/failedlogin/",
    ):
        status = client.get(url, {f"{_hierarchy(url)}__year": year}).status_code
        assert status in (302, 400), (url, year, status)  # 302: the admin's own "wrong filter" page


def _hierarchy(url):
    model = url.strip("/").split("/")[2]
    return next(a for m, a in admin.site._registry.items() if m._meta.model_name == model).date_hierarchy


def test_an_autocomplete_field_given_text_is_a_form_error():
    client = _client("xinbin")
    village = Village.objects.filter(region__code__startswith="210422").first()
    before = CommitteeSeat.objects.count()
    response = client.post(
        "/admin/villages/committeeseat/add/",
        {
            "village": village.pk,
            "candidate": "abc",
            "position": "member",
            "holder_name": "张三",
            "term_start": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert "candidate" in response.context["adminform"].form.errors
    assert CommitteeSeat.objects.count() == before


@pytest.fixture
def township_place():
    township = UserFactory()
    return township, VillageFactory(township=township.jurisdiction)


def test_votes_beyond_any_village_are_a_form_error_at_step_3(township_place):
    township, village = township_place
    certification = CertificationFactory(step=3, candidate__village=village, created_by=township)
    client = Client(raise_request_exception=False)
    client.force_login(township)
    url = reverse("candidates:certification_detail", args=[certification.pk])
    for decision in ("save", "pass"):
        response = client.post(
            url,
            {
                "decision": decision,
                "expected_step": 3,
                "meeting_date": timezone.localdate().isoformat(),
                "meeting_decision": "同意",
                "votes_for": 2**31,
                "votes_total": 2**31,
            },
        )
        assert response.status_code == 200, decision
        assert response.context["form"].errors, decision
    certification.refresh_from_db()
    assert (certification.step, certification.votes_total) == (3, None)


def test_a_notice_that_starts_in_the_year_9999_is_refused(township_place):
    township, village = township_place
    county = UserFactory(county_reviewer=True)
    certification = CertificationFactory(step=6, candidate__village=village, created_by=township)
    client = Client(raise_request_exception=False)
    client.force_login(county)
    response = client.post(
        reverse("candidates:notice_publish", args=[certification.pk]), {"start_date": "9999-12-30"}
    )
    assert response.status_code == 302
    assert not hasattr(Certification.objects.get(pk=certification.pk), "notice")


@pytest.mark.parametrize("per_page", ["-1", "0", "100000", "abc", "1e9"])
def test_the_page_size_is_kept_within_bounds(per_page, settings):
    """Finding F10: `per_page=100000` returned 16,274 rows (17 MB) in 12 s; -1 was a 500."""
    client = _client("city")
    for path, params in (
        ("/candidates/", {}),
        ("/villages/", {}),
        ("/villages/reserves/", {}),
        ("/reports/dynamic/", {"group": "consolidated"}),
        ("/candidates/eliminations/", {}),
    ):
        response = client.get(path, {"per_page": per_page, **params})
        assert response.status_code == 200, (path, per_page)
        rows = len(response.context["table"].page.object_list)
        assert 1 <= rows <= settings.MAX_PAGE_SIZE, (path, per_page, rows)


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("candidates:candidate_party", "party_application_on"),
        ("villages:seat_create", "term_start"),
    ],
)
def test_a_date_in_the_year_1_is_a_form_error(url_name, field):
    township = User.objects.get(username="yongling")
    client = Client(raise_request_exception=False)
    client.force_login(township)
    village = Village.objects.get(region__name="那家村")
    candidate = Candidate.objects.filter(village=village, status="active").first()
    if url_name == "villages:seat_create":
        url = reverse(url_name, args=[village.pk])
        data = {"position": "member", "holder_name": "张三", "term_start": "0001-01-01"}
    else:
        url = reverse(url_name, args=[candidate.pk])
        data = {"party_application_on": "0001-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_meeting_date_in_the_year_1_is_a_form_error(township_place):
    township, village = township_place
    certification = CertificationFactory(step=3, candidate__village=village, created_by=township)
    client = Client(raise_request_exception=False)
    client.force_login(township)
    for day in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        response = client.post(
            reverse("candidates:certification_detail", args=[certification.pk]),
            {
                "decision": "save",
                "expected_step": 3,
                "meeting_date": day.isoformat(),
                "meeting_decision": "同意",
            },
        )
        assert response.status_code == 200
        assert "meeting_date" in response.context["form"].errors
    certification.refresh_from_db()
    assert certification.meeting_date is None


YEAR_LISTS = [
    "mentoring:visit_list",
    "mentoring:visit_export",
    "mentoring:assessment_list",
    "mentoring:assessment_export",
    "mentoring:support_list",
    "mentoring:contribution_list",
    "mentoring:award_list",
    "mentoring:course_list",
    "mentoring:cohort_list",
    "mentoring:online_learning_list",
    "reports:dynamic_management",
]


@pytest.mark.parametrize("url_name", YEAR_LISTS)
def test_a_year_no_calendar_has_is_refused_not_a_server_error(url_name):
    client = _client("city")
    url = reverse(url_name)
    for year in ("-5", "0", "99999", "1.5", "1e3", "２０２６"):
        response = client.get(url, {"year": year})
        assert response.status_code in (200, 400), (url, year, response.status_code)
