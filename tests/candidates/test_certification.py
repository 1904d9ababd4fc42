"""The 7-step certification: every step by the right role in the right place, return, reject,
the step rules, the race between two reviewers, and the audit trail."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates import services
from candidates.choices import CertificationState, Decision, Status
from candidates.models import Certification, CertificationStep, PublicNotice, SelectionStandard
from config.workflows import NotVisible
from tests.factories import CandidateFactory, CertificationFactory, MentorFactory, UserFactory, VillageFactory

TODAY = timezone.localdate


@pytest.fixture
def place(db):
    """A township official and county reviewer of a 本溪 township, and their colleagues elsewhere."""
    township = UserFactory()
    return {
        "township": township,
        "county": UserFactory(county_reviewer=True),
        "other_township": User.objects.get(username="yushu"),
        "other_county": User.objects.get(username="xinbin"),
        "city": UserFactory(city_staff=True),
        "mentor": UserFactory(mentor=True),
        "village": VillageFactory(township=township.jurisdiction),
    }


def all_met():
    return {"standards": {s.number: (True, "") for s in SelectionStandard.objects.in_force()}}


def ended_notice(certification, county):
    yesterday = TODAY() - datetime.timedelta(days=1)
    return PublicNotice.objects.create(
        certification=certification,
        start_date=yesterday - datetime.timedelta(days=7),
        end_date=yesterday,
        working_days=5,
        published_by=county,
    )


def pass_data(step, place):
    """What each step must record to pass."""
    return {
        2: all_met(),
        3: {"meeting_date": TODAY(), "meeting_decision": "同意", "votes_for": 9, "votes_total": 10},
        4: {"vetting_talks": "谈话", "vetting_visits": "走访", "vetting_opinions": "认可"},
        7: {"filed_on": TODAY(), "mentor": MentorFactory()},
    }.get(step, {})


def at_step(step, place):
    certification = CertificationFactory(
        step=step, candidate__village=place["village"], created_by=place["township"]
    )
    if step == 7:
        ended_notice(certification, place["county"])
    return certification


ROLE_OF_STEP = {
    1: "township",
    2: "township",
    3: "township",
    4: "township",
    5: "county",
    6: "county",
    7: "county",
}


@pytest.mark.parametrize("step", range(1, 8))
@pytest.mark.parametrize("actor", ["township", "county", "other_township", "other_county", "city", "mentor"])
def test_each_step_is_taken_only_by_its_role_inside_its_jurisdiction(step, actor, place):
    certification = at_step(step, place)
    if step == 6:
        ended_notice(certification, place["county"])
    user = place[actor]
    call = lambda: services.certification_advance(  # noqa: E731
        certification=certification,
        by=user,
        decision=Decision.PASS,
        opinion="同意",
        expected_step=step,
        data=pass_data(step, place),
    )
    if actor == ROLE_OF_STEP[step]:
        call()
        certification.refresh_from_db()
        assert certification.step == step + 1 or certification.state == CertificationState.FILED
    elif actor in ("other_township", "other_county", "mentor"):
        with pytest.raises(NotVisible):
            call()
    else:
        with pytest.raises(PermissionDenied):
            call()
    if actor != ROLE_OF_STEP[step]:
        certification.refresh_from_db()
        assert (certification.step, certification.state) == (step, CertificationState.IN_PROGRESS)


def test_a_return_goes_back_one_step_keeps_what_was_recorded_and_needs_a_reason(place):
    certification = at_step(4, place)
    with pytest.raises(services.WorkflowError, match="退回或不予通过的原因"):
        services.certification_advance(
            certification=certification,
            expected_step=certification.step,
            by=place["township"],
            decision=Decision.RETURN,
        )
    services.certification_advance(
        certification=certification,
        by=place["township"],
        decision=Decision.RETURN,
        opinion="民主测评票数需复核",
        expected_step=4,
    )
    certification.refresh_from_db()
    assert certification.step == 3
    assert (certification.votes_for, certification.votes_total) == (45, 50)
    last = certification.steps.last()
    assert (last.step, last.decision, last.opinion, last.by) == (
        4,
        "return",
        "民主测评票数需复核",
        place["township"],
    )


def test_step_one_cannot_be_returned(place):
    certification = at_step(1, place)
    with pytest.raises(services.WorkflowError):
        services.certification_advance(
            certification=certification,
            expected_step=certification.step,
            by=place["township"],
            decision=Decision.RETURN,
            opinion="x",
        )


def test_a_rejection_ends_the_application_and_the_person_can_be_nominated_again(place):
    certification = at_step(5, place)
    services.certification_advance(
        certification=certification,
        by=place["county"],
        decision=Decision.REJECT,
        opinion="不符合条件",
        expected_step=5,
    )
    certification.refresh_from_db()
    candidate = certification.candidate
    candidate.refresh_from_db()
    assert certification.state == CertificationState.REJECTED
    assert candidate.status == Status.REJECTED
    again = services.certification_nominate(
        by=place["township"],
        candidate=candidate,
        track="wealth_creator",
        recommender="self",
        reason="再次推荐",
    )
    assert again.step == 1 and again.pk != certification.pk
    candidate.refresh_from_db()
    assert candidate.status == Status.CERTIFYING


def test_an_unmet_hard_standard_blocks_qualification_but_an_unmet_soft_one_does_not(place):
    certification = at_step(2, place)
    data = all_met()
    hard = SelectionStandard.objects.filter(hard=True).first()
    soft = SelectionStandard.objects.filter(hard=False).first()
    data["standards"][hard.number] = (False, "有不良信用记录")
    with pytest.raises(services.WorkflowError) as blocked:
        services.certification_advance(
            certification=certification,
            expected_step=certification.step,
            by=place["township"],
            decision=Decision.PASS,
            data=data,
        )
    assert str(hard.number) in blocked.value.message and hard.title in blocked.value.message
    data["standards"][hard.number] = (True, "")
    data["standards"][soft.number] = (False, "身体一般")
    services.certification_advance(
        certification=certification,
        expected_step=certification.step,
        by=place["township"],
        decision=Decision.PASS,
        data=data,
    )
    certification.refresh_from_db()
    assert certification.step == 3
    assert certification.standard_checks.get(standard=soft).note == "身体一般"


def test_a_democratic_evaluation_below_80_percent_blocks_preselection(place):
    certification = at_step(3, place)
    data = {"meeting_date": TODAY(), "meeting_decision": "同意", "votes_for": 7, "votes_total": 10}
    with pytest.raises(services.WorkflowError, match="70"):
        services.certification_advance(
            certification=certification,
            expected_step=certification.step,
            by=place["township"],
            decision=Decision.PASS,
            data=data,
        )
    data["votes_for"] = 8
    services.certification_advance(
        certification=certification,
        expected_step=certification.step,
        by=place["township"],
        decision=Decision.PASS,
        data=data,
    )
    certification.refresh_from_db()
    assert certification.step == 4


def test_filing_is_blocked_while_the_notice_runs(place):
    certification = CertificationFactory(step=7, candidate__village=place["village"])
    PublicNotice.objects.create(
        certification=certification,
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=6),
        working_days=5,
        published_by=place["county"],
    )
    with pytest.raises(services.WorkflowError, match=str(TODAY() + datetime.timedelta(days=6))):
        services.certification_advance(
            certification=certification,
            expected_step=certification.step,
            by=place["county"],
            decision=Decision.PASS,
            data=pass_data(7, place),
        )


def test_filing_makes_the_person_active_at_the_stage_of_the_track_with_a_mentor(place):
    certification = at_step(7, place)
    certification.track = "party_member"
    certification.save()
    data = pass_data(7, place)
    services.certification_advance(
        certification=certification,
        expected_step=certification.step,
        by=place["county"],
        decision=Decision.PASS,
        data=data,
    )
    candidate = certification.candidate
    candidate.refresh_from_db()
    assert (candidate.status, candidate.stage) == (Status.ACTIVE, "party_member")
    assert candidate.mentor_assignments.get(end_date__isnull=True).mentor == data["mentor"]


def test_a_step_cannot_be_completed_twice(place):
    certification = at_step(5, place)
    services.certification_advance(
        certification=certification,
        by=place["county"],
        decision=Decision.PASS,
        opinion="同意",
        expected_step=5,
    )
    second_reviewer = UserFactory(county_reviewer=True, name="第二位审核人")
    with pytest.raises(services.AlreadyDecided) as taken:
        services.certification_advance(
            certification=certification,
            by=second_reviewer,
            decision=Decision.PASS,
            opinion="同意",
            expected_step=5,
        )
    assert str(place["county"]) in taken.value.message
    assert CertificationStep.objects.filter(certification=certification, step=5).count() == 1


def test_every_change_is_audited_with_the_user(place):
    certification = at_step(5, place)
    services.certification_advance(
        certification=certification,
        by=place["county"],
        decision=Decision.PASS,
        opinion="同意",
        expected_step=5,
    )
    record = certification.history.latest("history_date")
    assert record.history_user == place["county"]
    assert record.prev_record.step == 5 and record.step == 6


def test_overdue_certifications_are_flagged(place):
    late = CertificationFactory(
        candidate__village=place["village"], step_due_on=TODAY() - datetime.timedelta(days=1)
    )
    on_time = CertificationFactory(candidate__village=place["village"], step_due_on=TODAY())
    assert late.is_overdue and not on_time.is_overdue
    overdue = Certification.objects.visible_to(place["township"]).overdue()
    assert late in overdue and on_time not in overdue


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_the_same_moment_exactly_one_succeeds(postgresql_only, monkeypatch):
    """Real row locks under real concurrency: PostgreSQL only (SQLite serialises writers anyway).

    The step's checks are slowed down so that both reviewers are inside the service at once.
    """
    from candidates import workflow

    checks = workflow.pass_blockers

    def slow_checks(*args, **kwargs):
        time.sleep(0.5)
        return checks(*args, **kwargs)

    monkeypatch.setattr(workflow, "pass_blockers", slow_checks)
    township = UserFactory()
    first, second = UserFactory(county_reviewer=True), UserFactory(county_reviewer=True)
    certification = CertificationFactory(
        step=5, candidate__village=VillageFactory(township=township.jurisdiction), created_by=township
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(reviewer):
        try:
            barrier.wait()
            services.certification_advance(
                certification=certification,
                by=reviewer,
                decision=Decision.PASS,
                opinion="同意",
                expected_step=5,
            )
            outcomes.append("passed")
        except services.AlreadyDecided as taken:
            outcomes.append(taken.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "passed")[0] == "passed"
    assert outcomes.count("passed") == 1
    assert len(outcomes) == 2
    certification.refresh_from_db()
    assert certification.step == 6
    assert CertificationStep.objects.filter(certification=certification, step=5).count() == 1


@pytest.mark.parametrize("expected_step", ["0", "", "-1", "abc", None])
def test_a_missing_or_wrong_expected_step_is_refused(place, client_of, expected_step):
    """Finding F8: `expected_step=0` skipped the stale-page guard; two returns went 3 → 2 → 1."""
    certification = at_step(3, place)
    url = reverse("candidates:certification_detail", args=[certification.pk])
    data = {"decision": "return", "opinion": "材料不全"}
    if expected_step is not None:
        data["expected_step"] = expected_step
    client = client_of(place["township"])
    for _ in range(2):
        client.post(url, data)
    certification.refresh_from_db()
    assert certification.step == 3
    assert not certification.steps.exists()


def test_the_service_refuses_an_expected_step_that_is_not_the_current_one(place):
    certification = at_step(3, place)
    for wrong in (0, 2, 4):
        with pytest.raises(services.AlreadyDecided):
            services.certification_advance(
                certification=certification,
                by=place["township"],
                decision=Decision.RETURN,
                opinion="材料不全",
                expected_step=wrong,
            )
    certification.refresh_from_db()
    assert certification.step == 3


@pytest.mark.django_db(transaction=True)
def test_two_returns_posted_at_the_same_moment_move_the_step_back_once(postgresql_only, monkeypatch):
    """The probe's race: two "return" posts at step 3 recorded both returns (3 → 2 → 1)."""
    from candidates.workflow import CERTIFICATION

    lock = CERTIFICATION.lock

    def slow_lock(*args, **kwargs):
        locked = lock(*args, **kwargs)
        time.sleep(0.5)  # both posts are inside the service before either commits
        return locked

    monkeypatch.setattr(CERTIFICATION, "lock", slow_lock)
    township = UserFactory()
    certification = CertificationFactory(
        step=3, candidate__village=VillageFactory(township=township.jurisdiction), created_by=township
    )
    url = reverse("candidates:certification_detail", args=[certification.pk])
    barrier = threading.Barrier(2)

    def post_return():
        from django.test import Client

        client = Client()
        client.force_login(township)
        barrier.wait()
        try:
            client.post(url, {"decision": "return", "opinion": "退回", "expected_step": 3})
        finally:
            connection.close()

    threads = [threading.Thread(target=post_return) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    certification.refresh_from_db()
    assert certification.step == 2
    assert CertificationStep.objects.filter(certification=certification, decision="return").count() == 1


def test_the_page_draws_the_buttons_for_the_role_of_the_step(place, client_of):
    certification = at_step(5, place)
    url = reverse("candidates:certification_detail", args=[certification.pk])
    county_page = client_of(place["county"]).get(url)
    assert [a.decision for a in county_page.context["actions"]] == ["pass", "return", "reject"]
    township_page = client_of(place["township"]).get(url)
    assert township_page.context["actions"] == []
    assert client_of(place["township"]).post(url, {"decision": "pass", "expected_step": 5}).status_code == 403
    assert client_of(place["other_county"]).get(url).status_code == 404


def test_deciding_through_the_page_moves_the_step_and_says_so(place, client_of):
    certification = at_step(5, place)
    url = reverse("candidates:certification_detail", args=[certification.pk])
    response = client_of(place["county"]).post(
        url, {"decision": "pass", "expected_step": 5, "opinion": "同意认定"}, follow=True
    )
    certification.refresh_from_db()
    assert certification.step == 6
    assert "已记录" in response.content.decode() or "Decision recorded" in response.content.decode()


def test_a_stale_page_is_told_who_completed_the_step(place, client_of):
    certification = at_step(5, place)
    services.certification_advance(
        certification=certification,
        by=place["county"],
        decision=Decision.PASS,
        opinion="同意",
        expected_step=5,
    )
    other = UserFactory(county_reviewer=True)
    response = client_of(other).post(
        reverse("candidates:certification_detail", args=[certification.pk]),
        {"decision": "pass", "expected_step": 5, "opinion": "同意"},
        follow=True,
    )
    assert str(place["county"]) in response.content.decode()


def test_publishing_the_notice_computes_its_end_in_working_days(place, client_of):
    certification = at_step(6, place)
    start = TODAY() + datetime.timedelta(days=1)
    client_of(place["county"]).post(
        reverse("candidates:notice_publish", args=[certification.pk]), {"start_date": start.isoformat()}
    )
    from candidates.notice_calendar import notice_end_date

    notice = PublicNotice.objects.get(certification=certification)
    assert (notice.start_date, notice.end_date) == (start, notice_end_date(start, 5))
    assert notice.published_by == place["county"]


def test_a_candidate_may_be_in_only_one_certification_at_a_time(place):
    certification = at_step(2, place)
    with pytest.raises(services.WorkflowError):
        services.certification_nominate(
            by=place["township"],
            candidate=certification.candidate,
            track="wealth_creator",
            recommender="self",
            reason="x",
        )


def test_a_prospect_is_nominated_at_step_one(place):
    prospect = CandidateFactory(village=place["village"])
    assert prospect.status == Status.PROSPECT
    certification = services.certification_nominate(
        by=place["township"],
        candidate=prospect,
        track="wealth_creator",
        recommender="members_and_villagers",
        reason="群众推荐",
    )
    assert (certification.step, certification.created_by) == (1, place["township"])
    assert certification.step_due_on > TODAY()
