import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from candidates import services
from candidates.choices import (
    CertificationState,
    Decision,
    Gender,
    ObjectionChannel,
    ObjectionStatus,
    Status,
    Track,
)
from candidates.models import Objection, PublicNotice
from mentoring.models import MentorAssignment
from tests.factories import (
    CertificationFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)
from villages.models import Village

pytestmark = pytest.mark.django_db

NOTICES = reverse("notices:notice_list")


@pytest.fixture(autouse=True)
def empty_rate_limit():
    """Every test starts with no objection counted against any address."""
    cache.clear()
    yield
    cache.clear()


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def zh(text) -> str:
    """What a Chinese page shows for a translatable label."""
    with translation.override("zh-hans"):
        return str(text)


@pytest.fixture
def benxi():
    """A township official, the county reviewer above them, and a village of theirs, in 本溪."""
    township = UserFactory()
    return SimpleNamespace(
        township=township,
        county=UserFactory(county_reviewer=True),
        village=VillageFactory(township=township.jurisdiction),
    )


def make_notice(place, *, start=-2, end=3, step=6, **candidate) -> PublicNotice:
    """A certification at `step` in the place's village, noticed from `start` to `end` days from today."""
    certification = CertificationFactory(
        step=step,
        candidate__village=place.village,
        created_by=place.township,
        **{f"candidate__{name}": value for name, value in candidate.items()},
    )
    return PublicNotice.objects.create(
        certification=certification,
        start_date=day(start),
        end_date=day(end),
        working_days=5,
        published_by=place.county,
    )


def file_objection(notice, content="他家的合作社账目不清") -> Objection:
    return services.objection_file(notice=notice, objection=services.ObjectionInput(content=content))


def object_url(notice) -> str:
    return reverse("notices:objection_submit", args=[notice.pk])


def record_url(notice) -> str:
    return reverse("candidates:objection_record", args=[notice.certification_id])


def rule_url(objection) -> str:
    return reverse("candidates:objection_rule", args=[objection.pk])


def detail_url(certification_id) -> str:
    return reverse("candidates:certification_detail", args=[certification_id])


