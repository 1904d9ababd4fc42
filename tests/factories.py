"""Factories for records outside the demo: by default in 本溪市 (210500000000), left empty by the demo."""

import datetime

import factory
from django.conf import settings

from accounts.choices import Role
from accounts.models import User
from candidates.identity import synthetic_id_number
from candidates.models import Candidate
from candidates.services import pinyin_initials
from villages.choices import RegionLevel, SeatPosition
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, Reserve, StarRating, Village


def region(code: str, name: str, parent: Region | None = None) -> Region:
    """The region with this code, created with its level if it does not exist yet."""
    from villages.codes import level_of_code

    obj, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level_of_code(code), "parent": parent}
    )
    return obj


def benxi_township(number: int = 1) -> Region:
    """A township of 平山区, 本溪市, with its ancestors: outside every Fushun jurisdiction."""
    province = region("210000000000", "辽宁省")
    city = region("210500000000", "本溪市", province)
    county = region("210502000000", "平山区", city)
    return region(f"210502{100 + number:03d}000", f"测试镇{number}", county)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    class Params:
        township = factory.LazyFunction(benxi_township)

    region = factory.LazyAttributeSequence(
        lambda o, n: Region.objects.create(
            code=f"{o.township.code[:9]}{n % 999 + 1:03d}",
            name=f"测试村{n}",
            level=RegionLevel.VILLAGE,
            parent=o.township,
        )
    )
    households = 300
    population = 900
    party_members = 40
    leading_industries = "水稻"
    collective_income = 200000
    per_capita_income = 20000


class StarRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarRating

    village = factory.SubFactory(VillageFactory)
    year = 2025
    stars = 4


class CommitteeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSeat

    village = factory.SubFactory(VillageFactory)
    position = SeatPosition.MEMBER
    candidate = None
    # A plain holder's name; a candidate's seat keeps none (the name is the candidate's).
    holder_name = factory.LazyAttributeSequence(lambda o, n: "" if o.candidate else f"委员{n}")
    is_wealth_creator = True
    term_start = datetime.date(2021, 5, 1)


class ReserveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reserve

    village = factory.SubFactory(VillageFactory)
    candidate = factory.SubFactory(
        "tests.factories.CandidateFactory", village=factory.SelfAttribute("..village"), active=True
    )
    kind = "committee"
    status = "confirmed"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    city = factory.LazyFunction(lambda: benxi_township().parent.parent)
    name = factory.Sequence(lambda n: f"本溪市测试局{n}")


class AgencyBranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyBranch

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"第{n}党支部")


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    village = factory.SubFactory(VillageFactory)
    branch = factory.SubFactory(AgencyBranchFactory)
    start_date = datetime.date(2021, 7, 1)


class UserFactory(factory.django.DjangoModelFactory):
    """A user of any role; the traits put one in the matching region of 本溪市."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.LazyFunction(lambda: settings.DEMO_PASSWORD)
    role = Role.TOWNSHIP_OFFICIAL
    jurisdiction = factory.LazyFunction(benxi_township)

    class Params:
        county_reviewer = factory.Trait(
            role=Role.COUNTY_REVIEWER, jurisdiction=factory.LazyFunction(lambda: benxi_township().parent)
        )
        city_staff = factory.Trait(
            role=Role.CITY_STAFF, jurisdiction=factory.LazyFunction(lambda: benxi_township().parent.parent)
        )
        mentor = factory.Trait(
            role=Role.MENTOR, jurisdiction=factory.LazyFunction(lambda: benxi_township().parent)
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


# Candidates ------------------------------------------------------------------------------------


def _unique_id(birth, male, area):
    """A valid ID card number for this birth date that no candidate has yet."""
    for serial in range(500):
        number = synthetic_id_number(area, birth, serial, male)
        if not Candidate.objects.filter(id_number=number).exists():
            return number
    raise RuntimeError("no free ID number for that birth date")


class CandidateFactory(factory.django.DjangoModelFactory):
    """A person in 本溪 by default; traits for each status."""

    class Meta:
        model = "candidates.Candidate"

    name = factory.Sequence(lambda n: f"测试{n}")
    name_initials = factory.LazyAttribute(lambda o: pinyin_initials(o.name))
    gender = "M"
    ethnicity = "汉族"
    birth_date = factory.Sequence(
        lambda n: datetime.date(1975, 1, 1) + datetime.timedelta(days=n * 37 % 9000)
    )
    id_number = factory.LazyAttribute(lambda o: _unique_id(o.birth_date, o.gender == "M", "210502"))
    phone = factory.Sequence(lambda n: f"139{n % 10**8:08d}")
    education = "senior_high"
    political_status = "masses"
    source = "grower"
    village = factory.SubFactory(VillageFactory)
    industry = "食用菌"
    household_income = 80000
    status = "prospect"

    class Params:
        active = factory.Trait(status="active", stage="wealth_creator")
        certifying = factory.Trait(status="certifying")


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certification at `step` (1 by default), with what the steps before it recorded."""

    class Meta:
        model = "candidates.Certification"

    candidate = factory.SubFactory(CandidateFactory, status="certifying")
    track = "wealth_creator"
    step = 1
    step_started_on = factory.LazyFunction(datetime.date.today)
    step_due_on = factory.LazyAttribute(lambda o: o.step_started_on + datetime.timedelta(days=7))
    recommender = "village_organisation"
    recommendation_reason = "带头种植食用菌，带动农户增收"
    created_by = factory.LazyFunction(lambda: UserFactory())
    meeting_date = factory.LazyAttribute(lambda o: datetime.date(2026, 1, 10) if o.step > 3 else None)
    meeting_decision = factory.LazyAttribute(lambda o: "同意列为初步人选" if o.step > 3 else "")
    votes_for = factory.LazyAttribute(lambda o: 45 if o.step > 3 else None)
    votes_total = factory.LazyAttribute(lambda o: 50 if o.step > 3 else None)
    vetting_talks = factory.LazyAttribute(lambda o: "与村党组织书记等5人谈话" if o.step > 4 else "")
    vetting_visits = factory.LazyAttribute(lambda o: "走访群众10户" if o.step > 4 else "")
    vetting_opinions = factory.LazyAttribute(lambda o: "群众普遍认可" if o.step > 4 else "")


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.Mentor"

    name = factory.Sequence(lambda n: f"帮带人{n}")
    title = "副县长"
    unit = "平山区人民政府"
    level = "county"
    region = factory.LazyFunction(lambda: benxi_township().parent)


def page_state(record) -> str:
    """The state (or status) of `record` as a page loaded now would show it: what a user deciding on
    that page sends back as the state they saw."""
    fresh = type(record).objects.get(pk=record.pk)
    return fresh.state if hasattr(fresh, "state") else fresh.status
