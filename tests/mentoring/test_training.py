"""Training: courses, enrolments and completion, the university cohorts, online hours and the usage rate;
who may do what, inside and outside their jurisdiction; list pages whose queries do not grow with the rows;
exports that open and hold the rows; what the candidate's page and timeline get."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from config.workflows import NotVisible
from mentoring.models import Course, Enrolment, OnlineLearning
from mentoring.selectors import training as selectors
from mentoring.services import training
from tests.factories import CandidateFactory, UserFactory, VillageFactory, benxi_township

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 6)
# The demo mentor's mentee in 那家村 (永陵镇, 新宾).
MENTEE = "杨德友"


def new_course(by, *, level="city", name="乡村振兴专题培训班", cohort="", start=DAY, days=4) -> Course:
    return training.course_create(
        by=by,
        name=name,
        organiser="中共抚顺市委组织部",
        level=level,
        cohort=cohort,
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        hours=Decimal(32),
    )


def active(username_or_user, demo_user=None) -> list[Candidate]:
    user = demo_user(username_or_user) if demo_user else username_or_user
    return list(Candidate.objects.visible_to(user).active().order_by("pk"))


@pytest.fixture
def city(demo_user):
    return demo_user("city")


@pytest.fixture
def course(city):
    return new_course(city)


@pytest.fixture
def benxi():
    """A township official of a 本溪 township outside the demo, with three active candidates of their own."""
    official = UserFactory()
    village = VillageFactory()
    people = [CandidateFactory(village=village, active=True) for _ in range(3)]
    return official, village, people


# Courses ------------------------------------------------------------------------------------------


def test_a_township_enters_courses_of_its_own_level_only(demo_user):
    yushu = demo_user("yushu")
    assert new_course(yushu, level="township").created_by == yushu
    with pytest.raises(ValidationError) as caught:
        new_course(yushu, level="county")
    assert "level" in caught.value.error_dict


def test_a_university_class_needs_its_cohort(city):
    with pytest.raises(ValidationError) as caught:
        new_course(city, level="university")
    assert "cohort" in caught.value.error_dict
    assert new_course(city, level="university", cohort="头雁 2024").cohort == "头雁 2024"


def test_a_course_cannot_end_before_it_starts(city):
    with pytest.raises(ValidationError):
        new_course(city, days=-1)


@pytest.mark.parametrize("username", ["mentor", "admin"])
def test_mentors_and_administrators_enter_no_course_on_the_portal(username, demo_user, client_of):
    with pytest.raises(PermissionDenied):
        new_course(demo_user(username))
    assert client_of(username).get(reverse("mentoring:course_create")).status_code == 403


def test_a_county_enters_a_course_on_its_page_offered_its_own_level(demo_user, client_of):
    client = client_of("xinbin")
    form = client.get(reverse("mentoring:course_create")).context["form"]
    assert [value for value, _label in form.fields["level"].choices] == ["county"]
    response = client.post(
        reverse("mentoring:course_create"),
        {
            "name": "新宾县食用菌技术培训",
            "organiser": "新宾县委组织部",
            "level": "county",
            "start_date": "2024-04-01",
            "end_date": "2024-04-03",
            "hours": "24",
        },
    )
    course = Course.objects.get(name="新宾县食用菌技术培训")
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert (course.level, course.created_by, course.online) == ("county", demo_user("xinbin"), False)
    assert course.history.count() == 1


# Enrolment and completion -------------------------------------------------------------------------


def test_a_township_enrols_its_candidate_once(course, demo_user):
    yushu = demo_user("yushu")
    person = active(yushu)[0]
    enrolment = training.enrolment_create(by=yushu, course=course, candidate=person)
    assert (enrolment.enrolled_by, enrolment.completed_on, enrolment.history.count()) == (yushu, None, 1)
    with pytest.raises(ValidationError):
        training.enrolment_create(by=yushu, course=course, candidate=person)
    assert Enrolment.objects.filter(course=course).count() == 1


def test_only_active_candidates_are_enrolled(course, demo_user):
    yushu = demo_user("yushu")
    prospect = Candidate.objects.visible_to(yushu).exclude(status="active").first()
    with pytest.raises(ValidationError):
        training.enrolment_create(by=yushu, course=course, candidate=prospect)


def test_a_township_official_cannot_enrol_a_candidate_of_another_township(course, demo_user, client_of):
    yushu, stranger = demo_user("yushu"), active("yongling", demo_user)[0]
    with pytest.raises(NotVisible):  # 404
        training.enrolment_create(by=yushu, course=course, candidate=stranger)
    client = client_of(yushu)
    url = reverse("mentoring:enrolment_create", args=[course.pk])
    page = client.get(url, {"q": stranger.name})
    assert stranger not in page.context["found"]
    response = client.post(url, {"candidates": [stranger.pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Enrolment.objects.filter(course=course).exists()


@pytest.mark.parametrize("username", ["city", "mentor", "admin"])
def test_only_townships_and_counties_enrol(username, course, demo_user, client_of):
    user = demo_user(username)
    person = Candidate.objects.visible_to(user).active().first()
    with pytest.raises(PermissionDenied):
        training.enrolment_create(by=user, course=course, candidate=person)
    assert client_of(user).get(reverse("mentoring:enrolment_create", args=[course.pk])).status_code == 403


def test_the_enrolment_page_enrols_the_people_ticked(course, demo_user, client_of):
    client = client_of("yushu")
    url = reverse("mentoring:enrolment_create", args=[course.pk])
    found = client.get(url).context["found"]
    chosen = [found[0].pk, found[1].pk]
    response = client.post(url, {"candidates": chosen})
    assert response.status_code == 302
    assert set(Enrolment.objects.filter(course=course).values_list("candidate_id", flat=True)) == set(chosen)
    assert found[0] not in client.get(url).context["found"]  # enrolled: no longer offered


def test_completion_is_recorded_not_in_the_future_nor_before_the_course(course, demo_user, client_of):
    yushu = demo_user("yushu")
    enrolment = training.enrolment_create(by=yushu, course=course, candidate=active(yushu)[0])
    for day in (timezone.localdate() + datetime.timedelta(days=1), DAY - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            training.enrolment_complete(by=yushu, enrolment=enrolment, completed_on=day)
    url = reverse("mentoring:enrolment_complete", args=[enrolment.pk])
    response = client_of(yushu).post(url, {"completed_on": "2024-05-10"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.completed_on == datetime.date(2024, 5, 10) and enrolment.history.count() == 2


def test_another_township_cannot_see_an_enrolment_and_a_mentor_cannot_complete_one(
    course, demo_user, client_of
):
    mentee = Candidate.objects.get(name=MENTEE)  # of 那家村, 永陵镇
    enrolment = training.enrolment_create(by=demo_user("xinbin"), course=course, candidate=mentee)
    url = reverse("mentoring:enrolment_complete", args=[enrolment.pk])
    assert client_of("yushu").post(url, {"completed_on": "2024-05-10"}).status_code == 404
    assert client_of("qianjin").get(url).status_code == 404
    assert client_of("mentor").post(url, {"completed_on": "2024-05-10"}).status_code == 403
    assert client_of("yongling").get(url).status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None


def test_a_mentor_sees_only_the_enrolments_of_their_mentees(course, demo_user, client_of):
    xinbin, mentor = demo_user("xinbin"), demo_user("mentor")
    mentees = active(mentor)
    mentee = Candidate.objects.get(name=MENTEE)
    assert mentee in mentees
    other = Candidate.objects.visible_to(xinbin).active().exclude(pk__in=[m.pk for m in mentees]).first()
    for person in (mentee, other):
        training.enrolment_create(by=xinbin, course=course, candidate=person)
    page = client_of(mentor).get(course.get_absolute_url())
    assert [row.record.candidate for row in page.context["table"].rows] == [mentee]
    assert page.context["course"].enrolled == 1
    assert selectors.course_list(user=xinbin).get(pk=course.pk).enrolled == 2
    assert [e.candidate for e in selectors.course_enrolments(course=course, user=mentor)] == [mentee]


# Figures ------------------------------------------------------------------------------------------


def test_university_trainees_counts_each_person_once_within_the_region(benxi, city):
    official, village, (first, second, third) = benxi
    classes = [
        new_course(city, level="university", cohort=f"头雁 {year}", start=datetime.date(year, 6, 1))
        for year in (2022, 2023)
    ]
    for course, person in ((classes[0], first), (classes[1], first), (classes[1], second)):
        Enrolment.objects.create(course=course, candidate=person, enrolled_by=official)
    Enrolment.objects.create(course=new_course(city), candidate=third, enrolled_by=official)
    assert selectors.university_trainees(user=official) == 2
    assert selectors.university_trainees(user=official, region=village.region) == 2
    assert selectors.university_trainees(user=official, region="210422000000") == 0
    assert selectors.university_trainees(user=city) == selectors.university_trainees(
        user=city, region="210400000000"
    )


def test_the_usage_rate_is_the_share_of_active_candidates_with_hours_that_year(benxi):
    official, village, (first, second, third) = benxi
    for person, hours in ((first, 5), (second, Decimal("0.5")), (third, 0)):
        OnlineLearning.objects.create(
            candidate=person, month=datetime.date(2019, 4, 1), hours=hours, imported_by=official
        )
    OnlineLearning.objects.create(
        candidate=third, month=datetime.date(2018, 4, 1), hours=9, imported_by=official
    )
    CandidateFactory(village=village, status="eliminated", stage="wealth_creator")  # not counted
    assert selectors.online_learning_rate(user=official, year=2019) == pytest.approx(2 / 3)
    assert selectors.online_learning_rate(user=official, year=2017) == 0
    assert selectors.online_learning_rate(user=official, year=2019, region="210422000000") is None
    nobody = UserFactory(jurisdiction=benxi_township(2))  # a township without candidates
    assert selectors.online_learning_rate(user=nobody, year=2019) is None


def test_the_online_page_shows_each_person_s_hours_and_the_rate(benxi, client_of):
    official, _village, (first, second, third) = benxi
    for month, hours in ((3, 4), (4, 6)):
        OnlineLearning.objects.create(
            candidate=first, month=datetime.date(2019, month, 1), hours=hours, imported_by=official
        )
    page = client_of(official).get(reverse("mentoring:online_learning_list"), {"year": 2019})
    rows = {row.record.pk: (row.record.hours, row.record.months) for row in page.context["table"].rows}
    assert rows == {first.pk: (10, 2), second.pk: (0, 0), third.pk: (0, 0)}
    assert page.context["rate_percent"] == pytest.approx(33.3)
    march = client_of(official).get(
        reverse("mentoring:online_learning_list"), {"year": 2019, "month": 3, "used": "1"}
    )
    assert [(row.record.pk, row.record.hours) for row in march.context["table"].rows] == [(first.pk, 4)]


# The candidate's page and timeline ----------------------------------------------------------------


def test_the_candidate_s_training_and_timeline(course, demo_user):
    yushu = demo_user("yushu")
    person = active(yushu)[0]
    OnlineLearning.objects.filter(candidate=person).delete()
    enrolment = training.enrolment_create(by=yushu, course=course, candidate=person)
    training.enrolment_complete(by=yushu, enrolment=enrolment, completed_on=datetime.date(2024, 5, 10))
    for month, hours in ((3, "2.5"), (4, "4"), (1, "1")):
        year = 2023 if month == 1 else 2024
        OnlineLearning.objects.create(
            candidate=person, month=datetime.date(year, month, 1), hours=Decimal(hours), imported_by=yushu
        )
    found = selectors.candidate_training(candidate=person, user=yushu)
    assert course in [e.course for e in found["enrolments"]] and found["completed"] >= 1
    assert [(y["year"], y["hours"]) for y in found["online_years"]] == [(2024, Decimal("6.5")), (2023, 1)]
    assert found["online_total"] == Decimal("7.5") and found["can_enrol"]
    events = [e for e in selectors.training_events(candidate=person) if e.url == course.get_absolute_url()]
    assert [(e.kind, e.when.date(), e.date_only, e.who) for e in events] == [
        ("training", DAY, True, yushu),  # entered after the course began: dated by its first day
        ("training", datetime.date(2024, 5, 10), True, None),
    ]
    coming = new_course(yushu, level="township", start=timezone.localdate() + datetime.timedelta(days=30))
    training.enrolment_create(by=yushu, course=coming, candidate=person)
    (event,) = [e for e in selectors.training_events(candidate=person) if e.url == coming.get_absolute_url()]
    assert not event.date_only and timezone.localdate(event.when) == timezone.localdate()
    html = render_to_string(
        "mentoring/includes/candidate_training.html", {"training": found, "candidate": person}
    )
    assert course.name in html and "6.5" in html


# Query counts -------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_list_pages_cost_the_same_queries_whatever_the_number_of_rows(
    benxi, city, client_of, django_assert_max_num_queries
):
    official, village, people = benxi
    course = new_course(city)
    university = new_course(city, level="university", cohort="头雁 2030")
    Enrolment.objects.create(course=course, candidate=people[0], enrolled_by=official)
    Enrolment.objects.create(course=university, candidate=people[0], enrolled_by=official)
    OnlineLearning.objects.create(
        candidate=people[0], month=datetime.date(2019, 1, 1), hours=3, imported_by=official
    )
    client = client_of(official)
    urls = [
        reverse("mentoring:course_list"),
        reverse("mentoring:course_detail", args=[course.pk]),
        reverse("mentoring:enrolment_create", args=[course.pk]),
        reverse("mentoring:cohort_list"),
        reverse("mentoring:online_learning_list") + "?year=2019",
    ]
    before = {url: _queries(client, url) for url in urls}
    more = [CandidateFactory(village=village, active=True) for _ in range(6)]
    for person in [*people[1:], *more]:
        Enrolment.objects.create(course=course, candidate=person, enrolled_by=official, completed_on=DAY)
        Enrolment.objects.create(course=university, candidate=person, enrolled_by=official)
        OnlineLearning.objects.create(
            candidate=person, month=datetime.date(2019, 1, 1), hours=3, imported_by=official
        )
    new_course(city, name="又一个班")
    for url in urls:
        with django_assert_max_num_queries(before[url]):
            client.get(url)
        assert before[url] <= 12, (url, before[url])


# Exports ------------------------------------------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_exports_open_and_hold_the_rows(benxi, city, client_of):
    official, _village, people = benxi
    course = new_course(city, name='=HYPERLINK("x")')
    university = new_course(city, level="university", cohort="头雁 2031", name="浙江大学乡村振兴专题班")
    for person in people:
        Enrolment.objects.create(course=university, candidate=person, enrolled_by=official)
        OnlineLearning.objects.create(
            candidate=person, month=datetime.date(2019, 2, 1), hours=2, imported_by=official
        )
    Enrolment.objects.create(course=course, candidate=people[0], enrolled_by=official)
    client = client_of(official)

    courses = _sheet(client.get(reverse("mentoring:course_export"), {"q": "HYPERLINK"}))
    assert len(courses) == 2 and courses[1][0] == course.name and courses[1][-2] == 1
    trainees = _sheet(client.get(reverse("mentoring:cohort_export"), {"cohort": "头雁 2031"}))
    assert sorted(row[0] for row in trainees[1:]) == sorted(p.name for p in people)
    assert all(row[3] == "头雁 2031" for row in trainees[1:])
    hours = _sheet(client.get(reverse("mentoring:online_learning_export"), {"year": 2019}))
    assert sorted((row[0], row[5]) for row in hours[1:]) == sorted((p.name, 2) for p in people)


# The admin ----------------------------------------------------------------------------------------


def test_the_city_adds_a_course_in_the_admin_a_county_only_reads(client_of, demo_user):
    data = {
        "name": "抚顺市村书记示范培训班",
        "organiser": "中共抚顺市委组织部",
        "level": "university",
        "cohort": "",
        "start_date": "2024-09-01",
        "end_date": "2024-09-05",
        "hours": "40",
    }
    url = reverse("admin:mentoring_course_add")
    assert client_of("xinbin").post(url, data).status_code == 403
    refused = client_of("city").post(url, data)
    assert refused.status_code == 200 and "cohort" in refused.context["adminform"].form.errors
    assert client_of("city").post(url, data | {"cohort": "头雁 2024"}).status_code == 302
    course = Course.objects.get(name="抚顺市村书记示范培训班")
    assert course.created_by == demo_user("city") and course.history.count() == 1
