"""A mentor sees only their mentees, on every page (finding F11: the village pages of the county listed
every committee-seat holder, with links)."""

import re

import pytest
from django.urls import reverse

from candidates.models import Candidate
from villages.models import CommitteeSeat, Village

pytestmark = pytest.mark.django_db

CANDIDATE_LINK = re.compile(r'href="/candidates/(\d+)/"')


def _linked_people(page: str) -> set[int]:
    return {int(pk) for pk in CANDIDATE_LINK.findall(page)}


def test_a_mentor_reads_no_one_but_their_mentees_on_village_pages(demo_user, client_of):
    mentor = demo_user("mentor")
    mentees = set(Candidate.objects.visible_to(mentor).values_list("pk", flat=True))
    assert mentees, "the demo mentor has mentees"
    seated_elsewhere = (
        CommitteeSeat.objects.filter(village__region__code__startswith="210422", candidate__isnull=False)
        .exclude(candidate__in=mentees)
        .values_list("village", flat=True)
        .distinct()
    )
    villages = set(seated_elsewhere[:20]) | set(
        Candidate.objects.filter(pk__in=mentees).values_list("village", flat=True)
    )
    client = client_of(mentor)
    for code in villages:
        page = client.get(reverse("villages:region_detail", args=[code])).content.decode()
        assert _linked_people(page) <= mentees, f"village {code} links to someone who is not a mentee"
        others = CommitteeSeat.objects.filter(village=code).exclude(candidate__in=mentees)
        for seat in others.select_related("candidate"):
            holder = seat.candidate.name if seat.candidate_id else seat.holder_name
            mentee_names = Candidate.objects.filter(pk__in=mentees).values_list("name", flat=True)
            if not any(holder in name for name in mentee_names):
                assert holder not in page, f"{holder} of village {code} is shown to the mentor"


def test_a_mentors_lists_link_to_mentees_only(demo_user, client_of):
    mentor = demo_user("mentor")
    mentees = set(Candidate.objects.visible_to(mentor).values_list("pk", flat=True))
    client = client_of(mentor)
    for url in (
        reverse("reports:home"),
        reverse("villages:village_list"),
        reverse("villages:reserve_shortfall"),
        reverse("candidates:candidate_list") + "?per_page=200",
        reverse("candidates:elimination_list"),
        reverse("reports:dynamic_management") + "?group=consolidated&per_page=200",
    ):
        page = client.get(url).content.decode()
        assert _linked_people(page) <= mentees, url


def test_the_township_still_sees_every_seat_of_its_villages(client_of):
    village = Village.objects.get(region__name="那家村")
    page = client_of("yongling").get(reverse("villages:region_detail", args=[village.pk])).content.decode()
    for seat in CommitteeSeat.objects.current().filter(village=village).select_related("candidate"):
        holder = seat.candidate.name if seat.candidate_id else seat.holder_name
        assert holder in page


def test_a_mentor_reads_the_same_reserve_figures_on_the_village_list_and_each_village_page(client_of):
    """Issue 8: the list counted every reserve while the village page counted the mentor's mentees'."""
    client = client_of("mentor")
    listed = client.get(reverse("villages:village_list"), {"per_page": 200, "region": "210422000000"})
    rows = list(listed.context["table"].page.object_list)
    assert rows
    for row in rows[:40]:
        village = row.record
        page = client.get(reverse("villages:region_detail", args=[village.pk])).context
        assert (village.secretary_reserves, village.committee_reserves) == (
            page["secretary_reserves"],
            page["committee_reserves"],
        ), village.pk
        assert village.committee_members == len(page["current_seats"]), village.pk


def test_the_county_reads_the_same_figures_on_the_list_and_the_village_page(client_of):
    client = client_of("xinbin")
    listed = client.get(reverse("villages:village_list"), {"per_page": 50, "sort": "-committee_reserves"})
    for row in list(listed.context["table"].page.object_list)[:20]:
        village = row.record
        page = client.get(reverse("villages:region_detail", args=[village.pk])).context
        assert (village.secretary_reserves, village.committee_reserves) == (
            page["secretary_reserves"],
            page["committee_reserves"],
        )
