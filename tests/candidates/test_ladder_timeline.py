"""The ladder on a person's timeline: Party milestones, promotions, seats, reserves and eliminations."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import services
from candidates.models import Elimination, Promotion, PromotionDecision
from tests.factories import CandidateFactory, CommitteeSeatFactory, UserFactory, VillageFactory, page_state
from villages import services as village_services
from villages.models import Reserve

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def place():
    township = UserFactory()
    return {
        "township": township,
        "county": UserFactory(county_reviewer=True),
        "village": VillageFactory(township=township.jurisdiction, per_capita_income=Decimal("20000")),
    }


def timeline(client, candidate):
    response = client.get(candidate.get_absolute_url())
    assert response.status_code == 200
    return response.context["timeline"], response.content.decode()


def titles(events, kind):
    return [event.title for event in events if event.kind == kind]


def test_party_milestones_show_one_event_per_date_recorded(client_of, place):
    candidate = CandidateFactory(village=place["village"], active=True)
    services.party_milestones_record(
        by=place["township"],
        candidate=candidate,
        dates={
            "party_application_on": datetime.date(2023, 3, 1),
            "probationary_on": datetime.date(2025, 7, 1),
        },
    )

    events, _page = timeline(english(client_of(place["township"])), candidate)
    party = [event for event in events if event.kind == "party"]

    assert [(e.title, e.when.date(), e.date_only) for e in party] == [
        ("Applied to join the Party", datetime.date(2023, 3, 1), True),
        ("Became a probationary Party member", datetime.date(2025, 7, 1), True),
    ]


def test_a_promotion_shows_its_proposal_and_each_decision_with_opinion_and_who(client_of, place):
    candidate = CandidateFactory(village=place["village"], active=True, stage="party_member")
    promotion = services.promotion_propose(
        by=place["township"],
        candidate=candidate,
        evidence={"evidence": "领办合作社", "cooperative": "合作社"},
    )
    services.promotion_decide(
        by=place["county"],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="return",
        opinion="请补充合作社章程",
    )
    services.promotion_decide(
        by=place["township"], promotion=promotion, expected_state=page_state(promotion), action="resubmit"
    )
    services.promotion_decide(
        by=place["county"],
        promotion=promotion,
        expected_state=page_state(promotion),
        action="approve",
        opinion="同意",
    )

    events, page = timeline(english(client_of(place["township"])), candidate)
    promotions = [event for event in events if event.kind == "promotion"]

    assert [event.title for event in promotions] == [
        "Promotion proposed: Party member → Member wealth-creator",
        "Promotion Party member → Member wealth-creator: Return for more evidence",
        "Promotion Party member → Member wealth-creator: Resubmit",
        "Promotion Party member → Member wealth-creator: Approve",
    ]
    assert [event.who for event in promotions] == [
        place["township"],
        place["county"],
        place["township"],
        place["county"],
    ]
    assert promotions[0].details == ["Evidence: 领办合作社"]
    assert promotions[1].details == ["Opinion: 请补充合作社章程"]
    url = reverse("candidates:promotion_detail", args=[promotion.pk])
    assert all(event.url == url for event in promotions)
    assert f'href="{url}"' in page


def test_committee_seats_show_their_start_and_their_end_once_it_has_come(client_of, place):
    candidate = CandidateFactory(village=place["village"], active=True)
    village = place["village"]
    CommitteeSeatFactory(
        village=village,
        candidate=candidate,
        position="member",
        term_start=datetime.date(2018, 5, 1),
        term_end=datetime.date(2021, 4, 30),
    )
    CommitteeSeatFactory(
        village=village,
        candidate=candidate,
        position="secretary",
        term_start=datetime.date(2021, 5, 1),
        term_end=TODAY + datetime.timedelta(days=300),
    )

    events, _page = timeline(english(client_of(place["township"])), candidate)
    seats = [(event.title, event.when.date()) for event in events if event.kind == "seat"]

    name = village.region.name
    assert seats == [
        (f"Took a seat on the village committees: Member, {name}", datetime.date(2018, 5, 1)),
        (f"Term on the village committees ended: Member, {name}", datetime.date(2021, 4, 30)),
        (f"Took a seat on the village committees: Secretary, {name}", datetime.date(2021, 5, 1)),
    ]


def test_a_reserve_shows_its_designation_and_each_decision_by_the_county(client_of, place):
    candidate = CandidateFactory(village=place["village"], active=True)
    reserve = village_services.reserve_designate(by=place["township"], candidate=candidate, kind="secretary")
    village_services.reserve_decide(
        by=place["county"], reserve=reserve, expected_status=page_state(reserve), action="confirm"
    )
    village_services.reserve_decide(
        by=place["township"], reserve=reserve, expected_status=page_state(reserve), action="propose_removal"
    )

    events, page = timeline(english(client_of(place["township"])), candidate)
    reserves = [event for event in events if event.kind == "reserve"]

    name = place["village"].region.name
    assert [(event.title, event.who) for event in reserves] == [
        (f"Designated as Secretary reserve of {name}", place["township"]),
        (f"Secretary reserve of {name}: Confirmed", place["county"]),
        (f"Secretary reserve of {name}: Removal proposed", place["township"]),
    ]
    assert reserves[0].details == ["Status: Removal proposed"]
    assert f'href="{reverse("villages:reserve_detail", args=[reserve.pk])}"' in page


def test_an_elimination_shows_the_proposal_and_the_countys_decision(client_of, place):
    candidate = CandidateFactory(village=place["village"], active=True)
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

    events, _page = timeline(english(client_of(place["township"])), candidate)
    eliminations = [event for event in events if event.kind == "elimination"]

    assert [(e.title, e.who, e.details) for e in eliminations] == [
        ("Elimination proposed: Moved away", place["township"], ["全家迁往沈阳"]),
        ("Elimination decided: Eliminated", place["county"], ["County's opinion: 同意淘汰"]),
    ]
    assert eliminations[1].url == reverse("candidates:elimination_detail", args=[elimination.pk])


def _ladder(candidate, place, rounds):
    """`rounds` of every kind of ladder event on the person's record, written as the services would."""
    township, county, village = place["township"], place["county"], place["village"]
    moment = timezone.now() - datetime.timedelta(days=400)
    for n in range(rounds):
        promotion = Promotion.objects.create(
            candidate=candidate,
            from_stage="wealth_creator",
            to_stage="member_wealth_creator",
            state="refused",
            evidence=f"材料{n}",
            proposed_by=township,
            proposed_at=moment,
            decided_at=moment,
        )
        PromotionDecision.objects.create(promotion=promotion, action="propose", by=township, at=moment)
        PromotionDecision.objects.create(promotion=promotion, action="refuse", opinion="不同意", by=county)
        CommitteeSeatFactory(
            village=village,
            candidate=candidate,
            term_start=datetime.date(2015, 1, 1) + datetime.timedelta(days=n),
            term_end=datetime.date(2016, 1, 1) + datetime.timedelta(days=n),
        )
        reserve = Reserve(village=village, candidate=candidate, kind="committee", proposed_by=township)
        reserve._history_user = township
        reserve.save()
        reserve.status, reserve._history_user = "declined", county
        reserve.save()
        Elimination.objects.create(
            candidate=candidate,
            reason="other",
            details=f"情况{n}",
            state="refused",
            proposed_by=township,
            decided_by=county,
            decided_at=timezone.now(),
            opinion="不予淘汰",
        )


def test_the_timeline_costs_the_same_queries_for_2_and_20_ladder_events_of_each_kind(
    client_of, place, django_assert_max_num_queries
):
    few = CandidateFactory(village=place["village"], active=True)
    _ladder(few, place, 2)
    many = CandidateFactory(village=place["village"], active=True)
    _ladder(many, place, 20)
    client = client_of(place["township"])

    with CaptureQueriesContext(connection) as captured:
        events, _page = timeline(client, few)
    assert len([e for e in events if e.kind in ("promotion", "seat", "reserve", "elimination")]) == 2 * 8
    with django_assert_max_num_queries(len(captured)):
        events, _page = timeline(client, many)
    assert len([e for e in events if e.kind in ("promotion", "seat", "reserve", "elimination")]) == 20 * 8
