"""The candidate registry pages: entry and its checks, the person's page and timeline, who may do what."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import services
from candidates.choices import Decision, ObjectionStatus, Status
from candidates.identity import synthetic_id_number
from candidates.models import (
    Candidate,
    Certification,
    CertificationStep,
    Objection,
    PersonalDataView,
    PublicNotice,
)
from mentoring.models import MentorAssignment
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
)
from villages.models import Village

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# Helpers ---------------------------------------------------------------------------------------


def english(client):
    """The client reads the portal in English, so messages can be compared whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def free_id_number(birth=datetime.date(1986, 4, 12), male=True, area="210422") -> str:
    """A valid ID card number nobody in the database has."""
    for serial in range(500):
        number = synthetic_id_number(area, birth, serial, male)
        if not Candidate.objects.filter(id_number=number).exists():
            return number
    raise RuntimeError("no free ID number")


def with_check_digit_wrong(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def entry_data(village, **changes) -> dict:
    """What a clerk types for a new person in `village`."""
    data = {
        "name": "王大勇",
        "gender": "M",
        "ethnicity": "满族",
        "id_number": free_id_number(),
        "birth_date": "",
        "phone": "13812345678",
        "education": "senior_high",
        "political_status": "masses",
        "source": "grower",
        "village": village.pk,
        "industry": "食用菌",
        "household_income": "8.5",
        "notes": "",
    }
    return data | changes


def record_data(candidate, **changes) -> dict:
    """The edit form as it comes filled for `candidate`, with some fields changed."""
    data = {
        "name": candidate.name,
        "gender": candidate.gender,
        "ethnicity": candidate.ethnicity,
        "id_number": candidate.id_number,
        "birth_date": candidate.birth_date.isoformat(),
        "phone": candidate.phone,
        "education": candidate.education,
        "political_status": candidate.political_status,
        "source": candidate.source,
        "village": candidate.village_id,
        "industry": candidate.industry,
        "household_income": str(candidate.household_income / 10000),
        "notes": candidate.notes,
    }
    return data | changes


def hongshi() -> Village:
    return Village.objects.get(region__name="红石村")


def najia() -> Village:
    return Village.objects.get(region__name="那家村")


def listed(response) -> list[str]:
    return [row.record.name for row in response.context["table"].page.object_list]


def create(client, data):
    return client.post(reverse("candidates:candidate_create"), data)


# Entry and its checks ----------------------------------------------------------------------------


def test_a_township_official_enters_a_prospect_and_lands_on_the_persons_page(client_of):
    client = client_of("yushu")
    data = entry_data(hongshi())
    response = create(client, data)
    candidate = Candidate.objects.get(id_number=data["id_number"])
    assert response.status_code == 302 and response.url == candidate.get_absolute_url()
    assert candidate.status == Status.PROSPECT
    assert candidate.created_by.username == "yushu"
    assert candidate.name_initials == "wdy"
    assert not candidate.certifications.exists()


def test_an_id_number_with_a_wrong_check_digit_is_refused_with_a_message_saying_so(client_of):
    client = english(client_of("yushu"))
    response = create(client, entry_data(hongshi(), id_number=with_check_digit_wrong(free_id_number())))
    assert response.status_code == 200
    assert (
        "check digit (the 18th character) does not match" in response.context["form"].errors["id_number"][0]
    )
    assert "check digit" in response.content.decode()


def test_a_birth_date_and_gender_that_disagree_with_the_id_number_are_refused(client_of):
    client = english(client_of("yushu"))
    number = free_id_number(birth=datetime.date(1986, 4, 12), male=True)
    response = create(client, entry_data(hongshi(), id_number=number, gender="F", birth_date="1986-04-13"))
    errors = response.context["form"].errors
    assert "the id card number is that of a male" in errors["gender"][0].lower()
    assert "1986-04-12" in errors["birth_date"][0] and "1986-04-13" in errors["birth_date"][0]
    assert not Candidate.objects.filter(id_number=number).exists()


def test_a_phone_that_is_not_a_mainland_mobile_is_refused(client_of):
    client = english(client_of("yushu"))
    response = create(client, entry_data(hongshi(), phone="024-5678123"))
    assert "is not a mainland mobile number" in response.context["form"].errors["phone"][0]


def test_a_missing_field_is_named_in_the_message(client_of):
    client = english(client_of("yushu"))
    response = create(client, entry_data(hongshi(), name="", education=""))
    errors = response.context["form"].errors
    assert errors["name"] == ["Fill in the Name."]
    assert errors["education"] == ["Choose the Education."]


def test_full_width_digits_and_stray_spaces_are_normalised_and_accepted(client_of):
    client = client_of("yushu")
    number = free_id_number(birth=datetime.date(1990, 7, 1), male=False)
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    data = entry_data(
        hongshi(),
        name="  李小红 ",
        gender="F",
        id_number=f" {full_width[:6]} {full_width[6:]} ",
        phone="＋86 138 1234 5678",
    )
    response = create(client, data)
    assert response.status_code == 302
    candidate = Candidate.objects.get(id_number=number)
    assert (candidate.name, candidate.phone) == ("李小红", "13812345678")
    assert candidate.birth_date == datetime.date(1990, 7, 1)  # left empty: taken from the ID number


def test_a_lower_case_x_is_accepted_as_x(client_of):
    client = client_of("yushu")
    number = next(
        n
        for serial in range(500)
        if (n := synthetic_id_number("210422", datetime.date(1979, 2, 3), serial, True)).endswith("X")
        and not Candidate.objects.filter(id_number=n).exists()
    )
    response = create(client, entry_data(hongshi(), id_number=number.lower(), birth_date="1979-02-03"))
    assert response.status_code == 302
    assert Candidate.objects.filter(id_number=number).exists()


def test_household_income_is_typed_in_ten_thousand_yuan_and_kept_in_yuan(client_of):
    client = client_of("yushu")
    data = entry_data(hongshi(), household_income="12.35")
    create(client, data)
    candidate = Candidate.objects.get(id_number=data["id_number"])
    assert candidate.household_income == 123500
    page = client.get(reverse("candidates:candidate_edit", args=[candidate.pk])).content.decode()
    assert 'name="household_income" value="12.35"' in page


def test_an_unknown_birthplace_only_warns_after_saving(client_of):
    client = english(client_of("yushu"))
    number = free_id_number(area="990000")
    response = create(client, entry_data(hongshi(), id_number=number))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "990000" in page and "not in the national list" in page
    assert Candidate.objects.filter(id_number=number).exists()


def test_a_person_already_registered_in_the_same_township_is_named_with_the_village(client_of):
    existing = CandidateFactory(village=hongshi(), name="赵铁柱")
    client = english(client_of("yushu"))
    response = create(client, entry_data(hongshi(), id_number=existing.id_number, name="赵铁柱"))
    message = response.context["form"].errors["id_number"][0]
    assert "already registered" in message and "红石村" in message and "赵铁柱" in message
    assert Candidate.objects.filter(id_number=existing.id_number).count() == 1


def test_a_person_registered_outside_the_jurisdiction_is_only_said_to_be_registered_elsewhere(client_of):
    existing = CandidateFactory(village=najia(), name="钱多多")
    client = english(client_of("yushu"))
    response = create(client, entry_data(hongshi(), id_number=existing.id_number, name="孙小美"))
    assert response.context["form"].errors["id_number"] == ["This person is already registered elsewhere."]
    page = response.content.decode()
    assert "那家村" not in page and "钱多多" not in page and "永陵" not in page


def test_entering_and_nominating_at_once_opens_the_certification_at_step_1(client_of):
    client = client_of("yushu")
    data = entry_data(
        hongshi(), nominate="on", track="wealth_creator", recommender="self", reason="种植赤松茸，带动农户"
    )
    create(client, data)
    candidate = Candidate.objects.get(id_number=data["id_number"])
    certification = candidate.certifications.get()
    assert candidate.status == Status.CERTIFYING
    assert (certification.step, certification.recommender) == (1, "self")


def test_ticking_nominate_without_a_reason_keeps_the_person_unsaved(client_of):
    client = english(client_of("yushu"))
    data = entry_data(hongshi(), nominate="on", track="wealth_creator", recommender="self", reason="")
    response = create(client, data)
    assert response.context["nomination"].errors["reason"] == ["Fill in the Reason for the recommendation."]
    assert not Candidate.objects.filter(id_number=data["id_number"]).exists()


# The person's page --------------------------------------------------------------------------------


def test_a_township_official_sees_the_full_id_number_and_the_view_is_logged(client_of, demo_user):
    candidate = CandidateFactory(village=hongshi(), phone="13700001111")
    page = client_of("yushu").get(candidate.get_absolute_url()).content.decode()
    assert candidate.id_number in page and "13700001111" in page
    assert PersonalDataView.objects.filter(candidate=candidate, user=demo_user("yushu")).count() == 1


def test_city_staff_see_the_id_number_masked_and_nothing_is_logged(client_of):
    candidate = CandidateFactory(village=hongshi(), phone="13700001111")
    page = client_of("city").get(candidate.get_absolute_url()).content.decode()
    assert candidate.masked_id_number in page and "137****1111" in page
    assert candidate.id_number not in page and "13700001111" not in page
    assert not PersonalDataView.objects.filter(candidate=candidate).exists()


def test_the_timeline_shows_the_nomination_and_a_step_decision_with_its_opinion_and_user(
    client_of, demo_user
):
    yushu = demo_user("yushu")
    candidate = CandidateFactory(village=hongshi())
    client = english(client_of(yushu))
    response = client.post(
        reverse("candidates:candidate_nominate", args=[candidate.pk]),
        {"track": "wealth_creator", "recommender": "village_organisation", "reason": "赤松茸种植大户"},
    )
    certification = candidate.certifications.get()
    assert response.status_code == 302 and response.url == certification.get_absolute_url()
    services.certification_advance(
        certification=certification, by=yushu, decision=Decision.PASS, opinion="推荐材料齐全", expected_step=1
    )
    response = client.get(candidate.get_absolute_url())
    events = {event.kind: event for event in response.context["timeline"]}
    assert events["nominated"].who == yushu and any(
        "赤松茸种植大户" in line for line in events["nominated"].details
    )
    step = events["step"]
    assert step.who == yushu and "Step 1" in step.title and "Pass" in step.title
    assert any("推荐材料齐全" in line for line in step.details)
    page = response.content.decode()
    assert "推荐材料齐全" in page and str(yushu) in page


def test_an_edit_shows_on_the_timeline_with_old_and_new_value_and_who(client_of, demo_user):
    candidate = CandidateFactory(village=hongshi(), phone="13911112222")
    client = english(client_of("yushu"))
    response = client.post(
        reverse("candidates:candidate_edit", args=[candidate.pk]), record_data(candidate, phone="13933334444")
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.phone == "13933334444"
    timeline = client.get(candidate.get_absolute_url()).context["timeline"]
    change = next(event for event in timeline if event.kind == "changed")
    assert change.who == demo_user("yushu")
    assert change.details == ["Mobile phone: 13911112222 → 13933334444"]


def test_city_staff_see_changes_of_the_phone_masked_on_the_timeline(client_of, demo_user):
    candidate = CandidateFactory(village=hongshi(), phone="13911112222")
    services.candidate_update(by=demo_user("yushu"), candidate=candidate, fields={"phone": "13933334444"})
    timeline = english(client_of("city")).get(candidate.get_absolute_url()).context["timeline"]
    change = next(event for event in timeline if event.kind == "changed")
    assert change.details == ["Mobile phone: 139****2222 → 139****4444"]


def test_choice_changes_show_labels_and_village_moves_show_names(client_of, demo_user):
    yushu = demo_user("yushu")
    candidate = CandidateFactory(village=hongshi(), education="junior_high")
    other = Village.objects.filter(region__parent=hongshi().region.parent).exclude(pk=hongshi().pk).first()
    services.candidate_update(
        by=yushu, candidate=candidate, fields={"education": "college", "village": other}
    )
    timeline = english(client_of(yushu)).get(candidate.get_absolute_url()).context["timeline"]
    change = next(event for event in timeline if event.kind == "changed")
    assert change.details == [
        "Education: Junior high school → Junior college",
        f"Village: 红石村 → {other.region.name}",
    ]


# Who may do what ---------------------------------------------------------------------------------


def test_a_township_official_edits_a_candidate_of_its_township_and_not_of_another(client_of):
    client = client_of("yushu")
    ours = CandidateFactory(village=hongshi())
    theirs = CandidateFactory(village=najia())
    assert client.get(reverse("candidates:candidate_edit", args=[ours.pk])).status_code == 200
    assert client.get(reverse("candidates:candidate_edit", args=[theirs.pk])).status_code == 404
    assert client.get(theirs.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("candidates:candidate_edit", args=[theirs.pk]), record_data(theirs, phone="13100000000")
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.phone != "13100000000"


def test_a_county_reviewer_reads_but_may_not_enter_edit_or_nominate(client_of):
    client = client_of("xinbin")
    candidate = CandidateFactory(village=hongshi())
    response = client.get(candidate.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False and response.context["can_nominate"] is False
    assert reverse("candidates:candidate_edit", args=[candidate.pk]) not in response.content.decode()
    assert client.get(reverse("candidates:candidate_edit", args=[candidate.pk])).status_code == 403
    assert client.get(reverse("candidates:candidate_nominate", args=[candidate.pk])).status_code == 403
    assert client.get(reverse("candidates:candidate_create")).status_code == 403
    assert create(client, entry_data(hongshi())).status_code == 403


def test_a_township_official_may_not_offer_a_village_outside_its_township(client_of):
    client = english(client_of("yushu"))
    data = entry_data(najia())
    response = create(client, data)
    assert response.context["form"].errors["village"] == ["Choose the Village from the list."]
    assert not Candidate.objects.filter(id_number=data["id_number"]).exists()


def test_a_person_in_certification_cannot_be_nominated_again(client_of):
    candidate = CandidateFactory(village=hongshi(), certifying=True)
    CertificationFactory(candidate=candidate)
    client = english(client_of("yushu"))
    page = client.get(candidate.get_absolute_url())
    assert page.context["can_nominate"] is False
    response = client.post(
        reverse("candidates:candidate_nominate", args=[candidate.pk]),
        {"track": "wealth_creator", "recommender": "self", "reason": "再次推荐"},
    )
    assert response.status_code == 200
    assert "cannot be nominated now" in response.content.decode()
    assert candidate.certifications.count() == 1


# Query counts ------------------------------------------------------------------------------------


def _fill(village, count):
    for n in range(count):
        candidate = CandidateFactory(village=village, certifying=n % 2 == 0)
        if n % 2 == 0:
            CertificationFactory(candidate=candidate, step=n % 7 + 1)


def _queries(client, url, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured), response


def test_the_candidate_list_costs_the_same_queries_for_10_and_100_rows(
    client_of, benxi, django_assert_max_num_queries
):
    client = client_of(benxi["user"])
    url = reverse("candidates:candidate_list")
    _fill(benxi["village"], 10)
    ten, response = _queries(client, url, per_page=100)
    assert len(response.context["table"].page.object_list) == 10
    _fill(benxi["village"], 90)
    with django_assert_max_num_queries(ten):
        _, response = _queries(client, url, per_page=100)
    assert len(response.context["table"].page.object_list) == 100
    with django_assert_max_num_queries(ten):
        _queries(client, url, per_page=100, step="3", overdue="1", sort="-current_step")


def _events(candidate, township, county, count):
    """`count` rounds of edits, step decisions, objections and mentors on the candidate's record."""
    certification = Certification.objects.get(candidate=candidate)
    notice = PublicNotice.objects.create(
        certification=certification,
        start_date=TODAY,
        end_date=TODAY,
        working_days=5,
        published_by=county,
    )
    mentor = MentorFactory()
    villages = [VillageFactory(township=township.jurisdiction) for _ in range(2)]
    for n in range(count):
        services.candidate_update(
            by=township, candidate=candidate, fields={"phone": f"1370000{n:04d}", "village": villages[n % 2]}
        )
        CertificationStep.objects.create(
            certification=certification, step=1, decision=Decision.RETURN, opinion=f"意见{n}", by=township
        )
        Objection.objects.create(
            notice=notice,
            content=f"异议{n}",
            status=ObjectionStatus.DISMISSED,
            ruling="不属实",
            ruled_by=county,
            ruled_at=timezone.now(),
        )
        MentorAssignment.objects.create(
            candidate=candidate, mentor=mentor, start_date=TODAY, end_date=TODAY, assigned_by=county
        )


def test_the_timeline_costs_the_same_queries_for_few_and_many_events(
    client_of, django_assert_max_num_queries
):
    township, county = UserFactory(), UserFactory(county_reviewer=True)
    few = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    CertificationFactory(candidate=few)
    _events(few, township, county, 1)
    many = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    CertificationFactory(candidate=many)
    _events(many, township, county, 10)
    client = client_of(township)

    count, response = _queries(client, few.get_absolute_url())
    assert len(response.context["timeline"]) < 10
    with django_assert_max_num_queries(count):
        _, response = _queries(client, many.get_absolute_url())
    assert len(response.context["timeline"]) > 50
