"""Full ID card numbers and phones: masked wherever a role may not see them, logged wherever shown
(findings F2 and F3 of the probe)."""

import pytest
from django.urls import reverse

from candidates import services
from candidates.models import Candidate, PersonalDataView
from candidates.validators import mask_id_number, mask_phone
from tests.factories import CandidateFactory
from villages.models import Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(demo_user):
    """A candidate of 那家村 (永陵镇, 新宾) whose phone was corrected once: two versions in the history."""
    candidate = CandidateFactory(village=Village.objects.get(region__name="那家村"), phone="13904130001")
    candidate.save()
    fields = {"phone": "13904130002"}
    return services.candidate_update(by=demo_user("yongling"), candidate=candidate, fields=fields)


def _admin_pages(candidate) -> dict[str, str]:
    history = candidate.history.order_by("history_date")
    record = history.last()
    return {
        "change page": reverse("admin:candidates_candidate_change", args=[candidate.pk]),
        "history": reverse("admin:candidates_candidate_history", args=[candidate.pk]),
        "version": reverse(
            "admin:candidates_candidate_simple_history", args=[candidate.pk, history.first().history_id]
        ),
        "audit trail entry": reverse("admin:candidates_historicalcandidate_change", args=[record.history_id]),
    }


def test_city_staff_see_no_full_id_number_or_phone_anywhere_in_the_admin(person, client_of):
    client = client_of("city")
    for label, url in _admin_pages(person).items():
        page = client.get(url).content.decode()
        assert person.id_number not in page, f"full ID number on the {label}"
        for phone in ("13904130001", "13904130002"):
            assert phone not in page, f"full phone on the {label}"
        if label != "history":  # the history lists only what changed: the phone, masked
            assert mask_id_number(person.id_number) in page, label
        assert mask_phone("13904130002") in page or mask_phone("13904130001") in page, label
    assert not PersonalDataView.objects.filter(candidate=person).exclude(user__username="yongling").exists()


def test_a_county_reviewer_sees_the_full_numbers_in_the_admin_and_each_view_is_logged(person, client_of):
    client = client_of("xinbin")
    for label, url in _admin_pages(person).items():
        before = PersonalDataView.objects.filter(candidate=person, user__username="xinbin").count()
        page = client.get(url).content.decode()
        assert "13904130002" in page or "13904130001" in page, label
        after = PersonalDataView.objects.filter(candidate=person, user__username="xinbin")
        assert after.count() == before + 1, f"the {label} was not logged"
    places = set(
        PersonalDataView.objects.filter(candidate=person, user__username="xinbin").values_list(
            "where", flat=True
        )
    )
    assert places == {"admin", "admin_history"}


def test_the_edit_form_logs_that_it_shows_the_full_numbers(person, client_of):
    client_of("yongling").get(reverse("candidates:candidate_edit", args=[person.pk]))
    assert PersonalDataView.objects.filter(candidate=person, user__username="yongling", where="edit").exists()


def test_the_audit_trail_follows_the_person_not_the_village_an_old_version_names(
    person, demo_user, client_of
):
    # The person moved to 榆树乡 (entered by the administrator: a township may not move anyone out).
    person.village = Village.objects.filter(region__parent__name="榆树乡").first()
    person._history_user = demo_user("admin")
    person.save()
    trail = reverse("admin:candidates_historicalcandidate_changelist")
    old_version = person.history.order_by("history_date").first()
    old_url = reverse("admin:candidates_historicalcandidate_change", args=[old_version.history_id])

    old_township = client_of("yongling")
    listed = old_township.get(trail).context["cl"].queryset
    assert not listed.filter(id=person.pk).exists()
    assert old_township.get(old_url).status_code == 404
    history_page = reverse("admin:candidates_candidate_history", args=[person.pk])
    assert old_township.get(history_page).status_code == 404

    new_township = client_of("yushu")
    listed = new_township.get(trail).context["cl"].queryset
    assert listed.filter(id=person.pk).count() == person.history.count()
    assert new_township.get(old_url).status_code == 200


