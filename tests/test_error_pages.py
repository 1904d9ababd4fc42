"""The 404, 403, 500 and 503 pages: Chinese first, in the portal's look, with a way back to the home page."""

import logging
import re

import pytest
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from candidates.models import Candidate

DEMO_USERS = ["qianjin", "yongling", "xinbin", "qingyuan", "city", "mentor", "admin"]
PORTAL_HEADER = 'class="navbar navbar-expand-lg navbar-dark bg-portal'
HOME_LINK = 'href="/"'


def chinese(msgid: str) -> str:
    """The message as a Chinese page prints it (escaped like any template output)."""
    with translation.override("zh-hans"):
        return escape(translation.gettext(msgid))


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_USERS)
def test_a_record_that_does_not_exist_answers_the_chinese_404_page_in_the_portal(username, client_of):
    response = client_of(username).get("/candidates/999999/")
    assert response.status_code == 404
    assert {"404.html", "base.html"} <= {t.name for t in response.templates}
    page = response.content.decode()
    assert PORTAL_HEADER in page and HOME_LINK in page
    assert chinese("Page not found") in page
    assert (
        chinese("The page or record you asked for does not exist, or it lies outside your jurisdiction.")
        in page
    )


@pytest.mark.django_db
def test_a_record_outside_the_jurisdiction_answers_the_same_404_page(client_of, demo_user):
    outside = Candidate.objects.exclude(pk__in=Candidate.objects.visible_to(demo_user("qianjin"))).first()
    response = client_of("qianjin").get(reverse("candidates:candidate_detail", args=[outside.pk]))
    assert response.status_code == 404
    assert chinese("Page not found") in response.content.decode()


@pytest.mark.django_db
def test_an_action_the_role_may_not_take_answers_the_chinese_403_page(client_of):
    response = client_of("mentor").get(reverse("candidates:candidate_create"))
    assert response.status_code == 403
    assert {"403.html", "base.html"} <= {t.name for t in response.templates}
    page = response.content.decode()
    assert PORTAL_HEADER in page and HOME_LINK in page
    assert chinese("Not allowed") in page
    assert chinese("Your role may not do this, or not at this stage of the record.") in page


@pytest.mark.django_db
def test_the_admin_still_answers_404_and_403(client_of):
    assert client_of("admin").get("/admin/no-such-page/").status_code == 404
    assert client_of("qianjin").get(reverse("admin:villages_reserve_add")).status_code == 403


@pytest.mark.django_db
def test_the_500_page_renders_without_request_context_nor_database(django_assert_num_queries):
    with translation.override("zh-hans"), django_assert_num_queries(0):
        page = get_template("500.html").render({})
    assert 'class="navbar navbar-dark bg-portal' in page and HOME_LINK in page
    assert "vendor/bootstrap/css/bootstrap.min.css" in page
    assert chinese("Server error") in page
    assert chinese("The portal could not complete your request because of an error on the server.") in page
    assert re.search(r"[\u4e00-\u9fff]", page), "the page is Chinese"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.urls_failing")
def test_a_500_names_its_request_on_the_page_in_the_header_and_in_the_log(client_of, caplog):
    client = client_of("yushu")
    client.raise_request_exception = False
    with translation.override("zh-hans"), caplog.at_level(logging.ERROR, logger="django.request"):
        page = client.get("/fails/")
    assert page.status_code == 500
    reference = page.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", reference)
    assert f"错误编号：<code>{reference}</code>" in page.content.decode()
    assert chinese("Server error") in page.content.decode()
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and {record.request_id for record in logged} == {reference}
    assert "a bug the tests plant" in caplog.text, "the traceback is logged with it"


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_hostile_one_replaced(client_of):
    client = client_of("yushu")
    given = "3f2a9c1e8b7d4a60b1c2d3e4f5a6b7c8"
    assert client.get("/", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    for hostile in ("abc\nINFO forged line", "<script>alert(1)</script>", "x" * 200, "short"):
        answered = client.get("/", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
        assert answered != hostile and re.fullmatch(r"[0-9a-f]{16}", answered)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.urls_failing")
def test_a_database_away_answers_503_try_again_not_the_500_page(client_of):
    """A restart or failover of PostgreSQL is no bug to report: the user is asked to try again later
    (config.database_errors); `make drill` shows it with a real restart."""
    client = client_of("yushu")
    client.raise_request_exception = False
    with translation.override("zh-hans"):
        page = client.get("/database-away/")
    assert page.status_code == 503
    assert page.headers["Retry-After"].isdigit()
    text = page.content.decode()
    assert chinese("The database is unavailable for a moment. Please try again later.") in text
    assert chinese("Server error") not in text
    assert f"错误编号：<code>{page.headers['X-Request-ID']}</code>" in text
    assert client.get("/").status_code == 200, "the next request is served"
