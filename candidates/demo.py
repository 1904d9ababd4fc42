"""Demo candidates and certifications for Fushun (DESIGN §1): 5,601 active candidates, certifications in
progress at every step, prospects, rejections, and the people the source names.

Called by `seed_demo` after the villages, users and mentors exist. Bulk writes without history rows:
this is a data load, not a user's change; every change made in the portal afterwards is audited.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from candidates.choices import (
    CertificationState,
    Decision,
    Education,
    ObjectionChannel,
    PoliticalStatus,
    Recommender,
    Source,
    Stage,
    Status,
    Tier,
    Track,
)
from candidates.demo_ladder import plan_promotions
from candidates.identity import synthetic_id_number
from candidates.models import (
    Candidate,
    Certification,
    CertificationStep,
    Objection,
    PublicNotice,
    SelectionStandard,
    StandardCheck,
)
from candidates.notice_calendar import notice_end_date
from candidates.services import pinyin_initials
from candidates.workflow import STEPS
from villages.choices import SeatPosition
from villages.demo import person_name
from villages.models import CommitteeSeat

ACTIVE_BY_STAGE = {
    Stage.WEALTH_CREATOR: 1500,
    Stage.PARTY_MEMBER: 900,
    Stage.MEMBER_WEALTH_CREATOR: 1243,
    Stage.VILLAGE_CADRE: 1700,
    Stage.VILLAGE_LEADER: 235,
    Stage.REVITALIZATION_LEADER: 23,
}
ACTIVE_CANDIDATES = 5601
# Ages by stage: the higher rungs take years.
AGE_RANGE = {
    Stage.VILLAGE_CADRE: (28, 55),
    Stage.VILLAGE_LEADER: (33, 56),
    Stage.REVITALIZATION_LEADER: (36, 56),
}
IN_PROGRESS_PER_STEP = 30
PROSPECTS = 150
REJECTED = 25
# Stages whose people hold a current committee seat: 1,958 in all (DESIGN §1).
SEATED_STAGES = (Stage.VILLAGE_CADRE, Stage.VILLAGE_LEADER, Stage.REVITALIZATION_LEADER)
HEAD_STAGES = (Stage.VILLAGE_LEADER, Stage.REVITALIZATION_LEADER)
# Eliminated people: 217 in the five calendar years up to last year (DESIGN §1), and some before that.
ELIMINATED_RECENTLY, ELIMINATED_EARLIER = 217, 20

# The people the source names: (name, village, gender, age, industry, stage, tier).
SHOWCASE = [
    ("王大勇", "后邓村", "M", 48, "花卉", Stage.VILLAGE_LEADER, Tier.ORDINARY),
    # A cadre holding the secretary seat: the next rung (village leader) is the county's to approve.
    ("李根", "红石村", "M", 41, "赤松茸", Stage.VILLAGE_CADRE, Tier.ORDINARY),
    ("季志英", "椴子沟村", "F", 46, "中药材", Stage.REVITALIZATION_LEADER, Tier.SENIOR),
    ("杨德友", "那家村", "M", 52, "中药材", Stage.VILLAGE_LEADER, Tier.ORDINARY),
]
# Demo townships get certifications at their own steps, so every demo user has work waiting.
DEMO_TOWNSHIP_WORK = {
    "榆树乡": (1, 1, 1, 2, 2, 3, 4),
    "永陵镇": (1, 2, 3, 5, 6, 7),
    "英额门镇": (1, 3, 5, 6, 7),
    "千金乡": (1, 2, 4),
}

REASONS = [
    "种植技术过硬，带动周边农户共同增收",
    "返乡创业，领办合作社，群众基础好",
    "退役军人，作风过硬，热心村内公益事业",
    "养殖规模大，主动为村民提供技术服务",
    "经营电商，帮助村民销售山货",
]


@dataclass
class Ids:
    """Unique synthetic ID numbers: one serial per (area, birth date) at most once."""

    used: set = field(default_factory=set)

    def new(self, rng: random.Random, area: str, birth: datetime.date, male: bool) -> str:
        while True:
            serial = rng.randrange(500)
            number = synthetic_id_number(area, birth, serial, male)
            if number not in self.used:
                self.used.add(number)
                return number


def _education(rng, stage) -> str:
    if stage in (Stage.VILLAGE_LEADER, Stage.REVITALIZATION_LEADER):
        return rng.choice([Education.SENIOR_HIGH, Education.COLLEGE, Education.BACHELOR])
    return rng.choice(
        [
            Education.JUNIOR_HIGH,
            Education.JUNIOR_HIGH,
            Education.SENIOR_HIGH,
            Education.COLLEGE,
            Education.BACHELOR,
        ]
    )


def _person(
    rng,
    ids: Ids,
    village,
    *,
    stage: str,
    status: str,
    today,
    name=None,
    gender=None,
    age=None,
    industry=None,
    tier=Tier.ORDINARY,
) -> Candidate:
    gender = gender or rng.choice("MMMF")
    age = age or rng.randint(*AGE_RANGE.get(stage, (24, 50)))
    birth = today - datetime.timedelta(days=int(age * 365.25) + rng.randint(1, 300))
    member = stage not in ("", Stage.WEALTH_CREATOR)
    name = name or person_name(rng)
    return Candidate(
        name=name,
        name_initials=pinyin_initials(name),
        gender=gender,
        ethnicity=rng.choice(["汉族"] * 5 + ["满族"] * 4 + ["朝鲜族", "锡伯族", "回族"]),
        id_number=ids.new(rng, village.region_id[:6], birth, gender == "M"),
        birth_date=birth,
        phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        education=_education(rng, stage),
        political_status=PoliticalStatus.MEMBER
        if member
        else rng.choice([PoliticalStatus.MASSES, PoliticalStatus.MASSES, PoliticalStatus.LEAGUE]),
        source=rng.choice(
            [Source.GROWER] * 4
            + [Source.VETERAN, Source.GRADUATE, Source.BUSINESS_OWNER, Source.MIGRANT_RETURNEE, Source.OTHER]
        ),
        village=village,
        industry=industry or village.leading_industries,
        household_income=Decimal(rng.randrange(60_000, 600_000, 1000)),
        stage=stage,
        status=status,
        tier=tier,
        created_at=timezone.now(),
    )


def officials(users) -> tuple[dict, dict]:
    """The township official and county reviewer who act for each township and county."""
    township, county = {}, {}
    for user in users:
        if user.role == Role.TOWNSHIP_OFFICIAL:
            township.setdefault(user.jurisdiction_id, user)
        elif user.role == Role.COUNTY_REVIEWER:
            county.setdefault(user.jurisdiction_id, user)
    return township, county


def _step_actor(step, village, township_users, county_users):
    if STEPS[step].role == Role.TOWNSHIP_OFFICIAL:
        return township_users[village.region.parent_id]
    return county_users[village.region.parent.parent_id]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    # Never later than now: a demo loaded at 2 a.m. must not have passed today's steps at 10 a.m., which
    # a step taken after the load would then precede (reports.invariants.steps_in_order; `make drill`).
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0))), timezone.now())


def _passed_steps(rng, cert, village, upto, first_day, township_users, county_users) -> list[tuple]:
    """Step rows for steps 1..upto-1, passed one after the other from `first_day`, as plain tuples
    (certification, step, decision, opinion, user, moment): there are tens of thousands of them."""
    rows, day = [], first_day
    for step in range(1, upto):
        day += datetime.timedelta(days=rng.randint(2, 9))
        actor = _step_actor(step, village, township_users, county_users)
        rows.append((cert, step, Decision.PASS, "同意" if step == 5 else "", actor, _moment(day)))
    return rows


def _open_steps(rng, cert, village, township_users, county_users) -> tuple[list[tuple], datetime.date | None]:
    """Step rows for a certification in progress, counted back from the day its current step began:
    the step before it passed that day, each earlier one 2–9 days before the next. A certification past
    step 6 had its public notice between the passes of steps 5 and 6, ended before step 6 passed (the
    rule of `notice_blockers`); that notice's first day is returned with the rows."""
    days, notice_start = {}, None
    day = cert.step_started_on
    for step in range(cert.step - 1, 0, -1):
        days[step] = day
        if step == 6:
            # The notice ran (NOTICE_WORKING_DAYS working days) and ended before this pass.
            notice_start = day - datetime.timedelta(days=rng.randint(1, 3))
            while notice_end_date(notice_start, settings.NOTICE_WORKING_DAYS) >= day:
                notice_start -= datetime.timedelta(days=1)
            day = notice_start
        else:
            day -= datetime.timedelta(days=rng.randint(2, 9))
    rows = [
        (
            cert,
            step,
            Decision.PASS,
            "同意" if step == 5 else "",
            _step_actor(step, village, township_users, county_users),
            _moment(days[step]),
        )
        for step in range(1, cert.step)
    ]
    return rows, notice_start


