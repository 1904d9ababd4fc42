"""The village record pages: committee seats and terms, reserves and decisions on them, the shortfall list.

Every record is made in 本溪市, outside the demo, so the counts asserted are the test's own.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates.choices import Stage, Status
from tests.factories import (
    CandidateFactory,
    CommitteeSeatFactory,
    ReserveFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
    page_state,
)
from villages import services
from villages.models import CommitteeSeat, Reserve, StarRating, Village

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def place():
    """A village of a 本溪 township with a user of every role around it, and an outsider from Fushun."""
    township = UserFactory()
    return SimpleNamespace(
        township=township,
        county=UserFactory(county_reviewer=True),
        city=UserFactory(city_staff=True),
        mentor=UserFactory(mentor=True),
        village=VillageFactory(township=township.jurisdiction),
        outsider=User.objects.get(username="yushu"),
    )


def person(place, stage=Stage.WEALTH_CREATOR, **fields):
    return CandidateFactory(village=place.village, status=Status.ACTIVE, stage=stage, **fields)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def village_page(client, place):
    response = client.get(reverse("villages:region_detail", args=[place.village.pk]))
    assert response.status_code == 200
    return response


def shortfall_codes(client, **params):
    response = client.get(reverse("villages:reserve_shortfall"), {"per_page": 100, **params})
    assert response.status_code == 200
    return [row.record.pk for row in response.context["table"].page.object_list], response


def add_seat(client, place, **data):
    return client.post(
        reverse("villages:seat_create", args=[place.village.pk]),
        {"position": "member", "term_start": "2021-05-01", **data},
    )


def decide(client, reserve, action, note=""):
    """Press a decision's button on the reserve's page as it shows now."""
    return client.post(
        reverse("villages:reserve_detail", args=[reserve.pk]),
        {"action": action, "note": note, "expected_status": page_state(reserve)},
    )


# Committee seats ---------------------------------------------------------------------------------


def test_a_candidate_holder_counts_as_a_wealth_creator_exactly_when_their_stage_says_so(client_of, place):
    client = client_of(place.township)
    member = person(place, Stage.PARTY_MEMBER, name="党员甲")
    creator = person(place, Stage.MEMBER_WEALTH_CREATOR, name="能手乙")
    # The box is for plain holders: ticking it does not make a Party member a wealth-creator.
    response = add_seat(client, place, candidate=member.pk, is_wealth_creator="on")
    assert response.status_code == 302
    assert response.url == place.village.get_absolute_url()
    add_seat(client, place, candidate=creator.pk, position="secretary")
    seats = {seat.candidate: seat for seat in CommitteeSeat.objects.filter(village=place.village)}
    assert (seats[member].holder, seats[member].is_wealth_creator) == ("党员甲", False)
    assert (seats[creator].position, seats[creator].is_wealth_creator) == ("secretary", True)
    page = village_page(client, place)
    assert page.context["committee_wealth_creator_percent"] == 50
    assert f'href="{creator.get_absolute_url()}"' in page.content.decode()


def test_the_candidate_choices_are_the_active_candidates_of_the_village_with_their_stage(client_of, place):
    person(place, Stage.VILLAGE_CADRE, name="在册丙")
    CandidateFactory(village=place.village, status=Status.ELIMINATED, stage=Stage.VILLAGE_CADRE)
    CandidateFactory(village=VillageFactory(township=place.village.region.parent), active=True, name="邻村戊")
    client = english(client_of(place.township))
    response = client.get(reverse("villages:seat_create", args=[place.village.pk]))
    assert "在册丙 (Village cadre)" in response.content.decode()
    assert "邻村戊" not in response.content.decode()
    assert (
        len([value for value, _label in response.context["form"].fields["candidate"].choices if value]) == 1
    )


def test_a_plain_holder_is_a_wealth_creator_only_when_the_box_is_ticked(client_of, place):
    client = client_of(place.township)
    add_seat(client, place, holder_name="王大山", is_wealth_creator="on")
    add_seat(client, place, holder_name="李小河")
    flags = dict(
        CommitteeSeat.objects.filter(village=place.village).values_list("holder_name", "is_wealth_creator")
    )
    assert flags == {"王大山": True, "李小河": False}


def test_a_seat_needs_a_candidate_or_a_name_but_not_both(client_of, place):
    client = client_of(place.township)
    neither = add_seat(client, place)
    both = add_seat(client, place, candidate=person(place).pk, holder_name="王大山")
    assert neither.status_code == both.status_code == 200
    assert "holder_name" in neither.context["form"].errors and "holder_name" in both.context["form"].errors
    assert not CommitteeSeat.objects.filter(village=place.village).exists()


def test_an_overlapping_secretary_term_is_refused_with_the_current_holder_named(client_of, place):
    CommitteeSeatFactory(village=place.village, position="secretary", holder_name="张三")
    response = add_seat(
        client_of(place.township), place, position="secretary", holder_name="李四", term_start="2024-01-01"
    )
    assert response.status_code == 200
    assert "张三" in " ".join(response.context["form"].errors["term_start"])
    assert list(
        CommitteeSeat.objects.filter(village=place.village).values_list("holder_name", flat=True)
    ) == ["张三"]


def test_ending_a_term_moves_the_seat_to_the_earlier_terms(client_of, place):
    seat = CommitteeSeatFactory(village=place.village, position="director", holder_name="张三")
    client = client_of(place.county)
    url = reverse("villages:seat_end", args=[seat.pk])
    assert client.get(url).context["form"]["term_end"].value() == TODAY()
    too_early = client.post(url, {"term_end": "2020-01-01"})
    assert "term_end" in too_early.context["form"].errors
    yesterday = TODAY() - datetime.timedelta(days=1)
    response = client.post(url, {"term_end": yesterday.isoformat()})
    assert response.status_code == 302 and response.url == place.village.get_absolute_url()
    seat.refresh_from_db()
    assert seat.term_end == yesterday
    page = village_page(client, place)
    assert seat not in page.context["current_seats"] and seat in page.context["past_seats"]


# Who may open the pages -----------------------------------------------------------------------------

# Status per user: the village's township and county keep the records; city staff and mentors read
# the village but may not change it (403); a township or county elsewhere does not see it (404).
RECORD_PAGE = {
    "township": 200,
    "county": 200,
    "city": 403,
    "mentor": 403,
    "outsider": 404,
    "outside_county": 404,
}
EXPECTED = {
    "villages:seat_create": RECORD_PAGE,
    # A seat names a person: a mentor sees only their mentees' seats (this one is not).
    "villages:seat_end": RECORD_PAGE | {"mentor": 404},
    "villages:reserve_designate": RECORD_PAGE,
    # Reading a reserve is reading the village; only the buttons depend on the role. A reserve names a
    # person: a mentor sees only their mentees' reserves (this one is not).
    "villages:reserve_detail": RECORD_PAGE | {"city": 200, "mentor": 404},
    "villages:reserve_shortfall": dict.fromkeys(RECORD_PAGE, 200),
}


def _url(name, place):
    if name == "villages:seat_end":
        return reverse(name, args=[CommitteeSeatFactory(village=place.village).pk])
    if name == "villages:reserve_detail":
        return reverse(name, args=[ReserveFactory(village=place.village).pk])
    if name == "villages:reserve_shortfall":
        return reverse(name)
    return reverse(name, args=[place.village.pk])


@pytest.mark.parametrize("name", EXPECTED)
def test_each_page_answers_each_role_inside_and_outside_the_jurisdiction(client_of, place, name):
    url = _url(name, place)
    users = vars(place) | {"outside_county": User.objects.get(username="xinbin")}
    seen = {who: client_of(users[who]).get(url).status_code for who in EXPECTED[name]}
    assert seen == EXPECTED[name]
    anonymous = client_of(None).get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["villages:seat_create", "villages:reserve_designate"])
def test_a_region_that_is_not_a_village_has_no_seats_or_reserves(client_of, place, name):
    township_code = place.village.region.parent_id
    assert client_of(place.township).get(reverse(name, args=[township_code])).status_code == 404


def test_posting_is_refused_like_reading_for_roles_that_keep_no_records(client_of, place):
    seat = CommitteeSeatFactory(village=place.village)
    # A seat names a person: for a mentor, one held by someone else is not found.
    for user, ending in ((place.city, 403), (place.mentor, 404)):
        client = client_of(user)
        assert add_seat(client, place, holder_name="王大山").status_code == 403
        assert (
            client.post(reverse("villages:seat_end", args=[seat.pk]), {"term_end": "2025-01-01"}).status_code
            == ending
        )
    assert client_of(place.outsider).post(reverse("villages:seat_end", args=[seat.pk])).status_code == 404
    assert CommitteeSeat.objects.filter(village=place.village).count() == 1


# Reserves ---------------------------------------------------------------------------------------


def test_a_designation_confirmed_by_the_county_meets_the_target_and_leaves_the_shortfall_list(
    client_of, place
):
    ReserveFactory.create_batch(3, village=place.village, kind="committee")
    candidate = person(place, Stage.MEMBER_WEALTH_CREATOR, name="后备甲")
    township, county = client_of(place.township), english(client_of(place.county))

    response = township.post(
        reverse("villages:reserve_designate", args=[place.village.pk]),
        {"candidate": candidate.pk, "kind": "secretary", "note": "致富带头作用明显"},
    )
    assert response.status_code == 302 and response.url == place.village.get_absolute_url()
    reserve = Reserve.objects.get(candidate=candidate)
    assert (reserve.status, reserve.proposed_by, reserve.note) == (
        "proposed",
        place.township,
        "致富带头作用明显",
    )
    page = village_page(township, place)
    assert page.context["pending_reserves"] == [reserve] and page.context["secretary_reserves"] == 0
    assert page.context["meets_reserve_target"] is False
    assert place.village.pk in shortfall_codes(county)[0]

    detail = county.get(reverse("villages:reserve_detail", args=[reserve.pk]))
    assert [a.action for a in detail.context["actions"]] == ["confirm", "decline"]
    confirmed = county.post(
        reverse("villages:reserve_detail", args=[reserve.pk]),
        {"action": "confirm", "expected_status": "proposed"},
        follow=True,
    )
    assert "the reserve is now “Confirmed”" in confirmed.content.decode()
    reserve.refresh_from_db()
    assert (reserve.status, reserve.decided_by) == ("confirmed", place.county)

    page = village_page(township, place)
    assert (page.context["secretary_reserves"], page.context["committee_reserves"]) == (1, 3)
    assert page.context["meets_reserve_target"] is True
    assert place.village.pk not in shortfall_codes(county)[0]


def test_a_removal_is_proposed_by_the_township_and_confirmed_by_the_county(client_of, place):
    reserve = ReserveFactory(village=place.village, kind="committee")
    township, county = client_of(place.township), client_of(place.county)
    assert [
        a.action
        for a in township.get(reverse("villages:reserve_detail", args=[reserve.pk])).context["actions"]
    ] == ["propose_removal"]
    assert decide(township, reserve, "propose_removal", note="外出务工三年").status_code == 302
    reserve.refresh_from_db()
    assert (reserve.status, reserve.note) == ("removal_proposed", "外出务工三年")
    assert village_page(township, place).context["committee_reserves"] == 1  # counts until the county decides
    assert decide(township, reserve, "confirm_removal").status_code == 403
    decide(county, reserve, "confirm_removal")
    reserve.refresh_from_db()
    assert (reserve.status, reserve.removed_on, reserve.decided_by) == ("removed", TODAY(), place.county)
    page = village_page(township, place)
    assert page.context["committee_reserves"] == 0 and page.context["closed_reserves"] == [reserve]
    history = county.get(reverse("villages:reserve_detail", args=[reserve.pk])).context["history"]
    assert [(h.status, h.history_user) for h in history][-2:] == [
        ("removal_proposed", place.township),
        ("removed", place.county),
    ]


def test_only_the_county_decides_and_readers_get_no_buttons(client_of, place):
    reserve = ReserveFactory(village=place.village, status="proposed")
    for user in (place.township, place.city):
        client = client_of(user)
        assert client.get(reverse("villages:reserve_detail", args=[reserve.pk])).context["actions"] == []
        assert decide(client, reserve, "confirm").status_code == 403
    for user in (place.outsider, place.mentor):  # the mentor does not mentor this person
        assert decide(client_of(user), reserve, "confirm").status_code == 404
    reserve.refresh_from_db()
    assert reserve.status == "proposed"


def test_a_decision_taken_already_is_reported_not_repeated(client_of, place):
    reserve = ReserveFactory(village=place.village, status="confirmed")
    client = english(client_of(place.county))
    # The page was opened while the reserve was still proposed.
    response = client.post(
        reverse("villages:reserve_detail", args=[reserve.pk]),
        {"action": "confirm", "expected_status": "proposed"},
        follow=True,
    )
    assert response.status_code == 200
    assert "That is not possible now: the reserve is Confirmed." in response.content.decode()
    reserve.refresh_from_db()
    assert (reserve.status, reserve.decided_by) == ("confirmed", None)


def test_an_eliminated_candidate_cannot_be_designated(client_of, place):
    eliminated = CandidateFactory(village=place.village, status=Status.ELIMINATED, stage=Stage.WEALTH_CREATOR)
    already = ReserveFactory(village=place.village).candidate
    free = person(place, name="可选己")
    url = reverse("villages:reserve_designate", args=[place.village.pk])
    client = english(client_of(place.township))
    offered = [
        value for value, _label in client.get(url).context["form"].fields["candidate"].choices if value
    ]
    assert [value.value for value in offered] == [free.pk]
    for candidate in (eliminated, already):
        response = client.post(url, {"candidate": candidate.pk, "kind": "committee"})
        assert response.status_code == 200
        assert "Choose an active candidate of this village" in response.context["form"].errors["candidate"][0]
    assert not Reserve.objects.filter(candidate=eliminated).exists()


def test_a_village_with_only_a_pending_proposal_is_still_short(client_of, place):
    ReserveFactory(village=place.village, kind="secretary")
    ReserveFactory.create_batch(2, village=place.village, kind="committee")
    ReserveFactory(village=place.village, kind="committee", status="proposed")
    codes, response = shortfall_codes(client_of(place.township))
    assert codes == [place.village.pk]
    row = response.context["table"].page.object_list[0].record
    assert (row.secretary_reserves, row.committee_reserves, row.pending_proposals) == (1, 2, 1)
    assert (row.secretary_missing, row.committee_missing) == (0, 1)
    assert response.context["shortfall"].total.pending_proposals == 1


def test_the_shortfall_page_sums_up_each_township_of_the_county(client_of, place):
    other = VillageFactory(township=benxi_township(2))
    ReserveFactory(village=other, kind="secretary")
    ReserveFactory.create_batch(3, village=other, kind="committee")
    ReserveFactory(village=place.village, kind="secretary", status="proposed")
    response = shortfall_codes(client_of(place.county))[1]
    rows = {row.region.code: row for row in response.context["shortfall"].children}
    first, second = rows[place.village.region.parent_id], rows[other.region.parent_id]
    assert (first.villages, first.villages_short, first.secretary_reserves, first.pending_proposals) == (
        1,
        1,
        0,
        1,
    )
    assert (second.villages, second.villages_short, second.secretary_reserves, second.committee_reserves) == (
        1,
        0,
        1,
        3,
    )
    narrowed = shortfall_codes(client_of(place.county), region=other.region.parent_id)[1]
    assert narrowed.context["shortfall"].total.villages == 1 and narrowed.context["shortfall"].children == []
    assert (
        client_of(place.township)
        .get(reverse("villages:reserve_shortfall"), {"region": "210422000000"})
        .status_code
        == 404
    )


# Query counts ---------------------------------------------------------------------------------------


def _fill(township, count):
    for _ in range(count):
        village = VillageFactory(township=township)
        ReserveFactory(village=village, kind="secretary")
        ReserveFactory(village=village, kind="committee", status="proposed")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(captured), response


def test_the_shortfall_page_costs_the_same_queries_for_10_and_100_villages(
    client_of, django_assert_max_num_queries
):
    client = client_of(UserFactory(city_staff=True))
    url = reverse("villages:reserve_shortfall")
    _fill(benxi_township(), 10)
    ten, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 10
    _fill(benxi_township(), 85)
    _fill(benxi_township(2), 5)
    with django_assert_max_num_queries(ten):
        _, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 100
    assert response.context["shortfall"].total.pending_proposals == 100


def test_the_village_page_costs_the_same_queries_for_few_and_many_seats_and_reserves(
    client_of, place, django_assert_max_num_queries
):
    client = client_of(place.township)
    url = reverse("villages:region_detail", args=[place.village.pk])
    CommitteeSeatFactory(village=place.village, candidate=person(place))
    ReserveFactory(village=place.village, status="proposed")
    few, _ = _queries(client, url)
    for _ in range(10):
        CommitteeSeatFactory(village=place.village, candidate=person(place))
        ReserveFactory(village=place.village)
        ReserveFactory(village=place.village, status="removed")
    with django_assert_max_num_queries(few):
        _, response = _queries(client, url)
    assert len(response.context["current_seats"]) == 11 and len(response.context["reserves"]) == 21


def test_a_second_current_secretary_is_refused_in_the_admin_with_the_services_message(client_of):
    """Issue 8: the admin saved seats without the seat service, so it took two current secretaries."""
    village = Village.objects.get(region__name="那家村")
    secretary = CommitteeSeat.objects.current().filter(village=village, position="secretary").first()
    assert secretary is not None
    before = CommitteeSeat.objects.filter(village=village).count()
    client = english(client_of("yongling"))
    response = client.post(
        reverse("admin:villages_committeeseat_add"),
        {"village": village.pk, "position": "secretary", "holder_name": "王二", "term_start": "2024-06-01"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    expected = services.committee_seat_problems(
        by=User.objects.get(username="yongling"),
        village=village,
        position="secretary",
        term_start=datetime.date(2024, 6, 1),
        holder_name="王二",
    )["term_start"]
    assert errors["term_start"] == [expected]
    assert secretary.holder in expected
    assert CommitteeSeat.objects.filter(village=village).count() == before


def test_a_seat_added_in_the_admin_goes_through_the_service_and_is_audited(client_of):
    village = Village.objects.get(region__name="那家村")
    response = client_of("yongling").post(
        reverse("admin:villages_committeeseat_add"),
        {"village": village.pk, "position": "member", "holder_name": "新委员", "term_start": "2024-06-01"},
    )
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(village=village, holder_name="新委员")
    assert seat.history.get().history_user.username == "yongling"


def test_a_star_rating_saved_in_the_admin_goes_through_the_service(client_of):
    village = Village.objects.get(region__name="那家村")
    response = client_of("xinbin").post(
        reverse("admin:villages_starrating_add"), {"village": village.pk, "year": 2030, "stars": 5}
    )
    assert response.status_code == 302
    rating = StarRating.objects.get(village=village, year=2030)
    assert rating.rated_by.username == "xinbin" and rating.history.get().history_user.username == "xinbin"
