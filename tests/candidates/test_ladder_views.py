"""The ladder pages: Party development, promotions and eliminations, through the browser's eyes."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates import services
from candidates.choices import EliminationState, PromotionState, Stage, Status
from candidates.models import Elimination, Promotion
from mentoring.models import MentorAssignment
from tests.factories import (
    CandidateFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
    page_state,
)
from villages import services as village_services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def place():
    township = UserFactory()
    mentor = UserFactory(mentor=True)
    return {
        "township": township,
        "county": UserFactory(county_reviewer=True),
        "city": UserFactory(city_staff=True),
        "mentor": mentor,
        "mentor_record": MentorFactory(user=mentor),
        "neighbour": UserFactory(jurisdiction=benxi_township(2)),
        "outsider": User.objects.get(username="yushu"),
        "village": VillageFactory(township=township.jurisdiction, per_capita_income=Decimal("20000")),
    }


def person(place, stage, **fields):
    return CandidateFactory(village=place["village"], status=Status.ACTIVE, stage=stage, **fields)


def mentee(place, stage=Stage.WEALTH_CREATOR):
    candidate = person(place, stage)
    MentorAssignment.objects.create(candidate=candidate, mentor=place["mentor_record"])
    return candidate


def propose(place, candidate, **evidence):
    return services.promotion_propose(
        by=place["township"], candidate=candidate, evidence={"evidence": "事迹材料", **evidence}
    )


def client_for(client_of, user, *, english=False):
    client = client_of(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def statuses(client_of, place, url, who):
    """The status of GET `url` for each user named in `who`, and for an anonymous visitor."""
    found = {name: client_of(place[name]).get(url).status_code for name in who}
    found["anonymous"] = client_of(None).get(url).status_code
    return found


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Party development ---------------------------------------------------------------------------------


def test_the_party_development_page_is_for_the_township_and_county_of_the_person(client_of, place):
    candidate = mentee(place)
    url = reverse("candidates:candidate_party", args=[candidate.pk])
    assert statuses(
        client_of, place, url, ["township", "county", "city", "mentor", "neighbour", "outsider"]
    ) == {
        "township": 200,
        "county": 200,
        "city": 403,
        "mentor": 403,
        "neighbour": 404,
        "outsider": 404,
        "anonymous": 302,
    }


def test_milestone_dates_out_of_order_show_the_field_error_and_nothing_is_saved(client_of, place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    client = client_for(client_of, place["township"], english=True)
    response = client.post(
        reverse("candidates:candidate_party", args=[candidate.pk]),
        {"party_application_on": "2024-05-01", "activist_on": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "cannot come before" in " ".join(response.context["form"].errors["activist_on"])
    assert "cannot come before" in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.party_application_on, candidate.activist_on) == (None, None)


def test_a_milestone_in_the_future_is_refused_on_its_field(client_of, place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client_of(place["county"]).post(
        reverse("candidates:candidate_party", args=[candidate.pk]), {"probationary_on": tomorrow.isoformat()}
    )
    assert list(response.context["form"].errors) == ["probationary_on"]
    candidate.refresh_from_db()
    assert candidate.probationary_on is None


def test_milestones_saved_through_the_page_show_on_the_person_s_page(client_of, place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    client = client_of(place["township"])
    url = reverse("candidates:candidate_party", args=[candidate.pk])
    assert client.get(url).context["form"]["activist_on"].value() is None
    response = client.post(url, {"party_application_on": "2023-03-01", "probationary_on": "2025-07-01"})
    assert response.status_code == 302 and response.url == candidate.get_absolute_url()
    candidate.refresh_from_db()
    assert candidate.probationary_on == datetime.date(2025, 7, 1)
    assert candidate.political_status == "probationary"
    page = client.get(candidate.get_absolute_url())
    assert "2025-07-01" in page.content.decode()
    assert page.context["ladder"]["can_record_milestones"] is True


# Proposing a promotion -----------------------------------------------------------------------------


def test_the_proposal_page_is_for_the_township_and_county_of_an_active_person_below_the_top(client_of, place):
    candidate = mentee(place, Stage.PARTY_MEMBER)
    url = reverse("candidates:promotion_propose", args=[candidate.pk])
    assert statuses(
        client_of, place, url, ["township", "county", "city", "mentor", "neighbour", "outsider"]
    ) == {
        "township": 200,
        "county": 200,
        "city": 403,
        "mentor": 403,
        "neighbour": 404,
        "outsider": 404,
        "anonymous": 302,
    }
    top = person(place, Stage.REVITALIZATION_LEADER)
    assert (
        client_of(place["township"]).get(reverse("candidates:promotion_propose", args=[top.pk])).status_code
        == 403
    )
    gone = CandidateFactory(village=place["village"], status=Status.ELIMINATED, stage=Stage.PARTY_MEMBER)
    assert (
        client_of(place["township"]).get(reverse("candidates:promotion_propose", args=[gone.pk])).status_code
        == 403
    )


def test_the_proposal_page_shows_the_move_its_rule_and_the_fields_it_needs(client_of, place):
    client = client_for(client_of, place["township"], english=True)
    member = person(place, Stage.PARTY_MEMBER)
    response = client.get(reverse("candidates:promotion_propose", args=[member.pk]))
    assert (response.context["from_stage"], response.context["to_stage"]) == (
        "Party member",
        "Member wealth-creator",
    )
    assert f"times {settings.PROMOTION_INCOME_FACTOR:g}" in response.context["rule"]
    assert response.context["income_threshold"] == Decimal("20000") * Decimal(
        str(settings.PROMOTION_INCOME_FACTOR)
    )
    assert set(response.context["form"].fields) == {"evidence", "declared_income", "business", "cooperative"}

    cadre = person(place, Stage.VILLAGE_CADRE)
    held = village_services.committee_seat_create(
        by=place["township"],
        village=place["village"],
        position="member",
        term_start=datetime.date(2021, 5, 1),
        candidate=cadre,
    )
    response = client.get(reverse("candidates:promotion_propose", args=[cadre.pk]))
    assert set(response.context["form"].fields) == {"evidence", "industry_leader_certificate"}
    assert response.context["seats"] == [held]


def test_a_proposal_without_the_evidence_its_rule_needs_shows_the_problem_and_creates_nothing(
    client_of, place
):
    candidate = person(place, Stage.WEALTH_CREATOR)
    client = client_for(client_of, place["township"], english=True)
    url = reverse("candidates:promotion_propose", args=[candidate.pk])
    response = client.post(url, {"evidence": "入党积极分子，带头种植"})
    assert response.status_code == 200
    assert "probationary or full Party member" in " ".join(response.context["form"].non_field_errors())
    response = client.post(url, {"evidence": ""})
    assert response.context["form"].errors["evidence"] == ["Describe the evidence."]
    assert not Promotion.objects.filter(candidate=candidate).exists()


def test_a_proposal_with_its_evidence_creates_the_promotion_and_opens_its_page(client_of, place):
    candidate = person(place, Stage.PARTY_MEMBER)
    client = client_of(place["township"])
    response = client.post(
        reverse("candidates:promotion_propose", args=[candidate.pk]),
        {"evidence": "领办合作社，带动30户增收", "cooperative": "红石村赤松茸合作社", "declared_income": ""},
    )
    promotion = Promotion.objects.get(candidate=candidate)
    assert response.status_code == 302 and response.url == promotion.get_absolute_url()
    assert (promotion.state, promotion.to_stage, promotion.cooperative) == (
        PromotionState.PROPOSED,
        Stage.MEMBER_WEALTH_CREATOR,
        "红石村赤松茸合作社",
    )
    page = client.get(candidate.get_absolute_url()).context["ladder"]
    assert page["open_promotion"] == promotion and page["can_propose_promotion"] is False
    again = client.get(reverse("candidates:promotion_propose", args=[candidate.pk]))
    assert again.context["open_promotion"] == promotion


# Deciding a promotion -------------------------------------------------------------------------------


def decide(client, promotion, action, opinion="", **data):
    return client.post(
        promotion.get_absolute_url(),
        {"expected_state": promotion.state, "action": action, "opinion": opinion, **data},
    )


def test_the_promotion_page_is_read_by_everyone_inside_and_hidden_outside(client_of, place):
    promotion = propose(place, mentee(place, Stage.PARTY_MEMBER), cooperative="合作社")
    url = promotion.get_absolute_url()
    assert statuses(
        client_of, place, url, ["township", "county", "city", "mentor", "neighbour", "outsider"]
    ) == {
        "township": 200,
        "county": 200,
        "city": 200,
        "mentor": 200,
        "neighbour": 404,
        "outsider": 404,
        "anonymous": 302,
    }


def test_the_county_approves_through_the_page_and_the_person_moves_up(client_of, place):
    candidate = person(place, Stage.PARTY_MEMBER)
    promotion = propose(place, candidate, cooperative="合作社")
    county = client_of(place["county"])
    assert [action for action, _label in county.get(promotion.get_absolute_url()).context["actions"]] == [
        "approve",
        "return",
        "refuse",
    ]
    assert client_of(place["township"]).get(promotion.get_absolute_url()).context["actions"] == []
    response = decide(county, promotion, "approve", "同意")
    assert response.status_code == 302
    candidate.refresh_from_db()
    promotion.refresh_from_db()
    assert candidate.stage == Stage.MEMBER_WEALTH_CREATOR
    assert promotion.state == PromotionState.APPROVED
    log = county.get(promotion.get_absolute_url()).context["decisions"]
    assert [(d.action, d.by, d.opinion) for d in log] == [
        ("propose", place["township"], ""),
        ("approve", place["county"], "同意"),
    ]


def test_on_the_last_rung_the_county_endorses_and_the_city_approves(client_of, place):
    candidate = person(place, Stage.VILLAGE_LEADER)
    promotion = propose(place, candidate)
    county, city = client_of(place["county"]), client_of(place["city"])
    actions = [action for action, _label in county.get(promotion.get_absolute_url()).context["actions"]]
    assert "endorse" in actions and "approve" not in actions
    assert city.get(promotion.get_absolute_url()).context["actions"] == []
    decide(county, promotion, "endorse", "推荐")
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.ENDORSED
    assert "approve" in [
        action for action, _label in city.get(promotion.get_absolute_url()).context["actions"]
    ]
    decide(city, promotion, "approve", "同意")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REVITALIZATION_LEADER


def test_a_returned_promotion_goes_back_to_its_proposer_who_completes_and_resubmits_it(client_of, place):
    promotion = propose(place, person(place, Stage.PARTY_MEMBER), business="山货经营部")
    county = client_for(client_of, place["county"], english=True)
    response = decide(county, promotion, "return")
    assert "Say why" in " ".join(response.context["form"].non_field_errors())
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.PROPOSED
    decide(county, promotion, "return", "请补充营业执照")
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.RETURNED

    township = client_of(place["township"])
    page = township.get(promotion.get_absolute_url())
    assert page.context["returned_because"] == "请补充营业执照"
    assert [action for action, _label in page.context["actions"]] == ["resubmit"]
    assert page.context["form"]["business"].value() == "山货经营部"
    response = decide(
        township, promotion, "resubmit", "已补充", evidence="营业执照已补充", business="营业执照编号210422"
    )
    assert response.status_code == 302
    promotion.refresh_from_db()
    assert (promotion.state, promotion.business, promotion.evidence) == (
        PromotionState.PROPOSED,
        "营业执照编号210422",
        "营业执照已补充",
    )


def test_a_stale_page_gets_a_message_naming_who_decided(client_of, place):
    promotion = propose(place, person(place, Stage.PARTY_MEMBER), cooperative="合作社")
    first = place["county"]
    second = UserFactory(county_reviewer=True, name="第二审核人")
    decide(client_of(first), promotion, "approve", "同意")
    late = client_for(client_of, second, english=True)
    response = late.post(
        promotion.get_absolute_url(), {"expected_state": "proposed", "action": "refuse", "opinion": "不同意"}
    )
    assert response.status_code == 302
    assert any(first.name in text and "already decided" in text for text in message_texts(response))
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.APPROVED
    assert [d.action for d in promotion.decisions.all()] == ["propose", "approve"]


def test_someone_who_may_not_decide_is_refused_when_posting(client_of, place):
    promotion = propose(place, mentee(place, Stage.PARTY_MEMBER), cooperative="合作社")
    for name in ("township", "city", "mentor"):
        assert decide(client_of(place[name]), promotion, "approve", "同意").status_code == 403
    assert decide(client_of(place["outsider"]), promotion, "approve", "同意").status_code == 404
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.PROPOSED


# Eliminations --------------------------------------------------------------------------------------


def test_the_elimination_proposal_is_for_the_township_and_the_person_s_mentor(client_of, place):
    candidate = mentee(place)
    url = reverse("candidates:elimination_propose", args=[candidate.pk])
    assert statuses(
        client_of, place, url, ["township", "mentor", "county", "city", "neighbour", "outsider"]
    ) == {
        "township": 200,
        "mentor": 200,
        "county": 403,
        "city": 403,
        "neighbour": 404,
        "outsider": 404,
        "anonymous": 302,
    }
    stranger = person(place, Stage.WEALTH_CREATOR)
    assert (
        client_of(place["mentor"])
        .get(reverse("candidates:elimination_propose", args=[stranger.pk]))
        .status_code
        == 404
    )


def test_a_mentor_proposes_the_elimination_of_a_mentee(client_of, place):
    candidate = mentee(place)
    client = client_for(client_of, place["mentor"], english=True)
    url = reverse("candidates:elimination_propose", args=[candidate.pk])
    response = client.post(url, {"reason": "", "details": ""})
    assert set(response.context["form"].errors) == {"reason", "details"}
    assert not Elimination.objects.filter(candidate=candidate).exists()
    response = client.post(url, {"reason": "failed_assessment", "details": "连续两次考核不合格"})
    elimination = Elimination.objects.get(candidate=candidate)
    assert response.status_code == 302 and response.url == elimination.get_absolute_url()
    assert (elimination.proposed_by, elimination.reason) == (place["mentor"], "failed_assessment")
    assert client.get(url).context["pending"] == elimination


def test_the_elimination_page_is_read_by_everyone_inside_and_hidden_outside(client_of, place):
    elimination = services.elimination_propose(
        by=place["township"], candidate=mentee(place), reason="own_request", details="本人申请退出"
    )
    url = elimination.get_absolute_url()
    assert statuses(
        client_of, place, url, ["township", "county", "city", "mentor", "neighbour", "outsider"]
    ) == {
        "township": 200,
        "county": 200,
        "city": 200,
        "mentor": 200,
        "neighbour": 404,
        "outsider": 404,
        "anonymous": 302,
    }


def test_the_county_decides_an_elimination_and_the_person_leaves_the_reserves(client_of, place):
    candidate = person(place, Stage.PARTY_MEMBER)
    reserve = village_services.reserve_designate(by=place["township"], candidate=candidate, kind="committee")
    village_services.reserve_decide(
        by=place["county"], reserve=reserve, expected_status=page_state(reserve), action="confirm"
    )
    elimination = services.elimination_propose(
        by=place["township"], candidate=candidate, reason="moved_away", details="全家迁往沈阳"
    )
    url = elimination.get_absolute_url()
    county = client_of(place["county"])
    page = county.get(url)
    assert [decision for decision, _label in page.context["actions"]] == ["approve", "refuse"]
    assert page.context["reserve"] == reserve
    assert client_of(place["township"]).get(url).context["actions"] == []
    response = county.post(url, {"expected_state": "proposed", "decision": "approve", "opinion": ""})
    assert "opinion" in response.context["form"].errors
    assert (
        client_of(place["township"])
        .post(url, {"expected_state": "proposed", "decision": "approve", "opinion": "同意"})
        .status_code
        == 403
    )
    response = county.post(url, {"expected_state": "proposed", "decision": "approve", "opinion": "同意淘汰"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    reserve.refresh_from_db()
    elimination.refresh_from_db()
    assert candidate.status == Status.ELIMINATED
    assert reserve.status == "removed"
    assert (elimination.state, elimination.decided_by) == (EliminationState.APPROVED, place["county"])
    person_page = client_of(place["township"]).get(candidate.get_absolute_url()).context["ladder"]
    assert person_page["elimination"] == elimination
    assert not person_page["can_propose_elimination"] and not person_page["can_propose_promotion"]


def test_a_second_county_reviewer_on_a_stale_elimination_page_is_told_who_decided(client_of, place):
    elimination = services.elimination_propose(
        by=place["township"],
        candidate=person(place, Stage.WEALTH_CREATOR),
        reason="own_request",
        details="本人申请",
    )
    services.elimination_decide(
        by=place["county"],
        elimination=elimination,
        expected_state=page_state(elimination),
        approve=False,
        opinion="不予淘汰",
    )
    late = client_for(client_of, UserFactory(county_reviewer=True), english=True)
    response = late.post(
        elimination.get_absolute_url(),
        {"expected_state": "proposed", "decision": "approve", "opinion": "同意"},
    )
    assert response.status_code == 302
    assert any(place["county"].name in text for text in message_texts(response))
    elimination.refresh_from_db()
    assert elimination.state == EliminationState.REFUSED


# The elimination list ------------------------------------------------------------------------------


def eliminated(village, county, *, reason="moved_away", decided=None, state=EliminationState.APPROVED):
    """An elimination decided on `decided`, written directly: the list reads records, the services are
    tested elsewhere."""
    candidate = CandidateFactory(village=village, status=Status.ELIMINATED, stage=Stage.WEALTH_CREATOR)
    decided = decided or timezone.now()
    return Elimination.objects.create(
        candidate=candidate,
        reason=reason,
        details="说明",
        state=state,
        proposed_by=county,
        proposed_at=decided - datetime.timedelta(days=10),
        decided_by=None if state == EliminationState.PROPOSED else county,
        decided_at=None if state == EliminationState.PROPOSED else decided,
    )


def at(year):
    return timezone.make_aware(datetime.datetime(year, 6, 15, 10))


def names(response):
    return {row.record.candidate.name for row in response.context["table"].page.object_list}


def test_the_list_shows_approved_eliminations_by_year_region_and_reason(client_of, place):
    county = place["county"]
    other_village = VillageFactory(township=benxi_township(2))
    old = eliminated(place["village"], county, reason="violation", decided=at(2022))
    recent = eliminated(place["village"], county, reason="moved_away", decided=at(2025))
    elsewhere = eliminated(other_village, county, reason="moved_away", decided=at(2025))
    refused = eliminated(place["village"], county, state=EliminationState.REFUSED, decided=at(2025))
    waiting = eliminated(place["village"], county, state=EliminationState.PROPOSED)
    client = client_of(UserFactory(city_staff=True))
    url = reverse("candidates:elimination_list")
    every_approved = {e.candidate.name for e in (old, recent, elsewhere)}

    response = client.get(url)
    assert names(response) == every_approved
    assert {"2022", "2025"} <= {
        value for value, _label in response.context["filter"].form.fields["year"].choices
    }
    assert names(client.get(url, {"year": "2025"})) == {recent.candidate.name, elsewhere.candidate.name}
    assert names(client.get(url, {"region": benxi_township(2).code})) == {elsewhere.candidate.name}
    assert names(client.get(url, {"reason": "violation"})) == {old.candidate.name}
    assert names(client.get(url, {"state": "proposed"})) == {waiting.candidate.name}
    assert names(client.get(url, {"state": ""})) == every_approved | {
        refused.candidate.name,
        waiting.candidate.name,
    }
    counts = {row["reason"]: row["count"] for row in client.get(url, {"year": "2025"}).context["counts"]}
    assert (counts["moved_away"], counts["violation"]) == (2, 0)


def test_the_list_shows_each_user_only_their_jurisdiction(client_of, place):
    mine = eliminated(place["village"], place["county"])
    theirs = eliminated(VillageFactory(township=benxi_township(2)), place["county"])
    assert names(client_of(place["township"]).get(reverse("candidates:elimination_list"))) == {
        mine.candidate.name
    }
    assert theirs.candidate.name in names(
        client_of(place["county"]).get(reverse("candidates:elimination_list"))
    )
    assert not names(client_of(place["outsider"]).get(reverse("candidates:elimination_list"))) & {
        mine.candidate.name,
        theirs.candidate.name,
    }
    assert client_of(None).get(reverse("candidates:elimination_list")).status_code == 302


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"per_page": 100, "state": ""})
    assert response.status_code == 200
    return len(captured), response


def test_the_elimination_list_costs_the_same_queries_for_10_and_100_rows(
    client_of, place, django_assert_max_num_queries
):
    county = place["county"]
    client = client_of(county)
    url = reverse("candidates:elimination_list")
    reasons = ["moved_away", "violation", "own_request", "other"]
    for n in range(10):
        eliminated(place["village"], county, reason=reasons[n % 4], decided=at(2020 + n % 5))
    ten, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 10
    for n in range(90):
        eliminated(place["village"], county, reason=reasons[n % 4], decided=at(2015 + n % 10))
    with django_assert_max_num_queries(ten):
        _, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 100
