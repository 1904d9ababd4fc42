"""The work queue at `/`: what awaits each role, inside its jurisdiction only, at a constant query cost."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from candidates.models import Candidate, Elimination, Objection, Promotion, PromotionDecision, PublicNotice
from mentoring.models import MentorAssignment
from reports import rollups
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    MentorFactory,
    ReserveFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
HOME = "/"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def other_county_township():
    """A township of 溪湖区, the county next to the factories' 平山区 in 本溪市."""
    city = benxi_township().parent.parent
    county = region("210503000000", "溪湖区", city)
    return region("210503100000", "测试溪湖镇", county)


def english(client):
    """The same client reading the page in English, so assertions do not depend on the catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def certification(village, step, *, name=None, started=None, due=None, **kwargs):
    started = started or days(-1)
    candidate = {"candidate__name": name} if name else {}
    return CertificationFactory(
        step=step,
        candidate__village=village,
        step_started_on=started,
        step_due_on=due or days(7),
        **candidate,
        **kwargs,
    )


def notice(cert, *, start, end, by):
    return PublicNotice.objects.create(
        certification=cert, start_date=start, end_date=end, working_days=5, published_by=by
    )


def sections(response):
    return {section.key: section for section in response.context["queue"].sections}


def labels(section):
    return [item.label for item in section.items]


def mentor_everyone():
    """Every active candidate of the programme has a mentor; without one, the county's "without mentor"
    section would list the people of a test, who must appear only where the test expects them."""
    from mentoring.models import MentorAssignment
    from tests.factories import MentorFactory

    mentor = MentorFactory()
    mentored = MentorAssignment.objects.current().values("candidate")
    for person in Candidate.objects.filter(status="active", village__region__code__startswith="2105").exclude(
        pk__in=mentored
    ):
        MentorAssignment.objects.create(candidate=person, mentor=mentor)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_township_official_sees_steps_1_to_4_of_its_township_and_nothing_else(client_of):
    official = UserFactory()
    village = VillageFactory(township=official.jurisdiction)
    for step in range(1, 8):
        certification(village, step, name=f"步骤{step}人")
    certification(VillageFactory(township=benxi_township(2)), 1, name="邻镇人")

    response = english(client_of(official)).get(HOME)
    page = response.content.decode()

    assert list(sections(response)) == [
        "step-1",
        "step-2",
        "step-3",
        "step-4",
        "notices-running",
        "promotions-returned",
    ]
    for step in range(1, 5):
        assert f"步骤{step}人" in page
        assert labels(sections(response)[f"step-{step}"]) == [f"步骤{step}人"]
    for step in range(5, 8):
        assert f"步骤{step}人" not in page
    assert "邻镇人" not in page
    assert official.jurisdiction.name in page  # the welcome line names the jurisdiction
    assert "Township official" in page


def test_each_waiting_certification_links_to_its_page_oldest_first(client_of):
    official = UserFactory()
    village = VillageFactory(township=official.jurisdiction)
    newer = certification(village, 2, name="新近", started=days(-1))
    older = certification(village, 2, name="早先", started=days(-9))

    response = client_of(official).get(HOME)
    step_2 = sections(response)["step-2"]

    assert labels(step_2) == ["早先", "新近"]
    assert [item.url for item in step_2.items] == [
        reverse("candidates:certification_detail", args=[older.pk]),
        reverse("candidates:certification_detail", args=[newer.pk]),
    ]
    assert (
        f'href="{reverse("candidates:certification_detail", args=[older.pk])}"' in response.content.decode()
    )
    assert step_2.items[0].place == village.region.name


def test_a_section_lists_ten_items_and_links_to_the_whole_filtered_list(client_of):
    official = UserFactory()
    village = VillageFactory(township=official.jurisdiction)
    for n in range(12):
        certification(village, 1, name=f"第{n:02d}位", started=days(-20 + n))

    response = english(client_of(official)).get(HOME)
    step_1 = sections(response)["step-1"]

    assert step_1.count == 12
    assert labels(step_1) == [f"第{n:02d}位" for n in range(10)]
    assert step_1.see_all_url == reverse("candidates:candidate_list") + "?step=1"
    page = response.content.decode()
    assert f'href="{step_1.see_all_url}"' in page
    assert "The first 10 of 12." in page


def test_overdue_certifications_are_flagged_and_counted(client_of):
    official = UserFactory()
    village = VillageFactory(township=official.jurisdiction)
    certification(village, 3, name="逾期者", started=days(-30), due=days(-2))
    certification(village, 3, name="按期者", due=days(3))

    response = english(client_of(official)).get(HOME)
    flags = {item.label: item.overdue for item in sections(response)["step-3"].items}
    overdue_figure = next(f for f in response.context["queue"].figures if f.url.endswith("?overdue=1"))

    assert flags == {"逾期者": True, "按期者": False}
    assert overdue_figure.value == 1 and overdue_figure.alert
    assert response.content.decode().count(">Overdue</span>") == 1


def test_prospects_not_yet_nominated_are_counted_with_a_link_to_the_prospect_list(client_of):
    official = UserFactory()
    village = VillageFactory(township=official.jurisdiction)
    CandidateFactory.create_batch(3, village=village)
    CandidateFactory(village=VillageFactory(township=benxi_township(2)))

    response = client_of(official).get(HOME)
    figure = next(f for f in response.context["queue"].figures if "status=prospect" in f.url)

    assert figure.value == 3
    assert figure.url == reverse("candidates:candidate_list") + "?status=prospect"
    assert f'href="{figure.url}"' in response.content.decode()


def test_a_township_official_sees_the_running_notices_of_its_township_to_record_objections(client_of):
    official = UserFactory()
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=official.jurisdiction)
    running = certification(village, 6, name="公示中")
    notice(running, start=days(-2), end=days(3), by=county)
    notice(certification(village, 6, name="未开始"), start=days(2), end=days(8), by=county)
    elsewhere = certification(VillageFactory(township=benxi_township(2)), 6, name="邻镇公示")
    notice(elsewhere, start=days(-2), end=days(3), by=county)

    response = client_of(official).get(HOME)
    running_notices = sections(response)["notices-running"]

    assert labels(running_notices) == ["公示中"]
    record = reverse("candidates:objection_record", args=[running.pk])
    assert running_notices.items[0].action_url == record
    assert f'href="{record}"' in response.content.decode()


def test_a_county_reviewer_sees_steps_5_to_7_of_its_county_and_nothing_of_another_county(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township())
    for step in range(1, 8):
        certification(village, step, name=f"步骤{step}人")
    certification(VillageFactory(township=other_county_township()), 5, name="邻县人", due=days(-1))

    response = client_of(reviewer).get(HOME)
    page = response.content.decode()
    queue = sections(response)

    assert [key for key in queue if key.startswith("step-")] == ["step-5", "step-6", "step-7"]
    for step in range(5, 8):
        assert labels(queue[f"step-{step}"]) == [f"步骤{step}人"]
    assert "邻县人" not in page
    assert queue["overdue"].count == 0


def test_a_county_reviewer_is_shown_open_objections_with_a_link_to_the_ruling_page(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township())
    cert_notice = notice(certification(village, 6, name="被异议"), start=days(-3), end=days(2), by=reviewer)
    open_one = Objection.objects.create(notice=cert_notice, content="此人有不良信用记录")
    Objection.objects.create(notice=cert_notice, content="已处理的异议", status="dismissed")
    far_village = VillageFactory(township=other_county_township())
    far_notice = notice(
        certification(far_village, 6, name="邻县异议"), start=days(-3), end=days(2), by=reviewer
    )
    Objection.objects.create(notice=far_notice, content="邻县的异议")

    response = client_of(reviewer).get(HOME)
    objections = sections(response)["objections"]

    assert objections.count == 1
    assert labels(objections) == ["被异议"]
    rule = reverse("candidates:objection_rule", args=[open_one.pk])
    assert objections.items[0].url == rule
    page = response.content.decode()
    assert f'href="{rule}"' in page and "此人有不良信用记录" in page
    assert "已处理的异议" not in page and "邻县异议" not in page


def test_a_county_reviewer_sees_notices_ending_soon_and_those_ended_awaiting_step_6(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township(3))
    notice(certification(village, 6, name="将结束"), start=days(-3), end=days(2), by=reviewer)
    notice(certification(village, 6, name="已结束"), start=days(-9), end=days(-2), by=reviewer)
    notice(certification(village, 6, name="还早"), start=days(-1), end=days(8), by=reviewer)
    far = VillageFactory(township=other_county_township())
    notice(certification(far, 6, name="邻县将结束"), start=days(-3), end=days(1), by=reviewer)

    response = english(client_of(reviewer)).get(HOME)
    ending = sections(response)["notices-ending"]

    assert labels(ending) == ["已结束", "将结束"]
    assert [item.ended for item in ending.items] == [True, False]
    assert ">Notice ended</span>" in response.content.decode()


def test_a_county_reviewer_sees_overdue_items_at_any_step_to_chase_the_townships(client_of):
    reviewer = UserFactory(county_reviewer=True)
    late = certification(VillageFactory(township=benxi_township(2)), 2, name="乡镇拖延", due=days(-5))
    certification(VillageFactory(township=benxi_township()), 5, name="县里拖延", due=days(-1))
    certification(VillageFactory(township=benxi_township()), 2, name="未逾期", due=days(5))

    response = client_of(reviewer).get(HOME)
    overdue = sections(response)["overdue"]

    assert overdue.count == 2
    assert labels(overdue) == ["乡镇拖延", "县里拖延"]
    assert overdue.items[0].url == reverse("candidates:certification_detail", args=[late.pk])
    assert benxi_township(2).name in overdue.items[0].place
    assert overdue.see_all_url == reverse("candidates:candidate_list") + "?overdue=1"
    assert all(item.overdue for item in overdue.items)


def test_city_staff_see_overdue_counts_per_county_and_work_in_progress_by_step(client_of):
    staff = UserFactory(city_staff=True)
    pingshan = VillageFactory(township=benxi_township())
    xihu = VillageFactory(township=other_county_township())
    certification(pingshan, 2, due=days(-1))
    certification(pingshan, 5, due=days(-3))
    certification(xihu, 5, due=days(-3))
    certification(xihu, 6)

    response = english(client_of(staff)).get(HOME)
    queue = sections(response)
    by_county = {item.label: item for item in queue["overdue-by-region"].items}
    by_step = [item.count for item in queue["in-progress-by-step"].items]

    assert {name: item.count for name, item in by_county.items()} == {"平山区": 2, "溪湖区": 1}
    assert by_county["溪湖区"].url == reverse("candidates:candidate_list") + "?region=210503000000&overdue=1"
    assert by_step == [0, 1, 0, 0, 2, 1, 0]
    page = response.content.decode()
    assert f'href="{by_county["溪湖区"].url.replace("&", "&amp;")}"' in page
    assert "The first" not in page  # the tables list every county and every step


def test_a_mentor_without_mentees_sees_an_empty_state(client_of):
    mentor = UserFactory(mentor=True)
    CandidateFactory(village=VillageFactory(township=benxi_township()), active=True)

    response = english(client_of(mentor)).get(HOME)
    mentees = sections(response)["mentees"]

    assert response.status_code == 200
    assert mentees.count == 0 and mentees.items == []
    assert "No candidate is assigned to you yet" in response.content.decode()


def test_a_mentor_sees_their_mentees_and_nobody_else(client_of):
    mentor = UserFactory(mentor=True)
    village = VillageFactory(township=benxi_township())
    mentee = CandidateFactory(village=village, active=True, name="帮带对象")
    CandidateFactory(village=village, active=True, name="别人的")
    MentorAssignment.objects.create(candidate=mentee, mentor=MentorFactory(user=mentor))

    response = client_of(mentor).get(HOME)
    mentees = sections(response)["mentees"]

    assert labels(mentees) == ["帮带对象"]
    assert mentees.items[0].url == reverse("candidates:candidate_detail", args=[mentee.pk])
    assert "别人的" not in response.content.decode()


def test_an_administrator_is_pointed_to_the_administration(client_of):
    admin = UserFactory(role=Role.ADMINISTRATOR, jurisdiction=None)

    response = client_of(admin).get(HOME)

    assert response.status_code == 200
    assert list(sections(response)) == ["administration"]
    assert f'href="{reverse("admin:index")}"' in response.content.decode()


# The ladder and the reserves -------------------------------------------------------------------


def promotion(village, state, *, name=None, by=None, proposed=None, to_stage="member_wealth_creator"):
    candidate = CandidateFactory(village=village, active=True, **({"name": name} if name else {}))
    return Promotion.objects.create(
        candidate=candidate,
        from_stage="wealth_creator",
        to_stage=to_stage,
        state=state,
        evidence="已转为预备党员",
        proposed_by=by or UserFactory(),
        proposed_at=proposed or timezone.now(),
    )


def elimination(village, state="proposed", *, name=None, by=None):
    candidate = CandidateFactory(village=village, active=True, **({"name": name} if name else {}))
    return Elimination.objects.create(
        candidate=candidate,
        reason="moved_away",
        details="全家迁往沈阳",
        state=state,
        proposed_by=by or UserFactory(),
    )


def test_a_county_reviewer_sees_the_promotions_awaiting_the_county_with_links_to_decide(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township(2))
    older = promotion(
        village, "proposed", name="早提出", proposed=timezone.now() - datetime.timedelta(days=5)
    )
    promotion(village, "proposed", name="晚提出")
    promotion(village, "endorsed", name="待市里")
    promotion(village, "approved", name="已批准")
    promotion(VillageFactory(township=other_county_township()), "proposed", name="邻县提出")

    mentor_everyone()
    response = english(client_of(reviewer)).get(HOME)
    awaiting = sections(response)["promotions-awaiting-county"]
    page = response.content.decode()

    assert awaiting.count == 2
    assert labels(awaiting) == ["早提出", "晚提出"]
    url = reverse("candidates:promotion_detail", args=[older.pk])
    assert awaiting.items[0].url == url and f'href="{url}"' in page
    assert "Wealth-creator → Member wealth-creator" in page
    assert benxi_township(2).name in awaiting.items[0].place
    assert "待市里" not in page and "已批准" not in page and "邻县提出" not in page


def test_a_county_reviewer_sees_the_eliminations_awaiting_the_county(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township())
    waiting = elimination(village, name="待淘汰")
    elimination(village, "approved", name="已淘汰")
    elimination(VillageFactory(township=other_county_township()), name="邻县淘汰")

    mentor_everyone()
    response = english(client_of(reviewer)).get(HOME)
    eliminations = sections(response)["eliminations-awaiting"]
    page = response.content.decode()

    assert eliminations.count == 1 and labels(eliminations) == ["待淘汰"]
    url = reverse("candidates:elimination_detail", args=[waiting.pk])
    assert f'href="{url}"' in page and "Moved away" in page
    assert "已淘汰" not in page and "邻县淘汰" not in page


def test_a_county_reviewer_sees_reserve_designations_and_removals_to_confirm(client_of):
    reviewer = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township())
    proposed = ReserveFactory(village=village, status="proposed", kind="secretary", candidate__name="新后备")
    ReserveFactory(village=village, status="removal_proposed", candidate__name="拟调整")
    ReserveFactory(village=village, status="confirmed", candidate__name="已确定")
    ReserveFactory(village=VillageFactory(township=other_county_township()), candidate__name="邻县后备")

    mentor_everyone()
    response = english(client_of(reviewer)).get(HOME)
    reserves = sections(response)["reserves-awaiting"]
    page = response.content.decode()

    assert reserves.count == 2
    assert sorted(labels(reserves)) == ["拟调整", "新后备"]
    url = reverse("villages:reserve_detail", args=[proposed.pk])
    assert f'href="{url}"' in page
    assert "Secretary reserve · Proposed, awaiting the county" in page
    assert "Committee reserve · Removal proposed" in page
    assert "已确定" not in page and "邻县后备" not in page


def test_city_staff_see_the_promotions_the_counties_endorsed(client_of):
    staff = UserFactory(city_staff=True)
    endorsed = promotion(
        VillageFactory(township=other_county_township()),
        "endorsed",
        name="待市批准",
        to_stage="revitalization_leader",
    )
    promotion(VillageFactory(township=benxi_township()), "proposed", name="县里未决")

    response = client_of(staff).get(HOME)
    awaiting = sections(response)["promotions-awaiting-city"]

    assert awaiting.count == 1 and labels(awaiting) == ["待市批准"]
    assert awaiting.items[0].url == reverse("candidates:promotion_detail", args=[endorsed.pk])
    assert "县里未决" not in response.content.decode()


def test_a_township_official_sees_the_promotions_returned_with_the_reason(client_of):
    official = UserFactory()
    county = UserFactory(county_reviewer=True)
    returned = promotion(
        VillageFactory(township=official.jurisdiction), "returned", name="被退回", by=official
    )
    PromotionDecision.objects.create(promotion=returned, action="return", opinion="请补充入党材料", by=county)
    promotion(VillageFactory(township=official.jurisdiction), "proposed", name="待县里")
    promotion(VillageFactory(township=benxi_township(2)), "returned", name="邻镇退回")

    response = client_of(official).get(HOME)
    section = sections(response)["promotions-returned"]
    page = response.content.decode()

    assert section.count == 1 and labels(section) == ["被退回"]
    assert section.items[0].url == reverse("candidates:promotion_detail", args=[returned.pk])
    assert section.items[0].since == TODAY
    assert "请补充入党材料" in page
    assert "待县里" not in page and "邻镇退回" not in page


def reserves(village, secretary=0, committee=0, status="confirmed"):
    for _ in range(secretary):
        ReserveFactory(village=village, kind="secretary", status=status)
    for _ in range(committee):
        ReserveFactory(village=village, kind="committee", status=status)


@pytest.mark.parametrize("role", ["township_official", "county_reviewer"])
def test_villages_short_of_reserves_are_counted_with_a_link_to_the_shortfall_list(role, client_of):
    user = UserFactory() if role == "township_official" else UserFactory(county_reviewer=True)
    township = benxi_township()
    reserves(VillageFactory(township=township), secretary=1, committee=3)  # meets the target
    full = VillageFactory(township=township)
    reserves(full, secretary=2, committee=2)
    reserves(full, committee=1, status="removal_proposed")  # still counts until the county confirms
    reserves(VillageFactory(township=township), secretary=1, committee=2)  # short of one
    waiting = VillageFactory(township=township)
    reserves(waiting, secretary=1, committee=3, status="proposed")  # not yet confirmed: short
    VillageFactory(township=township)  # no reserve at all
    reserves(VillageFactory(township=other_county_township()))  # elsewhere

    response = client_of(user).get(HOME)
    figure = next(
        f for f in response.context["queue"].figures if f.url == reverse("villages:reserve_shortfall")
    )

    assert figure.value == 3
    assert figure.alert
    assert f'href="{figure.url}"' in response.content.decode()


def test_demo_users_of_every_role_get_their_work_queue(client_of):
    for username in ("admin", "city", "xinbin", "yushu", "mentor"):
        assert client_of(username).get(HOME).status_code == 200


def _fill(count):
    """`count` waiting items of every kind in 本溪's first township, half of them overdue. The rollups are
    recounted once at the end (as an import does), not after each of the hundreds of writes: the work
    queue does not read them, and the test would spend minutes recounting."""
    with rollups.batch():
        _fill_items(count)


def _fill_items(count):
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=benxi_township())
    prospects_village = VillageFactory(township=benxi_township())
    for n in range(count):
        due = days(-1) if n % 2 else days(3)
        for step in range(1, 8):
            cert = certification(village, step, due=due, created_by=county)
            if step == 6:
                running = notice(cert, start=days(-3), end=days(n % 3), by=county)
                Objection.objects.create(notice=running, content="异议")
        CandidateFactory(village=prospects_village)
        for state in ("proposed", "endorsed", "returned"):
            waiting = promotion(village, state, by=county)
            PromotionDecision.objects.create(promotion=waiting, action="return", opinion="补充", by=county)
        elimination(village, by=county)
        ReserveFactory(village=VillageFactory(township=benxi_township()), status="proposed")


ROLES = {
    "township_official": {},
    "county_reviewer": {"county_reviewer": True},
    "city_staff": {"city_staff": True},
}


def _at_most(queries, allowed):
    """django_assert_max_num_queries' message: the count and every query."""
    listed = "\n".join(f"{n}. {query['sql']}" for n, query in enumerate(queries, start=1))
    return f"{len(queries)} queries, expected at most {len(allowed)}:\n{listed}"


