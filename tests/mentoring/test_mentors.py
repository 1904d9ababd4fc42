"""Mentors and their mentees: one mentor per candidate, reassignment with its history, a leader leaving,
visits, the flags, and who sees what (DESIGN §6, issue 9)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import User
from candidates.models import Candidate
from config.forms import field_label
from config.workflows import NotVisible
from mentoring import services
from mentoring.models import DIMENSIONS, Assessment, MentorAssignment, MentoringVisit
from mentoring.selectors import mentors as selectors
from tests.factories import CandidateFactory, MentorFactory, UserFactory, VillageFactory, benxi_township

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def place():
    """A township official and a county reviewer of a 本溪 township, a village, an active candidate
    mentored by a county leader who has a portal login, and a second leader."""
    township = UserFactory()
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=township.jurisdiction)
    candidate = CandidateFactory(village=village, active=True, industry="食用菌")
    mentor_user = UserFactory(mentor=True)
    mentor = MentorFactory(user=mentor_user, region=township.jurisdiction.parent)
    MentorAssignment.objects.create(candidate=candidate, mentor=mentor)
    return {
        "township": township,
        "county": county,
        "village": village,
        "candidate": candidate,
        "mentor": mentor,
        "mentor_user": mentor_user,
        "other_mentor": MentorFactory(region=township.jurisdiction, industries="食用菌,养殖"),
    }


def test_a_second_current_mentor_is_refused_by_the_database_itself(place):
    """The one-mentor rule holds even for a write that bypasses the service."""
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignment.objects.create(candidate=place["candidate"], mentor=place["other_mentor"])


def test_a_reassignment_ends_the_old_assignment_and_keeps_its_history(place):
    services.mentor_assign(by=place["county"], candidate=place["candidate"], mentor=place["other_mentor"])
    assignments = list(MentorAssignment.objects.filter(candidate=place["candidate"]).order_by("pk"))
    assert [(a.mentor, a.end_date) for a in assignments] == [
        (place["mentor"], TODAY()),
        (place["other_mentor"], None),
    ]
    assert assignments[0].history.latest("history_date").history_user == place["county"]


def test_only_the_county_of_the_candidate_assigns(place, demo_user):
    with pytest.raises(PermissionDenied):
        services.mentor_assign(
            by=place["township"], candidate=place["candidate"], mentor=place["other_mentor"]
        )
    with pytest.raises(NotVisible):
        services.mentor_assign(
            by=demo_user("xinbin"), candidate=place["candidate"], mentor=place["other_mentor"]
        )


def test_the_service_itself_refuses_a_mentor_for_someone_not_active_or_from_another_township(place):
    """The rules the assignment page draws hold for any caller of the service."""
    prospect = CandidateFactory(village=place["village"])
    with pytest.raises(ValidationError):
        services.mentor_assign(by=place["county"], candidate=prospect, mentor=place["other_mentor"])
    assert not MentorAssignment.objects.filter(candidate=prospect).exists()
    elsewhere = MentorFactory(region=benxi_township(2))  # the next township of the same county
    assert elsewhere.region.parent == place["township"].jurisdiction.parent
    with pytest.raises(ValidationError):
        services.mentor_assign(by=place["county"], candidate=place["candidate"], mentor=elsewhere)
    assert MentorAssignment.objects.get(candidate=place["candidate"], end_date=None).mentor == place["mentor"]


def test_suggestions_put_leaders_who_know_the_industry_first(place):
    suggested = selectors.mentor_suggestions(candidate=place["candidate"], user=place["county"])
    assert suggested[0] == place["other_mentor"] and suggested[0].knows
    assert place["mentor"] in suggested


def test_a_leader_leaving_ends_all_their_assignments_and_their_people_need_a_mentor(place, client_of):
    response = client_of(place["county"]).post(reverse("mentoring:mentor_leave", args=[place["mentor"].pk]))
    assert response.status_code == 302
    place["mentor"].refresh_from_db()
    assert not place["mentor"].active
    assert not MentorAssignment.objects.current().filter(mentor=place["mentor"]).exists()
    assert place["candidate"] in selectors.without_mentor(user=place["county"])
    home = client_of(place["county"]).get(reverse("reports:home"))
    section = next(s for s in home.context["queue"].sections if s.key == "without-mentor")
    assert place["candidate"].name in [item.label for item in section.items]
    with pytest.raises(ValidationError):
        services.mentor_assign(by=place["county"], candidate=place["candidate"], mentor=place["mentor"])


def test_the_county_assigns_through_the_page_and_the_candidate_page_shows_the_history(place, client_of):
    client = client_of(place["county"])
    url = reverse("mentoring:mentor_assign", args=[place["candidate"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"mentor": place["other_mentor"].pk})
    assert response.status_code == 302
    page = client.get(place["candidate"].get_absolute_url())
    mentoring = page.context["mentoring"]
    assert mentoring["current"].mentor == place["other_mentor"]
    assert [a.mentor for a in mentoring["assignments"]] == [place["other_mentor"], place["mentor"]]
    assert place["other_mentor"].name in page.content.decode()


# Visits ----------------------------------------------------------------------------------------------


def visit(place, by, **changes):
    data = {
        "date": TODAY(),
        "form": "visit",
        "content": "了解香菇大棚生产情况",
        "problems": "缺少冷库",
    } | changes
    return services.visit_log(by=by, candidate=place["candidate"], **data)


def test_the_mentor_and_the_township_log_visits_the_county_does_not(place):
    assert visit(place, place["mentor_user"]).mentor == place["mentor"]
    assert visit(place, place["township"], form="onsite").recorded_by == place["township"]
    with pytest.raises(PermissionDenied):
        visit(place, place["county"])
    with pytest.raises(NotVisible):
        visit(place, UserFactory(mentor=True))


def test_a_visit_in_the_future_or_without_content_is_refused_and_nothing_is_written(place):
    with pytest.raises(ValidationError) as refused:
        visit(place, place["mentor_user"], date=TODAY() + datetime.timedelta(days=1), content=" ")
    assert set(refused.value.message_dict) == {"date", "content"}
    assert not MentoringVisit.objects.filter(candidate=place["candidate"]).exists()


def test_a_visit_logged_through_the_page_shows_on_the_timeline(place, client_of):
    client = client_of(place["mentor_user"])
    url = reverse("mentoring:visit_create", args=[place["candidate"].pk])
    response = client.post(url, {"date": TODAY().isoformat(), "form": "call", "content": "电话指导销售"})
    assert response.status_code == 302
    page = client.get(place["candidate"].get_absolute_url())
    assert any(event.kind == "visit" for event in page.context["timeline"])
    assert "电话指导销售" in page.content.decode()


def test_a_candidate_not_visited_for_the_set_months_is_flagged(place, settings):
    settings.VISIT_INTERVAL_MONTHS = 3
    old = TODAY() - datetime.timedelta(days=120)
    visit(place, place["mentor_user"], date=old)
    rows = selectors.mentee_rows(
        selectors.mentee_list(user=place["mentor_user"], today=TODAY()), today=TODAY()
    )
    assert rows[0].last_visit == old and rows[0].visit_overdue
    visit(place, place["mentor_user"], date=TODAY() - datetime.timedelta(days=10))
    rows = selectors.mentee_rows(
        selectors.mentee_list(user=place["mentor_user"], today=TODAY()), today=TODAY()
    )
    assert not rows[0].visit_overdue


# Who sees what --------------------------------------------------------------------------------------


def test_a_mentor_sees_only_their_mentees_visits_and_not_other_peoples(place, client_of):
    other = CandidateFactory(village=place["village"], active=True)
    MentorAssignment.objects.create(candidate=other, mentor=place["other_mentor"])
    visit(place, place["township"])
    services.visit_log(
        by=place["township"], candidate=other, date=TODAY(), form="call", content="另一人的帮带记录"
    )
    client = client_of(place["mentor_user"])
    listed = client.get(reverse("mentoring:visit_list")).context["table"].data
    assert {v.candidate for v in listed} == {place["candidate"]}
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("mentoring:visit_create", args=[other.pk])).status_code == 404
    mentees = client.get(reverse("mentoring:home")).context["rows"]
    assert [row.candidate for row in mentees] == [place["candidate"]]


def test_mentors_are_listed_with_the_load_the_user_may_see(place, client_of):
    response = client_of(place["county"]).get(reverse("mentoring:home"), {"per_page": 200})
    loads = {m.pk: m.load for m in response.context["table"].data}
    assert loads[place["mentor"].pk] == 1 and loads[place["other_mentor"].pk] == 0
    assert client_of(place["mentor_user"]).get(reverse("mentoring:mentor_export")).status_code == 403


def test_the_lists_cost_the_same_queries_for_few_and_many_rows(
    place, client_of, django_assert_max_num_queries
):
    def many(count):
        for n in range(count):
            person = CandidateFactory(village=place["village"], active=True)
            MentorAssignment.objects.create(candidate=person, mentor=place["other_mentor"])
            services.visit_log(
                by=place["township"], candidate=person, date=TODAY(), form="call", content=f"第{n}次"
            )

    client = client_of(place["county"])
    urls = [reverse("mentoring:home"), reverse("mentoring:visit_list"), reverse("mentoring:assessment_list")]
    many(2)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as captured:
            client.get(url, {"per_page": 100})
        counts[url] = len(captured)
    many(25)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url, {"per_page": 100})
    mentor_client = client_of(place["mentor_user"])
    with django_assert_max_num_queries(30) as captured:
        mentor_client.get(reverse("mentoring:home"))
    few = len(captured)
    for _n in range(10):
        person = CandidateFactory(village=place["village"], active=True)
        MentorAssignment.objects.create(candidate=person, mentor=place["mentor"])
    with django_assert_max_num_queries(few):
        mentor_client.get(reverse("mentoring:home"))


def test_the_demo_mentor_sees_their_mentees_on_their_home_page(client_of, demo_user):
    mentor = demo_user("mentor")
    home = client_of(mentor).get(reverse("reports:home"))
    section = next(s for s in home.context["queue"].sections if s.key == "mentees")
    assert section.count == Candidate.objects.visible_to(mentor).active().count() > 0
    assert all(item.action_url for item in section.items)
    assert User.objects.filter(mentor__assignments__end_date__isnull=True, username="mentor").exists()


# The exports of the visit and assessment lists ---------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(
        load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )


def _mentees_with_records(place, count: int) -> None:
    for n in range(count):
        person = CandidateFactory(village=place["village"], active=True)
        MentorAssignment.objects.create(candidate=person, mentor=place["mentor"])
        services.visit_log(
            by=place["township"], candidate=person, date=TODAY(), form="call", content=f"第{n}次"
        )
        services.assessment_submit(
            by=place["mentor_user"], candidate=person, year=TODAY().year - 1, quarter=4, scores=SCORES
        )


SCORES = dict.fromkeys(DIMENSIONS, 15)


@pytest.mark.parametrize(
    ("export", "model"),
    [("mentoring:visit_export", MentoringVisit), ("mentoring:assessment_export", Assessment)],
)
def test_an_export_holds_the_rows_of_its_list_with_the_place_and_costs_the_same_queries_for_any_number(
    place, client_of, django_assert_max_num_queries, export, model
):
    client = client_of(place["county"])
    _mentees_with_records(place, 2)
    with django_assert_max_num_queries(40) as captured:
        rows = _sheet(client.get(reverse(export)))
    few = len(captured)
    _mentees_with_records(place, 20)
    with django_assert_max_num_queries(few):
        rows = _sheet(client.get(reverse(export)))
    records = model.objects.visible_to(place["county"])
    assert len(rows) == 1 + records.count() == 1 + 22
    header = rows[0]
    county, township, village = (
        header.index(_(label)) for label in ("County/district", "Township", "Village")
    )
    region = place["village"].region
    assert {(r[county], r[township], r[village]) for r in rows[1:]} == {
        (region.parent.parent.name, region.parent.name, region.name)
    }
    named = header.index(field_label(model, "candidate"))
    assert {r[named] for r in rows[1:]} == set(records.values_list("candidate__name", flat=True))


def test_a_city_wide_export_past_the_limit_asks_to_narrow_the_filters_and_keeps_them(
    place, client_of, settings
):
    settings.EXPORT_MAX_ROWS = 2
    _mentees_with_records(place, 3)
    client = client_of(place["county"])
    response = client.get(reverse("mentoring:visit_export"), {"form": "call"})
    assert response["Content-Type"].startswith("text/html") and response.context["count"] == 3
    assert f'href="{reverse("mentoring:visit_list")}?form=call"' in response.content.decode()
    person = MentorAssignment.objects.filter(mentor=place["mentor"]).latest("pk").candidate
    settings.EXPORT_MAX_ROWS = 20_000
    assert len(_sheet(client.get(reverse("mentoring:assessment_export")))) == 1 + 3
    assert person.name in {row[0] for row in _sheet(client.get(reverse("mentoring:assessment_export")))}
