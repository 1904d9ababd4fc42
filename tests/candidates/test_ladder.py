"""The ladder: each promotion's evidence rule, who decides, eliminations, seats and reserves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from candidates import services
from candidates.choices import EliminationState, PromotionState, Stage, Status
from candidates.models import Promotion
from config.workflows import NotVisible, WorkflowError
from mentoring.models import MentorAssignment
from tests.factories import CandidateFactory, MentorFactory, UserFactory, VillageFactory, page_state
from villages import services as village_services
from villages.models import CommitteeSeat, Reserve

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def place():
    township = UserFactory()
    return {
        "township": township,
        "county": UserFactory(county_reviewer=True),
        "city": UserFactory(city_staff=True),
        "village": VillageFactory(township=township.jurisdiction, per_capita_income=Decimal("20000")),
        "outsider": User.objects.get(username="yushu"),
    }


def person(place, stage, **fields):
    return CandidateFactory(village=place["village"], status=Status.ACTIVE, stage=stage, **fields)


def seat(place, candidate, position="member"):
    return village_services.committee_seat_create(
        by=place["township"],
        village=place["village"],
        position=position,
        term_start=datetime.date(2021, 5, 1),
        candidate=candidate,
    )


def propose(place, candidate, **evidence):
    return services.promotion_propose(
        by=place["township"], candidate=candidate, evidence={"evidence": "事迹材料", **evidence}
    )


def approve(place, promotion, by="county"):
    return services.promotion_decide(
        by=place[by],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="approve",
        opinion="同意",
    )


def test_a_wealth_creator_becomes_a_member_wealth_creator_only_with_a_membership_date(place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    with pytest.raises(services.WorkflowError, match=r"预备党员|probationary"):
        propose(place, candidate)
    services.party_milestones_record(
        by=place["township"],
        candidate=candidate,
        dates={
            "party_application_on": datetime.date(2023, 3, 1),
            "probationary_on": datetime.date(2025, 7, 1),
        },
    )
    approve(place, propose(place, candidate))
    candidate.refresh_from_db()
    assert candidate.stage == Stage.MEMBER_WEALTH_CREATOR
    assert candidate.political_status == "probationary"


def test_a_party_member_needs_wealth_creation(place):
    candidate = person(place, Stage.PARTY_MEMBER)
    with pytest.raises(services.WorkflowError, match="60,000"):
        propose(place, candidate, declared_income=Decimal("50000"))
    assert propose(place, candidate, declared_income=Decimal("60001")).to_stage == Stage.MEMBER_WEALTH_CREATOR
    other = person(place, Stage.PARTY_MEMBER)
    assert propose(place, other, cooperative="红石村赤松茸合作社").state == PromotionState.PROPOSED


def test_a_member_wealth_creator_becomes_a_cadre_only_with_a_current_seat(place):
    candidate = person(place, Stage.MEMBER_WEALTH_CREATOR)
    with pytest.raises(services.WorkflowError, match=r"两委|seat"):
        propose(place, candidate)
    held = seat(place, candidate)
    promotion = propose(place, candidate)
    assert promotion.seat == held
    approve(place, promotion)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.VILLAGE_CADRE


def test_a_cadre_becomes_a_village_leader_with_a_secretary_seat_or_an_industry_certification(place):
    member = person(place, Stage.VILLAGE_CADRE)
    seat(place, member, "member")
    with pytest.raises(services.WorkflowError, match=r"书记|secretary"):
        propose(place, member)
    assert propose(place, member, industry_leader_certificate="抚顺市产业带头人认定文件").pk
    secretary = person(place, Stage.VILLAGE_CADRE)
    seat(place, secretary, "secretary")
    approve(place, propose(place, secretary))
    secretary.refresh_from_db()
    assert secretary.stage == Stage.VILLAGE_LEADER


def test_the_last_rung_needs_the_city_after_the_county(place):
    candidate = person(place, Stage.VILLAGE_LEADER)
    promotion = propose(place, candidate)
    with pytest.raises(PermissionDenied):
        approve(place, promotion)  # the county endorses; it cannot approve the last rung itself
    services.promotion_decide(
        by=place["county"],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="endorse",
        opinion="推荐",
    )
    with pytest.raises(PermissionDenied):
        approve(place, promotion, by="township")
    approve(place, promotion, by="city")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REVITALIZATION_LEADER
    assert [d.action for d in promotion.decisions.all()] == ["propose", "endorse", "approve"]


def test_a_returned_promotion_keeps_its_reason_and_can_be_resubmitted(place):
    candidate = person(place, Stage.PARTY_MEMBER)
    promotion = propose(place, candidate, business="个体工商户：山货经营部")
    with pytest.raises(services.WorkflowError):
        services.promotion_decide(
            by=place["county"], promotion=promotion, expected_state=page_state(promotion), action="return"
        )
    services.promotion_decide(
        by=place["county"],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="return",
        opinion="请补充营业执照",
    )
    promotion.refresh_from_db()
    assert promotion.state == PromotionState.RETURNED
    services.promotion_decide(
        by=place["township"],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="resubmit",
        evidence={"business": "营业执照编号210422"},
    )
    promotion.refresh_from_db()
    assert (promotion.state, promotion.business) == (PromotionState.PROPOSED, "营业执照编号210422")
    assert [d.opinion for d in promotion.decisions.all()][1] == "请补充营业执照"


def test_only_one_promotion_at_a_time_and_only_inside_the_jurisdiction(place):
    candidate = person(place, Stage.PARTY_MEMBER)
    propose(place, candidate, cooperative="合作社")
    with pytest.raises(services.WorkflowError):
        propose(place, candidate, cooperative="合作社")
    with pytest.raises(NotVisible):
        services.promotion_propose(by=place["outsider"], candidate=candidate, evidence={"evidence": "x"})
    with pytest.raises(NotVisible):
        approve(place, Promotion.objects.get(candidate=candidate), by="outsider")


def test_approval_makes_the_seats_of_the_person_count_as_wealth_creators(place):
    candidate = person(place, Stage.PARTY_MEMBER)
    held = seat(place, candidate)
    assert held.is_wealth_creator is False
    approve(place, propose(place, candidate, cooperative="合作社"))
    held.refresh_from_db()
    assert held.is_wealth_creator is True


def test_an_eliminated_candidate_can_neither_be_promoted_nor_hold_a_reserve(place):
    candidate = person(place, Stage.PARTY_MEMBER)
    reserve = village_services.reserve_designate(by=place["township"], candidate=candidate, kind="committee")
    village_services.reserve_decide(
        by=place["county"], reserve=reserve, expected_status=page_state(reserve), action="confirm"
    )
    promotion = propose(place, candidate, cooperative="合作社")
    elimination = services.elimination_propose(
        by=place["township"], candidate=candidate, reason="moved_away", details="全家迁往沈阳"
    )
    services.elimination_decide(
        by=place["county"],
        elimination=elimination,
        expected_state=page_state(elimination),
        approve=True,
        opinion="同意淘汰",
    )
    candidate.refresh_from_db()
    reserve.refresh_from_db()
    promotion.refresh_from_db()
    assert candidate.status == Status.ELIMINATED
    assert reserve.status == "removed" and reserve.removed_on == TODAY()
    assert promotion.state == PromotionState.REFUSED
    with pytest.raises(services.WorkflowError):
        propose(place, candidate, cooperative="合作社")
    with pytest.raises(WorkflowError):
        village_services.reserve_designate(by=place["township"], candidate=candidate, kind="committee")
    elimination.refresh_from_db()
    assert (elimination.state, elimination.decided_by) == (EliminationState.APPROVED, place["county"])


def test_the_mentor_of_a_candidate_may_propose_an_elimination_but_not_decide_it(place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    mentor_user = UserFactory(mentor=True)
    MentorAssignment.objects.create(candidate=candidate, mentor=MentorFactory(user=mentor_user))
    elimination = services.elimination_propose(
        by=mentor_user, candidate=candidate, reason="failed_assessment", details="连续两次考核不合格"
    )
    with pytest.raises(PermissionDenied):
        services.elimination_decide(
            by=mentor_user,
            elimination=elimination,
            expected_state=page_state(elimination),
            approve=True,
            opinion="x",
        )
    other_mentor = UserFactory(mentor=True)
    with pytest.raises(NotVisible):
        services.elimination_propose(by=other_mentor, candidate=candidate, reason="other", details="x")


def test_a_refused_elimination_keeps_the_person_in_the_programme(place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    elimination = services.elimination_propose(
        by=place["township"], candidate=candidate, reason="low_recognition", details="群众认可度下降"
    )
    services.elimination_decide(
        by=place["county"],
        elimination=elimination,
        expected_state=page_state(elimination),
        approve=False,
        opinion="经核实，不予淘汰",
    )
    candidate.refresh_from_db()
    assert candidate.status == Status.ACTIVE
    with pytest.raises(services.AlreadyDecided):
        services.elimination_decide(
            by=place["county"],
            elimination=elimination,
            expected_state=EliminationState.PROPOSED,  # a page opened before the decision
            approve=True,
            opinion="x",
        )


def test_committee_seat_terms_that_overlap_for_the_same_position_are_refused(place):
    village_services.committee_seat_create(
        by=place["township"],
        village=place["village"],
        position="secretary",
        holder_name="张三",
        term_start=datetime.date(2021, 5, 1),
        term_end=datetime.date(2026, 4, 30),
    )
    with pytest.raises(ValidationError) as clash:
        village_services.committee_seat_create(
            by=place["township"],
            village=place["village"],
            position="secretary",
            holder_name="李四",
            term_start=datetime.date(2026, 1, 1),
        )
    assert "张三" in str(clash.value)
    later = village_services.committee_seat_create(
        by=place["township"],
        village=place["village"],
        position="secretary",
        holder_name="李四",
        term_start=datetime.date(2026, 5, 1),
    )
    assert later.pk
    members = [
        village_services.committee_seat_create(
            by=place["township"],
            village=place["village"],
            position="member",
            holder_name=name,
            term_start=datetime.date(2021, 5, 1),
        )
        for name in ("王五", "赵六")
    ]
    assert len(members) == 2  # several members serve at once


def test_a_seat_is_ended_not_deleted(place):
    held = village_services.committee_seat_create(
        by=place["township"],
        village=place["village"],
        position="director",
        holder_name="张三",
        term_start=datetime.date(2021, 5, 1),
    )
    village_services.committee_seat_end(
        by=place["county"], seat=held, term_end=TODAY() - datetime.timedelta(days=1)
    )
    assert not CommitteeSeat.objects.current().filter(pk=held.pk).exists()
    assert CommitteeSeat.objects.filter(pk=held.pk).exists()


def test_reserves_are_proposed_by_the_township_and_confirmed_by_the_county(place):
    candidate = person(place, Stage.MEMBER_WEALTH_CREATOR)
    reserve = village_services.reserve_designate(by=place["township"], candidate=candidate, kind="secretary")
    assert not Reserve.objects.standing().filter(pk=reserve.pk).exists()
    with pytest.raises(PermissionDenied):
        village_services.reserve_decide(
            by=place["township"], reserve=reserve, expected_status=page_state(reserve), action="confirm"
        )
    village_services.reserve_decide(
        by=place["county"], reserve=reserve, expected_status=page_state(reserve), action="confirm"
    )
    assert Reserve.objects.standing().filter(pk=reserve.pk).exists()
    village_services.reserve_decide(
        by=place["township"],
        reserve=reserve,
        expected_status=page_state(reserve),
        action="propose_removal",
        note="外出务工",
    )
    assert Reserve.objects.standing().filter(pk=reserve.pk).exists()  # until the county confirms
    village_services.reserve_decide(
        by=place["county"], reserve=reserve, expected_status=page_state(reserve), action="confirm_removal"
    )
    reserve.refresh_from_db()
    assert (
        reserve.status == "removed" and reserve.history.latest("history_date").history_user == place["county"]
    )


def test_milestones_must_be_in_order_and_not_in_the_future(place):
    candidate = person(place, Stage.WEALTH_CREATOR)
    with pytest.raises(ValidationError) as wrong:
        services.party_milestones_record(
            by=place["township"],
            candidate=candidate,
            dates={
                "party_application_on": datetime.date(2024, 5, 1),
                "activist_on": datetime.date(2024, 1, 1),
            },
        )
    assert "activist_on" in wrong.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.party_milestones_record(
            by=place["township"],
            candidate=candidate,
            dates={"party_application_on": TODAY() + datetime.timedelta(days=1)},
        )
    assert "party_application_on" in future.value.message_dict


def test_a_seat_holder_is_no_reserve_for_the_seat_they_hold(place):
    secretary = person(place, Stage.VILLAGE_CADRE)
    seat(place, secretary, "secretary")
    with pytest.raises(WorkflowError):
        village_services.reserve_designate(by=place["township"], candidate=secretary, kind="secretary")
    with pytest.raises(WorkflowError):
        village_services.reserve_designate(by=place["township"], candidate=secretary, kind="committee")
    member = person(place, Stage.VILLAGE_CADRE)
    seat(place, member, "member")
    # A committee member may well be the secretary reserve.
    assert village_services.reserve_designate(by=place["township"], candidate=member, kind="secretary").pk