@pytest.fixture(scope="class")
def growing_queues(class_transaction, django_db_blocker):
    """The work queue of a user of each role whose region holds 1, then 10, then 100 waiting items of every
    kind: {role: [(queries, response) at 1, 10, 100]}. The items are the same for the three roles: made once
    for the class that asks (and rolled back after it), each stage read by the three users before the next
    is added."""
    with django_db_blocker.unblock():
        clients = {}
        for role, traits in ROLES.items():
            clients[role] = Client()
            clients[role].force_login(UserFactory(**traits))
        seen = {role: [] for role in ROLES}
        # One item of each kind first: a query per listed row would show as soon as the lists grow.
        for count in (1, 9, 90):
            _fill(count)
            for role, client in clients.items():
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(HOME)
                assert response.status_code == 200
                seen[role].append((captured.captured_queries, response))
    return seen


class TestTheQueryCount:
    """Its own class, so that the items of `growing_queues` are gone before any other test runs."""

    @pytest.mark.parametrize("role", ROLES)
    def test_the_work_queue_costs_the_same_queries_for_1_10_and_100_waiting_items(self, role, growing_queues):
        (one, _), (ten, _), (hundred, response) = growing_queues[role]
        assert len(ten) <= len(one), _at_most(ten, one)
        assert len(hundred) <= len(one), _at_most(hundred, one)
        awaiting = {"township_official": 4 * 100, "county_reviewer": 3 * 100, "city_staff": 7 * 100}[role]
        assert response.context["queue"].figures[0].value == awaiting
        waiting = [s for s in response.context["queue"].sections if s.key.startswith("step-")]
        assert all(s.count == 100 and len(s.items) == 10 for s in waiting)
        ladder = {
            "township_official": ["promotions-returned"],
            "county_reviewer": ["promotions-awaiting-county", "eliminations-awaiting", "reserves-awaiting"],
            "city_staff": ["promotions-awaiting-city"],
        }[role]
        for key in ladder:
            assert sections(response)[key].count == 100 and len(sections(response)[key].items) == 10