def _insert_steps(rows: list[tuple]) -> None:
    """Write step rows with one executemany: the ORM's bulk_create spends seconds building these."""
    table = connection.ops.quote_name(CertificationStep._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (certification_id, step, decision, opinion, by_id, at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (cert.pk, step, decision, opinion, user.pk, adapt(at))
                for cert, step, decision, opinion, user, at in rows
            ],
        )


def build_candidates(rng: random.Random, fushun, users, seats: list[CommitteeSeat]) -> dict:
    """All demo candidates; returns the showcase people by name for the steps that follow."""
    today = timezone.localdate()
    ids = Ids()
    township_users, county_users = officials(users)
    villages = [v for v in fushun.villages]
    by_name = {v.region.name: v for v in villages}
    weights = [v.households for v in villages]

    # Active candidates: the showcase people first, then the rest by stage. People of the seated
    # stages live where a seat is free for them: leaders on a secretary or director seat.
    all_seats = seats
    seats = [s for s in all_seats if s.term_end is None]
    for index, seat in enumerate(seats):
        seat.pk = index  # a stand-in identity until the seats are saved
    people, tracks, filed, seated = [], [], [], []
    showcase = {}
    taken = set()
    for name, village_name, gender, age, industry, stage, tier in SHOWCASE:
        person = _person(
            rng,
            ids,
            by_name[village_name],
            stage=stage,
            status=Status.ACTIVE,
            today=today,
            name=name,
            gender=gender,
            age=age,
            industry=industry,
            tier=tier,
        )
        person.political_status = PoliticalStatus.MEMBER
        person.source = Source.GROWER
        showcase[name] = person
        people.append(person)
        seat = next(
            s for s in seats if s.village_id == person.village_id and s.position == SeatPosition.SECRETARY
        )
        seated.append((person, seat))
        taken.add(seat.pk)
    remaining = Counter(ACTIVE_BY_STAGE)
    for person in people:
        remaining[person.stage] -= 1
    heads = [
        s
        for s in seats
        if s.pk not in taken and s.position in (SeatPosition.SECRETARY, SeatPosition.DIRECTOR)
    ]
    head_seats = rng.sample(heads, sum(remaining[s] for s in HEAD_STAGES))
    taken.update(s.pk for s in head_seats)
    other_seats = rng.sample([s for s in seats if s.pk not in taken], remaining[Stage.VILLAGE_CADRE])
    seat_pool = {
        Stage.VILLAGE_CADRE: other_seats,
        Stage.VILLAGE_LEADER: head_seats[: remaining[Stage.VILLAGE_LEADER]],
        Stage.REVITALIZATION_LEADER: head_seats[remaining[Stage.VILLAGE_LEADER] :],
    }
    for stage, count in remaining.items():
        if stage in SEATED_STAGES:
            places = [(seat.village, seat) for seat in seat_pool[stage]]
        else:
            places = [(village, None) for village in rng.choices(villages, weights=weights, k=count)]
            if stage == Stage.MEMBER_WEALTH_CREATOR:
                # 红石村 keeps people who are neither on its committees nor reserves yet: the walk-through
                # designates one of them.
                places[:3] = [(by_name["红石村"], None)] * 3
        for village, seat in places:
            senior = stage == Stage.REVITALIZATION_LEADER or rng.random() < 0.06
            person = _person(
                rng,
                ids,
                village,
                stage=stage,
                status=Status.ACTIVE,
                today=today,
                tier=Tier.SENIOR if senior else Tier.ORDINARY,
            )
            people.append(person)
            if seat is not None:
                seated.append((person, seat))
    assert len(people) == ACTIVE_CANDIDATES
    for person in people:
        tracks.append(person.stage if person.stage in Track.values else rng.choice(Track.values))
        filed.append(datetime.date(rng.randint(2019, today.year - 1), rng.randint(1, 12), rng.randint(1, 28)))
    # The people the source names came in early: 李根 has been secretary since 2020.
    for index in range(len(SHOWCASE)):
        tracks[index] = Track.WEALTH_CREATOR if people[index].name == "李根" else tracks[index]
        filed[index] = datetime.date(2018, rng.randint(3, 10), rng.randint(1, 28))

    # People eliminated over the years: filed some time before their elimination.
    eliminated, eliminated_on = [], []
    report_year = today.year - 1
    for index in range(ELIMINATED_RECENTLY + ELIMINATED_EARLIER):
        recent = index < ELIMINATED_RECENTLY
        # "The last five years" of the city's report for last year: the five calendar years up to it.
        first, last = (report_year - 4, report_year) if recent else (report_year - 7, report_year - 5)
        span = (datetime.date(last, 12, 31) - datetime.date(first, 1, 1)).days
        day = datetime.date(first, 1, 1) + datetime.timedelta(days=rng.randint(0, span))
        stage = rng.choice(
            [Stage.WEALTH_CREATOR, Stage.WEALTH_CREATOR, Stage.PARTY_MEMBER, Stage.MEMBER_WEALTH_CREATOR]
        )
        eliminated.append(
            _person(
                rng,
                ids,
                rng.choices(villages, weights=weights)[0],
                stage=stage,
                status=Status.ELIMINATED,
                today=today,
            )
        )
        eliminated_on.append(day)

    # Certifications in progress: each demo township gets its share, the rest is spread.
    in_progress = []  # (person, step)
    counts = Counter()
    for township_name, steps in DEMO_TOWNSHIP_WORK.items():
        local = [v for v in villages if v.region.parent.name == township_name]
        for step in steps:
            in_progress.append((rng.choice(local), step))
            counts[step] += 1
    for step in STEPS:
        for village in rng.choices(villages, k=IN_PROGRESS_PER_STEP - counts[step]):
            in_progress.append((village, step))
    certifying = [
        _person(rng, ids, village, stage="", status=Status.CERTIFYING, today=today)
        for village, _ in in_progress
    ]
    prospects = [
        _person(rng, ids, village, stage="", status=Status.PROSPECT, today=today)
        for village in rng.choices(villages, k=PROSPECTS)
    ]
    for village in [v for v in villages if v.region.parent.name == "榆树乡"][:3]:
        prospects.append(_person(rng, ids, village, stage="", status=Status.PROSPECT, today=today))
    rejected = [
        _person(rng, ids, village, stage="", status=Status.REJECTED, today=today)
        for village in rng.choices(villages, k=REJECTED)
    ]
    everyone = people + eliminated + certifying + prospects + rejected
    for person in everyone:
        person.created_by = township_users[person.village.region.parent_id]
    for person in prospects:
        person.created_at = _moment(today - datetime.timedelta(days=rng.randint(0, 700)), 9)
    filed_people = list(zip(people, tracks, filed, strict=True)) + [
        (person, person.stage, day - datetime.timedelta(days=rng.randint(200, 900)))
        for person, day in zip(eliminated, eliminated_on, strict=True)
    ]
    # Dates decided before saving, so nothing has to be updated afterwards: nominated some weeks
    # before being filed, entered a little before being nominated; the steps of those in progress.
    started_on = {}  # by id(): unsaved instances are not hashable
    for person, _, filed_on in filed_people:
        started_on[id(person)] = filed_on - datetime.timedelta(days=rng.randint(40, 80))
        person.created_at = _moment(started_on[id(person)] - datetime.timedelta(days=rng.randint(1, 30)), 9)
    open_plan = []
    for person, (_, step) in zip(certifying, in_progress, strict=True):
        overdue = rng.random() < 0.25
        target = settings.CERTIFICATION_STEP_TARGET_DAYS[step]
        step_started = today - datetime.timedelta(
            days=target + rng.randint(2, 20) if overdue else rng.randint(0, target - 1)
        )
        first_day = step_started - datetime.timedelta(days=10 * step)
        person.created_at = _moment(first_day - datetime.timedelta(days=rng.randint(1, 20)), 9)
        open_plan.append((step_started, first_day, target))
    rejected_on = []
    for person in rejected:
        started = today - datetime.timedelta(days=rng.randint(60, 700))
        person.created_at = _moment(started - datetime.timedelta(days=rng.randint(1, 20)), 9)
        rejected_on.append(started)
    schedule = plan_promotions(rng, people, tracks, filed)
    Candidate.objects.bulk_create(everyone, batch_size=2000)

    certifications, steps = [], []
    for person, track, filed_on in filed_people:
        started = started_on[id(person)]
        cert = Certification(
            candidate=person,
            track=track,
            state=CertificationState.FILED,
            step=7,
            step_started_on=filed_on,
            step_due_on=filed_on,
            started_at=_moment(started),
            finished_at=_moment(filed_on, 15),
            recommender=rng.choice(Recommender.values),
            recommendation_reason=rng.choice(REASONS),
            meeting_date=started + datetime.timedelta(days=15),
            meeting_decision="同意列为初步人选",
            votes_for=rng.randint(41, 50),
            votes_total=50,
            vetting_talks="与村党组织书记、党员代表谈话6人次",
            vetting_visits="走访群众12户",
            vetting_opinions="群众普遍认可",
            filed_on=filed_on,
            created_by=person.created_by,
        )
        certifications.append(cert)
    open_certs = []
    for person, (village, step), (step_started, first_day, target) in zip(
        certifying, in_progress, open_plan, strict=True
    ):
        track = rng.choice(Track.values)
        cert = Certification(
            candidate=person,
            track=track,
            step=step,
            step_started_on=step_started,
            step_due_on=step_started + datetime.timedelta(days=target),
            started_at=_moment(first_day),
            recommender=rng.choice(Recommender.values),
            recommendation_reason=rng.choice(REASONS),
            created_by=person.created_by,
        )
        if step > 3:
            cert.meeting_date, cert.meeting_decision = (
                first_day + datetime.timedelta(days=20),
                "同意列为初步人选",
            )
            cert.votes_total = rng.randint(40, 60)
            cert.votes_for = int(cert.votes_total * rng.uniform(0.82, 1))
        if step > 4:
            cert.vetting_talks, cert.vetting_visits, cert.vetting_opinions = (
                "谈话5人次",
                "走访群众10户",
                "认可度高",
            )
        certifications.append(cert)
        open_certs.append((cert, village, step, first_day))
    rejected_certs = []
    for person, started in zip(rejected, rejected_on, strict=True):
        cert = Certification(
            candidate=person,
            track=rng.choice(Track.values),
            state=CertificationState.REJECTED,
            step=rng.choice((2, 3, 5)),
            step_started_on=started,
            step_due_on=started,
            started_at=_moment(started),
            finished_at=_moment(started + datetime.timedelta(days=30)),
            recommender=Recommender.SELF,
            recommendation_reason=rng.choice(REASONS),
            created_by=person.created_by,
        )
        certifications.append(cert)
        rejected_certs.append(cert)
    Certification.objects.bulk_create(certifications, batch_size=2000)

    # The log of every step taken.
    for cert in certifications[: len(filed_people)]:
        village = cert.candidate.village
        steps += _passed_steps(rng, cert, village, 8, cert.started_at.date(), township_users, county_users)
    standards = list(SelectionStandard.objects.in_force())
    checks = []
    notice_starts = {}
    for cert, village, step, _first_day in open_certs:
        rows, notice_starts[cert.pk] = _open_steps(rng, cert, village, township_users, county_users)
        steps += rows
        if step > 2:
            checks += [StandardCheck(certification=cert, standard=s, met=True) for s in standards]
    for cert in rejected_certs:
        village = cert.candidate.village
        steps += _passed_steps(
            rng, cert, village, cert.step, cert.started_at.date(), township_users, county_users
        )
        steps.append(
            (
                cert,
                cert.step,
                Decision.REJECT,
                "民主测评认可度不足，暂不列为培养对象",
                _step_actor(cert.step, village, township_users, county_users),
                cert.finished_at,
            )
        )
    _insert_steps(steps)
    StandardCheck.objects.bulk_create(checks, batch_size=5000)
    _publish_notices(rng, open_certs, county_users, today, notice_starts)
    _take_seats(seated, all_seats)
    return {
        "promotions": dict(zip(people, schedule, strict=True)),
        "showcase": showcase,
        "filed_on": dict(zip(people, filed, strict=True)),
        "tracks": dict(zip(people, tracks, strict=True)),
        "eliminated_on": dict(zip(eliminated, eliminated_on, strict=True)),
        "eliminated_filed_on": {p: f for p, _, f in filed_people[len(people) :]},
    }


