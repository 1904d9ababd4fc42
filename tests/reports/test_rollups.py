"""The rollups stay equal to a fresh count of the records after changes through every service that moves
a figure, and `rebuild_rollups` recomputes them from scratch."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from candidates import imports, services
from candidates.choices import Decision, EliminationState, Status
from candidates.models import Candidate, SelectionStandard
from mentoring import services as mentoring
from mentoring.models import Course
from mentoring.services import contributions, support, training
from reports import rollups
from reports.models import Rollup
from tests.candidates.import_helpers import person, workbook
from tests.factories import (
    CandidateFactory,
    CommitteeSeatFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)
from villages import services as village_services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def differences(prefix: str = "") -> dict:
    """Rollups (of the regions under `prefix`) that differ from a fresh count of the records."""
    stored, fresh = rollups.stored(prefix), rollups.recount(prefix)
    return {
        key: (stored.get(key), fresh.get(key))
        for key in stored.keys() | fresh.keys()
        if stored.get(key) != fresh.get(key)
    }


def _file_through_seven_steps(certification, township, county, mentor, check):
    def advance(by, step, **kwargs):
        services.certification_advance(
            certification=certification, by=by, decision=Decision.PASS, expected_step=step, **kwargs
        )
        check(f"step {step} passed")

    advance(township, 1)
    advance(
        township, 2, data={"standards": {s.number: (True, "") for s in SelectionStandard.objects.in_force()}}
    )
    advance(
        township,
        3,
        data={"meeting_date": TODAY(), "meeting_decision": "同意", "votes_for": 40, "votes_total": 45},
    )
    advance(township, 4, data={"vetting_talks": "谈话", "vetting_visits": "走访", "vetting_opinions": "认可"})
    advance(county, 5, opinion="同意")
    notice = services.notice_publish(certification=certification, by=county, start_date=TODAY())
    notice.start_date = notice.end_date = TODAY() - datetime.timedelta(days=1)
    notice.save()
    advance(county, 6)
    advance(county, 7, data={"filed_on": TODAY(), "mentor": mentor})


def test_the_rollups_equal_a_fresh_count_after_changes_through_every_service(yushu_files, tmp_path):
    assert not differences()  # as the demo left them
    region = benxi_township(8)
    township, county = UserFactory(jurisdiction=region), UserFactory(county_reviewer=True)
    home, other = VillageFactory(township=region), VillageFactory(township=region)
    mentor, second_mentor = MentorFactory(), MentorFactory(region=region)

    def check(after: str):
        # After each write, not only at the end: a later recount of the same village would hide a miss.
        assert not differences(region.code[:6]), f"after {after}"

    # A prospect nominated and taken through the seven steps: a certification moves, a person files.
    prospect = CandidateFactory(village=home)
    certification = services.certification_nominate(
        by=township, candidate=prospect, track="wealth_creator", recommender="self", reason="种植能手"
    )
    check("nomination")
    _file_through_seven_steps(certification, township, county, mentor, check)
    # A second nomination rejected by the county.
    rejected = services.certification_nominate(
        by=township,
        candidate=CandidateFactory(village=home),
        track="party_member",
        recommender="self",
        reason="能手",
    )
    for step in range(1, 5):
        data = {}
        if step == 2:
            data = {"standards": {s.number: (True, "") for s in SelectionStandard.objects.in_force()}}
        if step == 3:
            data = {"meeting_date": TODAY(), "meeting_decision": "同意", "votes_for": 40, "votes_total": 45}
        if step == 4:
            data = {"vetting_talks": "谈话", "vetting_visits": "走访", "vetting_opinions": "认可"}
        services.certification_advance(
            certification=rejected, by=township, decision=Decision.PASS, expected_step=step, data=data
        )
    services.certification_advance(
        certification=rejected, by=county, decision=Decision.REJECT, expected_step=5, opinion="不符合条件"
    )
    check("rejection")

    person_ = Candidate.objects.get(pk=prospect.pk)
    assert person_.status == Status.ACTIVE
    # Moved to the other village, given a seat, a reserve, a promotion, a new mentor.
    person_ = services.candidate_update(by=township, candidate=person_, fields={"village": other})
    check("move to another village")
    seat = village_services.committee_seat_create(
        by=township,
        village=other,
        position="member",
        term_start=TODAY(),
        candidate=person_,
        is_wealth_creator=True,
    )
    check("seat")
    village_services.reserve_designate(by=township, candidate=person_, kind="secretary", note="")
    reserve = person_.reserves.get()
    village_services.reserve_decide(
        by=county, reserve=reserve, action="confirm", expected_status=reserve.status
    )
    check("reserve")
    village_services.star_rating_record(by=county, village=other, year=TODAY().year - 1, stars=5)
    check("star rating")
    day = TODAY() - datetime.timedelta(days=400)
    person_ = services.party_milestones_record(
        by=township,
        candidate=person_,
        dates={
            "party_application_on": day,
            "activist_on": day + datetime.timedelta(days=30),
            "development_target_on": day + datetime.timedelta(days=60),
            "probationary_on": day + datetime.timedelta(days=90),
        },
    )
    promotion = services.promotion_propose(
        by=township, candidate=person_, evidence={"evidence": "入党", "party_joined_on": TODAY()}
    )
    services.promotion_decide(
        by=county, promotion=promotion, action="approve", expected_state=promotion.state
    )
    check("promotion")
    mentoring.mentor_assign(by=county, candidate=person_, mentor=second_mentor)
    check("mentor assigned")
    # Contributions, awards, support, training.
    contributions.contribution_record(
        by=township, candidate=person_, kind="service_items", count=3, date=TODAY()
    )
    check("service items")
    contributions.contribution_record(
        by=township, candidate=person_, kind="households_helped", count=12, date=TODAY()
    )
    check("households helped")
    contributions.award_record(by=township, candidate=person_, title="优秀党员", level="county", date=TODAY())
    check("award")
    contributions.collective_project_record(
        by=township,
        candidate=person_,
        village=other,
        name="合作社",
        amount=Decimal(30000),
        start_date=TODAY(),
    )
    check("collective project")
    support.support_record(
        by=township, candidate=person_, kind="loan", date=TODAY(), granted_by="农商行", amount=Decimal(50000)
    )
    check("loan")
    course = Course.objects.create(
        name="头雁班",
        organiser="浙江大学",
        level="university",
        start_date=TODAY(),
        end_date=TODAY(),
        hours=Decimal(8),
        created_by=county,
    )
    training.enrolment_create(by=township, course=course, candidate=person_)
    check("enrolment")
    # A seat ends, the leader leaves, the person is eliminated.
    village_services.committee_seat_end(by=township, seat=seat, term_end=TODAY())
    check("seat end")
    mentoring.mentor_leave(by=county, mentor=second_mentor)
    check("mentor leaving")
    elimination = services.elimination_propose(
        by=township, candidate=person_, reason="moved_away", details="迁出"
    )
    services.elimination_decide(
        by=county,
        elimination=elimination,
        approve=True,
        opinion="同意",
        expected_state=EliminationState.PROPOSED,
    )
    check("elimination")
    # A seat written by a factory: the signal keeps the rollups current whatever wrote the row.
    CommitteeSeatFactory(village=home)
    check("a seat written by a factory")
    # An import of nominations (a bulk insert) in 新宾.
    yushu, rows = yushu_files
    batch = imports.batch_store(
        by=yushu, uploaded_file=SimpleUploadedFile("a.xlsx", workbook(tmp_path, rows).read_bytes())
    )
    imports.candidates_import(by=yushu, batch=batch)

    assert not differences()


@pytest.fixture
def yushu_files(demo_user):
    return demo_user("yushu"), [person(), person()]


def test_rebuild_rollups_recomputes_them_from_scratch():
    region = benxi_township(9)
    CandidateFactory(village=VillageFactory(township=region), active=True)
    Rollup.objects.filter(region=region.code).update(value=99)
    Rollup.objects.filter(region="210400000000", key="active").delete()
    assert differences()
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "rollup" in out.getvalue() or "汇总" in out.getvalue()
    assert not differences()
    assert Rollup.objects.get(region=region.code, year=0, key="active").value == 1


def test_a_decision_recorded_without_its_date_counts_in_no_year():
    # An approval written without `decided_at` (a factory, a data fix) must not break the write.
    from candidates.models import Elimination

    region = benxi_township(10)
    official = UserFactory(jurisdiction=region)
    person = CandidateFactory(village=VillageFactory(township=region), status=Status.ELIMINATED)
    Elimination.objects.create(
        candidate=person,
        reason="moved_away",
        details="迁出",
        state=EliminationState.APPROVED,
        proposed_by=official,
    )
    assert not differences(region.code[:6])
