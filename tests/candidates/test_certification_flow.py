import datetime

import pytest
from django.utils import timezone

from candidates import services
from candidates.choices import CertificationState, Decision, Status
from candidates.models import SelectionStandard
from tests.factories import CandidateFactory, MentorFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    township = UserFactory()
    county = UserFactory(county_reviewer=True)
    village = VillageFactory(township=township.jurisdiction)
    return township, county, village


def test_a_nomination_goes_through_all_seven_steps(people, monkeypatch):
    township, county, village = people
    candidate = CandidateFactory(village=village)
    cert = services.certification_nominate(
        by=township, candidate=candidate, track="wealth_creator", recommender="self", reason="种植能手"
    )
    assert (cert.step, cert.state) == (1, CertificationState.IN_PROGRESS)
    services.certification_advance(certification=cert, by=township, decision=Decision.PASS, expected_step=1)
    standards = {s.number: (True, "") for s in SelectionStandard.objects.in_force()}
    services.certification_advance(
        certification=cert,
        by=township,
        decision=Decision.PASS,
        expected_step=2,
        data={"standards": standards},
    )
    services.certification_advance(
        certification=cert,
        by=township,
        decision=Decision.PASS,
        expected_step=3,
        data={
            "meeting_date": datetime.date(2026, 11, 1),
            "meeting_decision": "同意",
            "votes_for": 40,
            "votes_total": 45,
        },
    )
    services.certification_advance(
        certification=cert,
        by=township,
        decision=Decision.PASS,
        expected_step=4,
        data={"vetting_talks": "谈话", "vetting_visits": "走访", "vetting_opinions": "认可"},
    )
    services.certification_advance(
        certification=cert, by=county, decision=Decision.PASS, opinion="同意", expected_step=5
    )
    notice = services.notice_publish(certification=cert, by=county, start_date=timezone.localdate())
    with pytest.raises(services.WorkflowError, match=str(notice.end_date)):
        services.certification_advance(certification=cert, by=county, decision=Decision.PASS, expected_step=6)
    notice.start_date = notice.end_date = timezone.localdate() - datetime.timedelta(days=1)
    notice.save()
    services.certification_advance(certification=cert, by=county, decision=Decision.PASS, expected_step=6)
    mentor = MentorFactory()
    services.certification_advance(
        certification=cert,
        by=county,
        decision=Decision.PASS,
        expected_step=7,
        data={"filed_on": timezone.localdate(), "mentor": mentor},
    )
    cert.refresh_from_db()
    candidate.refresh_from_db()
    assert cert.state == CertificationState.FILED
    assert (candidate.status, candidate.stage) == (Status.ACTIVE, "wealth_creator")
    assert candidate.mentor_assignments.get().mentor == mentor
    assert [s.step for s in cert.steps.all()] == [1, 2, 3, 4, 5, 6, 7]
