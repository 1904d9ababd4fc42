"""Assessments (考核): scores, total and grade computed, submitted by the mentor, confirmed or returned by
the county, then locked; two 不合格 in a row flag the candidate (DESIGN §6, issue 9)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from config.workflows import AlreadyDecided, NotVisible, WorkflowError
from mentoring import services
from mentoring.choices import Grade, grade_of
from mentoring.models import DIMENSIONS, Assessment, MentorAssignment
from mentoring.selectors import mentors as selectors
from tests.factories import CandidateFactory, MentorFactory, UserFactory, VillageFactory, page_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    township = UserFactory()
    county = UserFactory(county_reviewer=True)
    candidate = CandidateFactory(village=VillageFactory(township=township.jurisdiction), active=True)
    mentor_user = UserFactory(mentor=True)
    mentor = MentorFactory(user=mentor_user, region=township.jurisdiction.parent)
    MentorAssignment.objects.create(candidate=candidate, mentor=mentor)
    return {"township": township, "county": county, "candidate": candidate, "mentor": mentor_user}


def scores_totalling(total: int) -> dict:
    """Five scores of 0–20 adding up to `total`."""
    scores, left = {}, total
    for name in DIMENSIONS:
        scores[name] = min(20, left)
        left -= scores[name]
    assert left == 0 and sum(scores.values()) == total
    return scores


def submit(place, total=85, *, year=2025, quarter=1):
    return services.assessment_submit(
        by=place["mentor"],
        candidate=place["candidate"],
        year=year,
        quarter=quarter,
        scores=scores_totalling(total),
        comments="带动效果明显",
    )


def decide(place, assessment, action, by="county", opinion="同意"):
    return services.assessment_decide(
        by=place[by],
        assessment=assessment,
        action=action,
        expected_state=page_state(assessment),
        opinion=opinion,
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (0, Grade.FAIL),
        (59, Grade.FAIL),
        (60, Grade.PASS),
        (79, Grade.PASS),
        (80, Grade.GOOD),
        (89, Grade.GOOD),
        (90, Grade.EXCELLENT),
        (100, Grade.EXCELLENT),
    ],
)
def test_the_grade_follows_the_total_at_each_boundary(place, total, grade):
    assert grade_of(total) == grade
    assessment = submit(place, total, quarter=1)
    assert (assessment.total, assessment.grade) == (total, grade)


def test_the_total_is_computed_never_typed(place, client_of):
    client = client_of(place["mentor"])
    url = reverse("mentoring:assessment_create", args=[place["candidate"].pk])
    data = {
        "year": 2025,
        "quarter": 2,
        **scores_totalling(72),
        "comments": "",
        "total": 100,
        "grade": "excellent",
    }
    assert client.post(url, data).status_code == 302
    assessment = Assessment.objects.get(candidate=place["candidate"], year=2025, quarter=2)
    assert (assessment.total, assessment.grade) == (72, Grade.PASS)


def test_a_score_outside_0_to_20_or_a_period_twice_is_refused(place):
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(
            by=place["mentor"],
            candidate=place["candidate"],
            year=2025,
            quarter=1,
            scores={name: 21 for name in DIMENSIONS},
        )
    assert set(refused.value.message_dict) == set(DIMENSIONS)
    submit(place)
    with pytest.raises(ValidationError) as twice:
        submit(place)
    assert "quarter" in twice.value.message_dict
    assert Assessment.objects.filter(candidate=place["candidate"]).count() == 1


def test_only_the_mentor_submits_and_only_the_county_decides(place, demo_user):
    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            by=place["township"],
            candidate=place["candidate"],
            year=2025,
            quarter=1,
            scores=scores_totalling(80),
        )
    with pytest.raises(NotVisible):
        services.assessment_submit(
            by=UserFactory(mentor=True),
            candidate=place["candidate"],
            year=2025,
            quarter=1,
            scores=scores_totalling(80),
        )
    assessment = submit(place)
    with pytest.raises(PermissionDenied):
        decide(place, assessment, "confirm", by="township")
    with pytest.raises(NotVisible):
        services.assessment_decide(
            by=demo_user("xinbin"), assessment=assessment, action="confirm", expected_state="submitted"
        )


def test_a_confirmed_assessment_is_locked(place):
    assessment = decide(place, submit(place), "confirm")
    assert assessment.state == "confirmed" and assessment.decided_by == place["county"]
    for action, by in (("return", "county"), ("confirm", "county")):
        with pytest.raises(WorkflowError, match=r"锁定|locked"):
            decide(place, assessment, action, by=by)
    with pytest.raises(WorkflowError):
        services.assessment_decide(
            by=place["mentor"],
            assessment=assessment,
            action="resubmit",
            expected_state="confirmed",
            scores=scores_totalling(100),
        )
    assessment.refresh_from_db()
    assert assessment.total == 85


def test_a_returned_assessment_needs_a_reason_and_comes_back_corrected(place):
    assessment = submit(place, 55)
    with pytest.raises(WorkflowError):
        decide(place, assessment, "return", opinion="")
    decide(place, assessment, "return", opinion="请核实带富成效得分")
    corrected = services.assessment_decide(
        by=place["mentor"],
        assessment=assessment,
        action="resubmit",
        expected_state="returned",
        scores=scores_totalling(66),
    )
    assert (corrected.state, corrected.total, corrected.grade) == ("submitted", 66, Grade.PASS)
    with pytest.raises(AlreadyDecided):
        services.assessment_decide(
            by=place["county"], assessment=assessment, action="confirm", expected_state="returned"
        )


def test_two_fails_in_a_row_flag_the_candidate_and_offer_an_elimination(place, client_of):
    decide(place, submit(place, 50, quarter=1), "confirm")
    assert not selectors.failed_twice(place["candidate"])
    decide(place, submit(place, 70, quarter=2), "confirm")
    decide(place, submit(place, 40, quarter=3), "confirm")
    assert not selectors.failed_twice(place["candidate"])  # fail, pass, fail: not in a row
    decide(place, submit(place, 58, quarter=4), "confirm")
    assert selectors.failed_twice(place["candidate"])
    page = client_of(place["township"]).get(place["candidate"].get_absolute_url())
    assert page.context["mentoring"]["failed_twice"] and page.context["mentoring"]["can_propose_elimination"]
    assert reverse("candidates:elimination_propose", args=[place["candidate"].pk]) in page.content.decode()
    proposal = client_of(place["township"]).get(
        reverse("candidates:elimination_propose", args=[place["candidate"].pk]),
        {"reason": "failed_assessment"},
    )
    assert proposal.context["form"]["reason"].value() == "failed_assessment"


def test_a_submitted_but_unconfirmed_fail_does_not_flag(place):
    decide(place, submit(place, 50, quarter=1), "confirm")
    submit(place, 50, quarter=2)
    assert not selectors.failed_twice(place["candidate"])


def test_the_work_queues_show_assessments_due_and_awaiting(place, client_of):
    today = timezone.localdate()
    year, quarter = selectors.due_period(today)
    mentor_queue = client_of(place["mentor"]).get(reverse("reports:home")).context["queue"]
    due = next(s for s in mentor_queue.sections if s.key == "assessments-due")
    assert [item.label for item in due.items] == [place["candidate"].name]
    submit(place, 82, year=year, quarter=quarter)
    mentor_queue = client_of(place["mentor"]).get(reverse("reports:home")).context["queue"]
    assert next(s for s in mentor_queue.sections if s.key == "assessments-due").count == 0
    county_queue = client_of(place["county"]).get(reverse("reports:home")).context["queue"]
    awaiting = next(s for s in county_queue.sections if s.key == "assessments-awaiting")
    assert [item.label for item in awaiting.items] == [place["candidate"].name]


def test_the_county_confirms_through_the_page(place, client_of):
    assessment = submit(place)
    url = reverse("mentoring:assessment_detail", args=[assessment.pk])
    page = client_of(place["county"]).get(url)
    assert [t.action for t in page.context["actions"]] == ["confirm", "return"]
    assert client_of(place["mentor"]).get(url).context["actions"] == []
    response = client_of(place["county"]).post(url, {"action": "confirm", "expected_state": "submitted"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == "confirmed"
    assert (
        client_of(place["mentor"])
        .post(url, {"action": "resubmit", "expected_state": "confirmed"})
        .status_code
        == 403
    )


def test_a_mentor_sees_only_their_own_mentees_assessments(place, client_of):
    submit(place)
    stranger = UserFactory(mentor=True)
    listed = client_of(stranger).get(reverse("mentoring:assessment_list")).context["table"].data
    assert list(listed) == []
    assessment = Assessment.objects.get(candidate=place["candidate"])
    assert (
        client_of(stranger).get(reverse("mentoring:assessment_detail", args=[assessment.pk])).status_code
        == 404
    )
