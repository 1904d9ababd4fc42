"""The province demo's people (`seed_demo --scale province`): the city's records copied into the other
cities' villages, each copy a whole and valid set of records (reports.demo_province)."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Candidate, Certification, CertificationStep
from candidates.validators import validate_id_number
from mentoring.models import MentorAssignment, MentoringVisit
from reports import demo_province, rollups
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    MentorFactory,
    UserFactory,
    VillageFactory,
    region,
)
from villages.models import Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_and_province():
    """Three active people in two villages of 本溪 (the city copied), and four villages of 丹东."""
    sources = [VillageFactory(), VillageFactory()]
    city = sources[0].region.parent.parent.parent
    dandong = region("210600000000", "丹东市", city.parent)
    county = region("210624000000", "宽甸满族自治县", dandong)
    township = region("210624100000", "宽甸镇", county)
    targets = [
        Village.objects.create(
            region=region(f"210624100{n:03d}", f"宽甸村{n}", township),
            households=300,
            population=900,
            party_members=40,
            collective_income=0,
            per_capita_income=0,
        )
        for n in range(201, 205)
    ]
    clerk = UserFactory()
    mentor = MentorFactory()
    with rollups.paused():
        people = [CandidateFactory(active=True, village=sources[n % 2], gender="MF"[n % 2]) for n in range(3)]
        certification = CertificationFactory(candidate=people[0], step=2)
        CertificationStep.objects.create(certification=certification, step=1, decision="pass", by=clerk)
        for person in people:
            MentorAssignment.objects.create(candidate=person, mentor=mentor, assigned_by=clerk)
            MentoringVisit.objects.create(
                candidate=person,
                mentor=mentor,
                date=timezone.localdate() - datetime.timedelta(days=3),
                form="visit",
                content="了解生产情况",
                recorded_by=clerk,
            )
    return city, people, targets


def test_copies_of_the_city_land_in_the_other_cities_villages_as_whole_valid_records(city_and_province):
    city, people, targets = city_and_province
    with rollups.paused():
        report = demo_province.copy_city(city, into=[v.pk for v in targets], candidates=9)

    assert report["copies of the city"] == 2
    target_codes = {v.pk for v in targets}
    copies = Candidate.objects.filter(village__in=target_codes)
    assert copies.count() == 6, "two copies of three people; the demo's Fushun is not copied"
    assert Candidate.objects.active().exclude(village__region__code__startswith="2104").count() == 9
    # Each copy of a person: the same birth date and sex, a valid ID number of the county it landed in.
    numbers = list(Candidate.objects.values_list("id_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for copy in copies:
        validate_id_number(copy.id_number)
        assert copy.id_number.startswith(copy.village_id[:6])
        original = next(p for p in people if p.name == copy.name)
        assert (copy.birth_date, copy.gender) == (original.birth_date, original.gender)
    # References stay within a copy: the copied certification's step, assignment and visit are of the copy.
    certifications = Certification.objects.filter(candidate__village__in=target_codes)
    assert certifications.count() == 2
    for certification in certifications:
        assert [s.step for s in certification.steps.all()] == [1]
    assignments = MentorAssignment.objects.filter(candidate__village__in=target_codes).select_related(
        "mentor"
    )
    assert assignments.count() == 6
    for assignment in assignments:
        assert assignment.mentor.region_id.startswith("2106"), "a copy's mentor serves where the copy is"
        assert assignment.mentor.user_id is None
    assert MentoringVisit.objects.filter(candidate__village__in=target_codes).count() == 6


def test_no_copy_is_made_when_the_city_alone_has_about_as_many(city_and_province):
    city, _, targets = city_and_province
    assert demo_province.copy_city(city, into=[v.pk for v in targets], candidates=4) == {
        "copies of the city": 0
    }
    assert not Candidate.objects.filter(village__in=targets).exists()