def listed(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


# The public notice page --------------------------------------------------------------------------


def test_the_public_page_shows_a_running_notice_with_its_public_fields_and_no_login(benxi):
    notice = make_notice(benxi, name="王秀兰", gender=Gender.FEMALE)
    village = benxi.village.region
    response = Client().get(NOTICES, {"q": village.name})
    assert response.status_code == 200
    page = response.content.decode()
    assert "王秀兰" in page
    assert zh(Gender.FEMALE.label) in page
    assert village.name in page and village.parent.name in page and village.parent.parent.name in page
    assert zh(Track.WEALTH_CREATOR.label) in page
    assert f"{day(-2):%Y-%m-%d} – {day(3):%Y-%m-%d}" in page
    assert object_url(notice) in page


def test_the_public_page_never_shows_an_id_number_a_phone_or_a_birth_date(benxi):
    notice = make_notice(benxi, phone="13904121234")
    candidate = notice.certification.candidate
    page = Client().get(NOTICES, {"q": candidate.name}).content.decode()
    assert candidate.name in page
    birth = candidate.birth_date
    for secret in (
        candidate.id_number,
        candidate.masked_id_number,
        candidate.id_number[-6:],
        candidate.phone,
        candidate.masked_phone,
        f"{birth:%Y-%m-%d}",
        f"{birth.year}年{birth.month}月{birth.day}日",
        f"{birth:%Y%m%d}",
    ):
        assert secret not in page
    assert "年龄" not in page and "Age" not in page


def test_notices_not_started_ended_or_of_a_closed_certification_are_not_listed(benxi):
    running = make_notice(benxi)
    make_notice(benxi, start=1, end=6)
    make_notice(benxi, start=-9, end=-1)
    rejected = make_notice(benxi)
    rejected.certification.state = CertificationState.REJECTED
    rejected.certification.save()
    response = Client().get(NOTICES, {"q": benxi.village.region.name})
    assert listed(response) == [running.certification.candidate.name]


def test_a_notice_on_its_last_day_is_still_listed(benxi):
    notice = make_notice(benxi, start=-4, end=0)
    assert notice.certification.candidate.name in listed(
        Client().get(NOTICES, {"q": benxi.village.region.name})
    )


def test_officials_see_the_same_public_page_outside_their_jurisdiction(benxi, client_of):
    make_notice(benxi)
    query = {"q": benxi.village.region.name}
    anonymous = Client().get(NOTICES, query)
    official = client_of("xinbin").get(NOTICES, query)
    assert official.status_code == 200
    assert official.context["rows"] == anonymous.context["rows"] != []


def test_the_search_finds_notices_by_township_and_leaves_out_other_places(benxi):
    here = make_notice(benxi)
    elsewhere = SimpleNamespace(
        township=benxi.township, county=benxi.county, village=VillageFactory(township=benxi_township(2))
    )
    there = make_notice(elsewhere)
    names = listed(Client().get(NOTICES, {"q": benxi.village.region.parent.name}))
    assert here.certification.candidate.name in names
    assert there.certification.candidate.name not in names


def _list_queries(query) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(NOTICES, query)
    return len(captured), len(response.context["rows"])


def test_the_public_page_costs_the_same_queries_for_3_and_30_notices(benxi, django_assert_max_num_queries):
    query = {"q": benxi.village.region.name}
    for _ in range(3):
        make_notice(benxi)
    three, rows = _list_queries(query)
    assert rows == 3
    for _ in range(27):
        make_notice(benxi)
    with django_assert_max_num_queries(three):
        _, rows = _list_queries(query)
    assert rows == 30


# Filing an objection from the public page --------------------------------------------------------


def test_anyone_may_object_to_a_running_notice_and_is_thanked(benxi):
    notice = make_notice(benxi, name="李春生")
    client = Client()
    form = client.get(object_url(notice))
    assert form.status_code == 200 and "李春生" in form.content.decode()
    response = client.post(
        object_url(notice), {"content": "此人长期不在村居住", "name": "张三", "contact": "13800000000"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "notices/thanks.html"
    objection = notice.objections.get()
    assert (objection.channel, objection.status, objection.recorded_by) == (
        ObjectionChannel.WEB,
        ObjectionStatus.OPEN,
        None,
    )
    assert (objection.content, objection.objector_name, objection.objector_contact) == (
        "此人长期不在村居住",
        "张三",
        "13800000000",
    )


def test_an_objection_may_be_anonymous_but_not_empty(benxi):
    notice = make_notice(benxi)
    client = Client()
    empty = client.post(object_url(notice), {"content": "   "})
    assert empty.status_code == 200 and empty.context["form"].errors["content"]
    assert not notice.objections.exists()
    client.post(object_url(notice), {"content": "有违纪情况"})
    assert notice.objections.get().objector_name == ""


def test_a_filled_honeypot_saves_nothing_and_looks_like_success(benxi):
    notice = make_notice(benxi)
    response = Client().post(object_url(notice), {"content": "cheap pills", "website": "http://spam.example"})
    assert response.status_code == 200
    assert response.templates[0].name == "notices/thanks.html"
    assert not notice.objections.exists()


def test_the_honeypot_is_hidden_from_people_and_skipped_by_the_keyboard(benxi):
    page = Client().get(object_url(make_notice(benxi))).content.decode()
    hidden = page.index('class="visually-hidden"')
    field = page.index('name="website"')
    assert hidden < field
    tag = page[page.rindex("<input", 0, field) : page.index(">", field)]
    assert 'tabindex="-1"' in tag and 'autocomplete="off"' in tag


def test_the_objection_form_keeps_csrf_protection(benxi):
    notice = make_notice(benxi)
    response = Client(enforce_csrf_checks=True).post(object_url(notice), {"content": "意见"})
    assert response.status_code == 403
    assert not notice.objections.exists()


def test_too_many_objections_from_one_address_get_429_with_the_time_to_retry(benxi, settings):
    settings.OBJECTIONS_PER_HOUR = 2
    notice = make_notice(benxi)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for text in ("第一条", "第二条"):
        assert client.post(object_url(notice), {"content": text}).status_code == 200
    refused = client.post(object_url(notice), {"content": "第三条"})
    assert refused.status_code == 429
    assert refused.templates[0].name == "notices/rate_limited.html"
    retry_after = int(refused["Retry-After"])
    assert 3500 < retry_after <= 3600
    retry_at = timezone.localtime(refused.context["retry_at"])
    assert f"{retry_at:%H:%M}" in refused.content.decode()
    assert notice.objections.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.8").post(object_url(notice), {"content": "另一位村民"})
    assert other.status_code == 200
    assert notice.objections.count() == 3


def test_behind_the_trusted_proxy_one_villager_cannot_use_up_everyones_objections(benxi, settings):
    """Finding F7: behind nginx every client shared the proxy's address and so one limit."""
    settings.OBJECTIONS_PER_HOUR = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    notice = make_notice(benxi)
    via_proxy = {"REMOTE_ADDR": "10.1.1.1"}
    first = Client(**via_proxy, HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert first.post(object_url(notice), {"content": "第一位村民"}).status_code == 200
    assert first.post(object_url(notice), {"content": "又一条"}).status_code == 429
    second = Client(**via_proxy, HTTP_X_FORWARDED_FOR="203.0.113.21")
    assert second.post(object_url(notice), {"content": "第二位村民"}).status_code == 200
    # A client that is no proxy cannot pick a new address for each post.
    direct = {"REMOTE_ADDR": "203.0.113.30"}
    assert (
        Client(**direct, HTTP_X_FORWARDED_FOR="1.1.1.1")
        .post(object_url(notice), {"content": "甲"})
        .status_code
        == 200
    )
    assert (
        Client(**direct, HTTP_X_FORWARDED_FOR="2.2.2.2")
        .post(object_url(notice), {"content": "乙"})
        .status_code
        == 429
    )


def test_only_accepted_objections_count_towards_the_limit(benxi, settings):
    settings.OBJECTIONS_PER_HOUR = 1
    notice = make_notice(benxi)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        client.post(object_url(notice), {"content": ""})
        client.post(object_url(notice), {"content": "x", "website": "bot"})
    assert client.post(object_url(notice), {"content": "真正的意见"}).status_code == 200
    assert client.post(object_url(notice), {"content": "再来一条"}).status_code == 429
    assert list(notice.objections.values_list("content", flat=True)) == ["真正的意见"]


@pytest.mark.parametrize(("start", "end"), [(-9, -1), (1, 6)], ids=["ended", "not yet started"])
def test_a_notice_not_in_force_takes_no_objection(benxi, start, end):
    notice = make_notice(benxi, start=start, end=end)
    client = Client()
    assert client.get(object_url(notice)).status_code == 404
    assert client.post(object_url(notice), {"content": "太晚了"}).status_code == 404
    assert not notice.objections.exists()


def test_the_notice_of_a_rejected_application_takes_no_objection(benxi):
    notice = make_notice(benxi)
    notice.certification.state = CertificationState.REJECTED
    notice.certification.save()
    assert Client().get(object_url(notice)).status_code == 404


# Objections block filing ------------------------------------------------------------------------


def file_step_7(certification, by):
    return services.certification_advance(
        certification=certification,
        by=by,
        decision=Decision.PASS,
        expected_step=7,
        data={"filed_on": timezone.localdate(), "mentor": MentorFactory()},
    )


def test_an_open_objection_blocks_filing_at_step_7(benxi):
    notice = make_notice(benxi, start=-10, end=-3, step=7)
    Objection.objects.create(notice=notice, content="收到群众来信")
    with translation.override("en"), pytest.raises(services.WorkflowError, match="objection"):
        file_step_7(notice.certification, benxi.county)
    notice.certification.refresh_from_db()
    assert (notice.certification.step, notice.certification.state) == (7, CertificationState.IN_PROGRESS)


def test_a_notice_still_running_blocks_filing_at_step_7(benxi):
    notice = make_notice(benxi, start=-2, end=1, step=7)
    with translation.override("en"), pytest.raises(services.WorkflowError, match="runs until"):
        file_step_7(notice.certification, benxi.county)


# Ruling ------------------------------------------------------------------------------------------


def test_an_upheld_objection_rejects_the_application(benxi, client_of):
    notice = make_notice(benxi)
    objection = file_objection(notice)
    response = client_of(benxi.county).post(
        rule_url(objection), {"decision": "upheld", "ruling": "经核实，合作社账目确有问题"}
    )
    assert response.status_code == 302 and response.url == detail_url(notice.certification_id)
    objection.refresh_from_db()
    certification = notice.certification
    certification.refresh_from_db()
    assert (objection.status, objection.ruled_by, objection.ruling) == (
        ObjectionStatus.UPHELD,
        benxi.county,
        "经核实，合作社账目确有问题",
    )
    assert certification.state == CertificationState.REJECTED
    assert certification.candidate.status == Status.REJECTED
    step = certification.steps.get()
    assert (step.step, step.decision, step.by) == (6, Decision.REJECT, benxi.county)
    assert "经核实，合作社账目确有问题" in step.opinion


def test_an_objection_upheld_after_the_certification_was_returned_to_a_township_step_rejects_it(benxi):
    # Returned from step 6 to step 4 (the township's) while its notice still runs with an open objection:
    # the county's ruling rejects the application all the same.
    notice = make_notice(benxi, step=4)
    objection = file_objection(notice)
    services.objection_rule(objection=objection, by=benxi.county, upheld=True, ruling="经核实，反映属实")
    certification = notice.certification
    certification.refresh_from_db()
    assert certification.state == CertificationState.REJECTED
    assert certification.candidate.status == Status.REJECTED
    step = certification.steps.get()
    assert (step.step, step.decision, step.by) == (4, Decision.REJECT, benxi.county)
    assert "经核实，反映属实" in step.opinion


def test_the_county_may_not_reject_at_a_township_step_without_an_upheld_objection(benxi):
    notice = make_notice(benxi, step=4)
    file_objection(notice)  # open, not upheld
    with pytest.raises(PermissionDenied):
        services.certification_advance(
            certification=notice.certification,
            by=benxi.county,
            decision=Decision.REJECT,
            expected_step=4,
            opinion="县里直接否决",
        )
    assert notice.certification.steps.count() == 0


def test_a_dismissed_objection_lets_the_certification_go_on_to_filing(benxi, client_of):
    notice = make_notice(benxi, start=-10, end=-3, step=7)
    objection = file_objection_by_official(notice, benxi.township)
    response = client_of(benxi.county).post(
        rule_url(objection), {"decision": "dismissed", "ruling": "经调查，反映情况不属实"}
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    certification = notice.certification
    certification.refresh_from_db()
    assert certification.state == CertificationState.IN_PROGRESS
    file_step_7(certification, benxi.county)
    certification.refresh_from_db()
    assert certification.state == CertificationState.FILED
    assert certification.candidate.status == Status.ACTIVE


def file_objection_by_official(notice, official) -> Objection:
    return services.objection_file(
        notice=notice,
        objection=services.ObjectionInput(content="电话反映其不在村居住", channel=ObjectionChannel.PHONE),
        by=official,
    )


def test_a_ruling_needs_its_reasoning(benxi, client_of):
    objection = file_objection(make_notice(benxi))
    response = client_of(benxi.county).post(rule_url(objection), {"decision": "upheld", "ruling": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["ruling"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN


def test_the_ruling_page_shows_the_objection_and_the_notice(benxi, client_of):
    notice = make_notice(benxi, name="赵立新")
    objection = file_objection(notice, content="承包地转包未公示")
    page = client_of(benxi.county).get(rule_url(objection)).content.decode()
    assert "赵立新" in page and "承包地转包未公示" in page
    assert f"{notice.end_date:%Y-%m-%d}" in page
    assert 'name="ruling"' in page


def test_an_objection_ruled_already_shows_who_ruled_and_takes_no_second_ruling(benxi, client_of):
    objection = file_objection(make_notice(benxi))
    services.objection_rule(objection=objection, by=benxi.county, upheld=False, ruling="反映不实")
    other_reviewer = UserFactory(county_reviewer=True, name="第二审核人")
    response = client_of(other_reviewer).post(rule_url(objection), {"decision": "upheld", "ruling": "改判"})
    assert response.status_code == 200
    page = response.content.decode()
    assert benxi.county.name in page and "反映不实" in page
    assert 'name="ruling"' not in page
    objection.refresh_from_db()
    assert (objection.status, objection.ruled_by, objection.ruling) == (
        ObjectionStatus.DISMISSED,
        benxi.county,
        "反映不实",
    )


# Officials recording objections ------------------------------------------------------------------


def test_a_township_official_records_an_objection_received_by_letter(benxi, client_of):
    notice = make_notice(benxi)
    client = client_of(benxi.township)
    assert client.get(record_url(notice)).status_code == 200
    response = client.post(
        record_url(notice),
        {
            "channel": "letter",
            "name": "刘大爷",
            "contact": "本村三组",
            "content": "来信反映其拖欠村集体承包费",
        },
    )
    assert response.status_code == 302 and response.url == detail_url(notice.certification_id)
    objection = notice.objections.get()
    assert (objection.channel, objection.recorded_by, objection.objector_name, objection.status) == (
        ObjectionChannel.LETTER,
        benxi.township,
        "刘大爷",
        ObjectionStatus.OPEN,
    )


def test_an_objection_arriving_by_letter_after_the_notice_ended_is_still_recorded(benxi, client_of):
    notice = make_notice(benxi, start=-10, end=-3, step=7)
    client_of(benxi.county).post(record_url(notice), {"channel": "phone", "content": "电话反映"})
    assert notice.objections.get().channel == ObjectionChannel.PHONE


def test_officials_cannot_record_an_objection_as_coming_from_the_web_page(benxi, client_of):
    notice = make_notice(benxi)
    response = client_of(benxi.township).post(record_url(notice), {"channel": "web", "content": "冒充网页"})
    assert response.status_code == 200 and response.context["form"].errors["channel"]
    assert not notice.objections.exists()


def test_an_objection_to_a_closed_certification_is_refused_with_a_message(benxi, client_of):
    notice = make_notice(benxi, start=-10, end=-3)
    notice.certification.state = CertificationState.FILED
    notice.certification.save()
    response = client_of(benxi.county).post(record_url(notice), {"channel": "visit", "content": "上门反映"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not notice.objections.exists()


def test_recording_an_objection_needs_a_published_notice(benxi, client_of):
    certification = CertificationFactory(step=5, candidate__village=benxi.village, created_by=benxi.township)
    url = reverse("candidates:objection_record", args=[certification.pk])
    assert client_of(benxi.township).get(url).status_code == 404


# Who may do what ---------------------------------------------------------------------------------


def mentor_of(candidate):
    """A mentor user who currently mentors `candidate`, so the candidate is inside what they see."""
    user = UserFactory(mentor=True)
    MentorAssignment.objects.create(candidate=candidate, mentor=MentorFactory(user=user))
    return user


def test_who_may_record_an_objection(benxi, client_of):
    notice = make_notice(benxi)
    url = record_url(notice)
    expected = {
        "anonymous": 302,
        "township": 200,
        "county": 200,
        "other township": 404,
        "other county (xinbin)": 404,
        "other county (qingyuan)": 404,
        "city of the place": 403,
        "city elsewhere": 404,
        "mentor of the candidate": 403,
        "another mentor": 404,
    }
    users = {
        "anonymous": None,
        "township": benxi.township,
        "county": benxi.county,
        "other township": UserFactory(jurisdiction=benxi_township(2)),
        "other county (xinbin)": "xinbin",
        "other county (qingyuan)": "qingyuan",
        "city of the place": UserFactory(city_staff=True),
        "city elsewhere": "city",
        "mentor of the candidate": mentor_of(notice.certification.candidate),
        "another mentor": "mentor",
    }
    got = {who: client_of(user).get(url).status_code for who, user in users.items()}
    assert got == expected
    for who, user in users.items():
        if expected[who] != 200:
            client_of(user).post(url, {"channel": "phone", "content": "越权"})
    assert not notice.objections.exists()


def test_who_may_rule_on_an_objection(benxi, client_of):
    notice = make_notice(benxi)
    objection = file_objection(notice)
    url = rule_url(objection)
    users = {
        "anonymous": (None, 302),
        "county": (benxi.county, 200),
        "township": (benxi.township, 403),
        "other township": (UserFactory(jurisdiction=benxi_township(2)), 404),
        "other county (xinbin)": ("xinbin", 404),
        "other county (qingyuan)": ("qingyuan", 404),
        "city of the place": (UserFactory(city_staff=True), 403),
        "city elsewhere": ("city", 404),
        "mentor of the candidate": (mentor_of(notice.certification.candidate), 403),
    }
    got = {who: client_of(user).get(url).status_code for who, (user, _) in users.items()}
    assert got == {who: status for who, (_, status) in users.items()}
    for user, status in users.values():
        if status != 200:
            client_of(user).post(url, {"decision": "upheld", "ruling": "越权裁定"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN
    assert anonymous_redirects_to_login(url)


def anonymous_redirects_to_login(url) -> bool:
    response = Client().get(url)
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_in_the_demo_the_township_and_county_of_the_village_act_and_their_neighbours_do_not(
    demo_user, client_of
):
    hongshi = Village.objects.get(region__name="红石村")
    place = SimpleNamespace(township=demo_user("yushu"), county=demo_user("xinbin"), village=hongshi)
    notice = make_notice(place)
    objection = file_objection(notice)
    record, rule = record_url(notice), rule_url(objection)
    assert {u: client_of(u).get(record).status_code for u in ("yushu", "yongling", "xinbin", "qingyuan")} == {
        "yushu": 200,
        "yongling": 404,
        "xinbin": 200,
        "qingyuan": 404,
    }
    assert {u: client_of(u).get(rule).status_code for u in ("yushu", "yongling", "xinbin", "qingyuan")} == {
        "yushu": 403,
        "yongling": 404,
        "xinbin": 200,
        "qingyuan": 404,
    }