def _publish_notices(rng, open_certs, county_users, today, notice_starts):
    """Notices for certifications at steps 6 and 7: running ones at 6, ended ones at 7 (ended before
    step 6 passed: `notice_starts`, from `_open_steps`); and objections."""
    notices = []
    for cert, village, step, _ in open_certs:
        if step < 6:
            continue
        county = county_users[village.region.parent.parent_id]
        if step == 7:
            start = notice_starts[cert.pk]
        elif rng.random() < 0.7:
            start = today - datetime.timedelta(days=rng.randint(0, 4))
        else:
            start = today - datetime.timedelta(days=rng.randint(12, 20))
        end = notice_end_date(start, settings.NOTICE_WORKING_DAYS)
        notices.append(
            PublicNotice(
                certification=cert,
                start_date=start,
                end_date=end,
                working_days=settings.NOTICE_WORKING_DAYS,
                published_by=county,
                published_at=_moment(start, 9),
            )
        )
    PublicNotice.objects.bulk_create(notices)
    # One objection waiting for 新宾's ruling on a running notice, and a dismissed one elsewhere.
    xinbin_running = [
        n
        for n in notices
        if n.certification.candidate.village_id.startswith("210422")
        and n.certification.step == 6
        and n.end_date >= today
    ]
    objections = []
    if xinbin_running:
        objections.append(
            Objection(
                notice=xinbin_running[0],
                channel=ObjectionChannel.WEB,
                content="该同志承包地流转费用长期拖欠未付，请核实。",
                objector_name="",
                objector_contact="",
            )
        )
    others = [n for n in notices if n.certification.step == 7]
    if others:
        county = others[0].published_by
        objections.append(
            Objection(
                notice=others[0],
                channel=ObjectionChannel.PHONE,
                content="反映其曾与邻居发生土地纠纷。",
                objector_name="村民",
                recorded_by=county,
                status="dismissed",
                ruling="经核实，纠纷已于2022年调解结束，不影响认定。",
                ruled_by=county,
                ruled_at=timezone.now(),
            )
        )
    Objection.objects.bulk_create(objections)


def _take_seats(seated, seats):
    """Candidates take their committee seats and every seat is written; the share of wealth-creators on
    the committees stays what the villages' demo made it, by turning plain holders' flags where needed."""
    current = [s for s in seats if s.term_end is None]
    target = sum(s.is_wealth_creator for s in current)
    for person, seat in seated:
        seat.holder_name, seat.candidate, seat.is_wealth_creator = "", person, True
    surplus = sum(s.is_wealth_creator for s in current) - target
    plain = [s for s in current if s.candidate is None and s.is_wealth_creator == (surplus > 0)]
    for seat in plain[: abs(surplus)]:
        seat.is_wealth_creator = surplus < 0
    for seat in seats:
        seat.pk = None
    CommitteeSeat.objects.bulk_create(seats, batch_size=2000)