# F3: the ID number search ------------------------------------------------------------------------


def _found(client, q, **params):
    response = client.get(reverse("candidates:candidate_list"), {"q": q, "per_page": 100, **params})
    return {row.record.pk for row in response.context["table"].page.object_list}


def test_digits_added_one_at_a_time_stop_finding_the_person_after_six(person, client_of):
    """The probe recovered a whole number from the list by adding one digit at a time."""
    client = client_of("city")
    number = person.id_number
    for length in (4, 5, 6):
        assert person.pk in _found(client, number[-length:], region="210422000000"), length
    for length in range(7, 18):
        assert _found(client, number[-length:], region="210422000000") == set(), length


def test_a_whole_number_finds_the_person_and_the_search_is_logged_for_every_role(person, client_of):
    for username in ("city", "yongling", "mentor"):
        found = _found(client_of(username), person.id_number)
        logged = PersonalDataView.objects.filter(candidate=person, user__username=username, where="search")
        if username == "mentor":  # not the mentor's mentee: not found, nothing to log
            assert found == set() and not logged.exists()
        else:
            assert found == {person.pk} and logged.count() == 1, username


def test_the_export_logs_a_search_by_a_whole_number_too(person, client_of):
    client_of("city").get(reverse("candidates:candidate_export"), {"q": person.id_number})
    assert PersonalDataView.objects.filter(candidate=person, user__username="city", where="search").exists()


def test_the_admin_search_and_its_autocomplete_match_like_the_portal(person, client_of):
    client = client_of("xinbin")
    changelist = reverse("admin:candidates_candidate_changelist")
    number = person.id_number
    middle = number[6:14]  # the birth date: an "icontains" search would find everyone born that day

    def listed(q):
        return set(client.get(changelist, {"q": q}).context["cl"].queryset.values_list("pk", flat=True))

    assert person.pk in listed(number[-4:])
    assert listed(number[-9:]) == set() and listed(middle) == set()
    assert listed(number) == {person.pk}
    assert PersonalDataView.objects.filter(candidate=person, user__username="xinbin", where="search").exists()

    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "villages", "model_name": "committeeseat", "field_name": "candidate", "term": middle},
    )
    assert autocomplete.status_code == 200 and autocomplete.json()["results"] == []
    assert Candidate.objects.filter(id_number__contains=middle).exists()


def test_the_log_of_full_numbers_seen_is_filtered_by_user_and_searched_by_person(client_of):
    from accounts.models import User

    xinbin, qingyuan = User.objects.get(username="xinbin"), User.objects.get(username="qingyuan")
    seen_by_xinbin = Candidate.objects.filter(village__region__code__startswith="210422").first()
    seen_by_qingyuan = Candidate.objects.filter(village__region__code__startswith="210423").first()
    PersonalDataView.objects.create(user=xinbin, candidate=seen_by_xinbin, where="detail")
    PersonalDataView.objects.create(user=qingyuan, candidate=seen_by_qingyuan, where="detail")
    admin = client_of("admin")
    url = reverse("admin:candidates_personaldataview_changelist")

    def listed(query):
        return [(v.user.username, v.candidate) for v in admin.get(url, query).context["cl"].result_list]

    assert [(u, c.pk) for u, c in listed({"user__id__exact": xinbin.pk})] == [("xinbin", seen_by_xinbin.pk)]
    found = listed({"q": seen_by_qingyuan.name})
    assert ("qingyuan", seen_by_qingyuan) in found
    assert all(seen_by_qingyuan.name in candidate.name for _, candidate in found)
    # A county reviewer's filter offers the users of their own county's log only.
    own = client_of("xinbin").get(url).content.decode()
    assert "新宾县委组织部 赵刚" in own and "清原县委组织部 孙丽" not in own
