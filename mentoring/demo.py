"""Demo mentoring (DESIGN §6): leaders of each county and township as mentors, each active candidate with
exactly one; their visits (帮带记录) and the quarterly assessments (考核) over the past years.

Called by `seed_demo`: the mentors before the candidates are filed, the rest after the ladder. Bulk writes
without history rows (seed_demo writes a first one for every row at the end). Training, support and
contributions are in `mentoring.demo_growth`.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone

from candidates.choices import EliminationReason, EliminationState, Status
from candidates.models import Elimination
from mentoring.choices import AssessmentState, Grade, MentorLevel, VisitForm, grade_of
from mentoring.models import DIMENSIONS, Assessment, Mentor, MentorAssignment, MentoringVisit
from villages.demo import person_name

COUNTY_TITLES = [
    "县委副书记",
    "县委常委、组织部长",
    "副县长",
    "县人大常委会副主任",
    "县政协副主席",
    "县委常委、宣传部长",
]
TOWNSHIP_TITLES = ["党委书记", "乡镇长", "党委副书记"]
# The demo `mentor` user's leader knows the industries of the people the source names.
DEMO_MENTOR_INDUSTRIES = "中药材，赤松茸，林下经济"

# Visits and assessments cover the calendar year before last, last year and this year to date.
YEARS_BACK = 2
# Active candidates whose last visit is older than settings.VISIT_INTERVAL_MONTHS (the "no visit" flag);
# the others were visited in the last 75 days, well inside it.
NOT_VISITED = 60
VISIT_GAP_DAYS = (55, 110)  # about four visits a year
# Candidates with one 不合格 among their assessments; FLAGGED have their last two (confirmed) 不合格.
FAILED_ONCE = 30
FLAGGED = 2
# Share of the last quarter's assessments still awaiting the county; and candidates whose mentor has
# not submitted it yet (the "assessment due" item), one of them the demo mentor's.
AWAITING_SHARE = 0.15
NOT_SUBMITTED = 25

VISIT_FORMS = [VisitForm.VISIT] * 8 + [VisitForm.CALL] * 5 + [VisitForm.ONSITE] * 5 + [VisitForm.TRAINING] * 2
VISIT_CONTENT = {
    VisitForm.VISIT: [
        "入户走访，了解{industry}生产经营和家庭收入情况",
        "走访{industry}基地，听取今年的发展打算",
        "到家中谈心谈话，了解思想动态和培养需求",
        "走访其帮带的农户，了解带动增收情况",
    ],
    VisitForm.CALL: [
        "电话了解{industry}产品销售进展",
        "电话询问近期生产情况，提醒按时参加云端学习",
        "电话沟通合作社年终分红方案",
    ],
    VisitForm.ONSITE: [
        "现场指导{industry}标准化生产，查看基地建设",
        "在田间地头讲解{industry}病虫害防治要点",
        "现场查看冷库和加工车间建设进度",
    ],
    VisitForm.TRAINING: [
        "组织参加{industry}实用技术培训，讲解扶持政策",
        "带领参加乡镇党员致富能手培训班",
        "讲授乡村振兴政策，开展党性教育",
    ],
}
# (problem raised, follow-up); a visit without a problem has a follow-up only.
PROBLEMS = [
    ("扩大规模缺少资金，申请贷款手续不熟悉", "协调农商银行对接创业担保贷款，帮助准备申请材料"),
    ("产品销路不稳，价格波动大", "联系县电商服务中心，帮助开设网店、对接商超"),
    ("病虫害防治经验不足", "邀请县农业技术推广中心专家上门指导"),
    ("季节性用工短缺", "协调村内劳动力，优先安排脱贫户就近务工"),
    ("冷链仓储设施不足，损耗较大", "帮助申报冷链物流设施建设补助项目"),
    ("土地流转手续不清楚，难以连片经营", "协调乡镇农经站办理土地经营权流转合同"),
    ("对发展党员程序不了解", "讲解发展党员程序，推荐参加入党积极分子培训"),
    ("带动农户的利益联结机制不完善", "指导制定合作社章程和保底分红办法"),
    ("", "继续跟踪生产经营情况"),
    ("", "下次走访了解带动农户增收情况"),
    ("", "督促参加本季度集中学习"),
]
COMMENTS = {
    Grade.EXCELLENT: ["带头致富成效明显，带动农户增收突出，群众认可度高", "积极履行服务事项，表现突出"],
    Grade.GOOD: ["生产经营稳步发展，能主动帮带农户", "政治素质好，服务群众积极"],
    Grade.PASS: ["完成培养任务，带动作用有待加强", "产业发展平稳，服务群众还需主动"],
    Grade.FAIL: ["带动作用不明显，帮带农户增收有限，限期整改", "本季度未参加集中学习，服务事项未落实"],
}


def between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day from `first` to `last`, both included."""
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def split_total(rng: random.Random, total: int, parts: int, lowest: int = 1) -> list[int]:
    """`parts` random integers of at least `lowest` that add up to `total` exactly."""
    spare = total - parts * lowest
    assert spare >= 0, (total, parts, lowest)
    weights = [rng.uniform(0.2, 1.8) for _ in range(parts)]
    scale = spare / sum(weights)
    shares = [int(w * scale) for w in weights]
    for index in rng.sample(range(parts), spare - sum(shares)):
        shares[index] += 1
    return [lowest + share for share in shares]


def insert_rows(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Write rows (foreign keys as ids) with one executemany: the ORM's bulk_create spends seconds
    building the tens of thousands of instances of the demo's visits and assessments."""
    opts = model._meta
    targets = [opts.get_field(name) for name in fields]
    moments = [i for i, f in enumerate(targets) if isinstance(f, models.DateTimeField)]
    if moments:
        adapt = connection.ops.adapt_datetimefield_value
        rows = [list(row) for row in rows]
        for row in rows:
            for i in moments:
                row[i] = adapt(row[i])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in targets)
    marks = ", ".join(["%s"] * len(targets))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})", rows)


def _industries(pool: list[str], offset: int) -> str:
    """Two or three of `pool`, from `offset` on: a few industries each, without a draw from the generator
    (the candidates drawn after the mentors stay what they were)."""
    size = min(len(pool), 2 + offset % 2)
    return "，".join(pool[(offset + k) % len(pool)] for k in range(size))


def build_mentors(rng: random.Random, fushun, mentor_user) -> dict[str, list[Mentor]]:
    """Mentors by the code of the county or township they serve, each knowing a few of the industries of
    its villages; the demo `mentor` user is one of 新宾's."""
    pools = {}  # region code → the leading industries of its villages, in village order
    for village in fushun.villages:
        township = village.region.parent
        for code in (township.code, township.parent_id):
            pools.setdefault(code, {})[village.leading_industries] = None
    mentors = []
    for county in fushun.counties:
        pool = list(pools[county.code])
        for index, title in enumerate(COUNTY_TITLES):
            mentors.append(
                Mentor(
                    name=person_name(rng),
                    title=title,
                    unit=f"{county.name}委",
                    region=county,
                    level=MentorLevel.COUNTY,
                    phone=f"139{rng.randrange(10**8):08d}",
                    industries=_industries(pool, index),
                )
            )
    for township in fushun.townships:
        pool = list({**pools[township.code], **pools[township.parent_id]})
        for index, title in enumerate(TOWNSHIP_TITLES):
            mentors.append(
                Mentor(
                    name=person_name(rng),
                    title=title,
                    unit=f"{township.name}党委",
                    region=township,
                    level=MentorLevel.TOWNSHIP,
                    phone=f"139{rng.randrange(10**8):08d}",
                    industries=_industries(pool, index),
                )
            )
    demo = next(m for m in mentors if m.region.name == "新宾满族自治县" and m.title == "副县长")
    demo.name, demo.user, demo.industries = "富国强", mentor_user, DEMO_MENTOR_INDUSTRIES
    Mentor.objects.bulk_create(mentors)
    by_region = {}
    for mentor in mentors:
        by_region.setdefault(mentor.region_id, []).append(mentor)
    return by_region


def assign_mentors(
    rng: random.Random, filed_on: dict, mentors_by_region: dict, *, demo_mentees: list
) -> None:
    """One current mentor for every active candidate, from the day they were filed: a leader of their
    township or of their county; the demo mentor has `demo_mentees`."""
    demo_mentor = next(m for ms in mentors_by_region.values() for m in ms if m.user_id)
    assignments = []
    for candidate, since in filed_on.items():
        if candidate in demo_mentees:
            mentor = demo_mentor
        else:
            township = candidate.village.region.parent
            pool = mentors_by_region[township.code] + [
                m for m in mentors_by_region[township.parent_id] if m is not demo_mentor
            ]
            mentor = rng.choice(pool)
        assignments.append(MentorAssignment(candidate=candidate, mentor=mentor, start_date=since))
    MentorAssignment.objects.bulk_create(assignments, batch_size=5000)


@dataclass
class Mentees:
    """The active candidates as the steps after the ladder need them: when each was filed, who mentored
    them when, and the users who record and decide for them."""

    people: list  # saved candidates, in the order the demo made them
    filed_on: dict  # candidate pk → filing day (their mentoring starts)
    showcase: dict  # the people the source names, by name
    township_users: dict  # township code → its township official
    county_users: dict  # county code → its county reviewer
    city_user: object
    today: datetime.date = field(default_factory=timezone.localdate)
    now: datetime.datetime = field(default_factory=timezone.now)
    assignments: dict = field(default_factory=dict)  # candidate pk → [(start, end, mentor pk)]
    mentor_user: dict = field(default_factory=dict)  # mentor pk → the pk of its portal user, if any

    def moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """`day` at `hour`, local time, never later than now."""
        at = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
        return min(at, self.now)

    def mentor_on(self, person, day: datetime.date) -> int:
        """The pk of the person's mentor on `day` (their first one before they had any)."""
        spans = self.assignments[person.pk]
        if len(spans) == 1:
            return spans[0][2]
        return next(
            (m for start, end, m in reversed(spans) if start <= day and (end is None or day <= end)),
            spans[0][2],
        )

    def township_user(self, person) -> int:
        return self.township_users[person.village.region.parent_id].pk

    def county_user(self, person) -> int:
        return self.county_users[person.village.region.parent.parent_id].pk

    def recorder(self, person, mentor: int) -> int:
        """Who writes the person's records: their mentor (a pk) when the mentor has a portal user, else
        the township official."""
        return self.mentor_user.get(mentor) or self.township_user(person)


def load_mentees(people: dict, officials: tuple[dict, dict], city_user) -> Mentees:
    """The active candidates `build_candidates` made (its result) with their mentor assignments."""
    active = [p for p in people["filed_on"] if p.status == Status.ACTIVE]
    township_users, county_users = officials
    found = Mentees(
        people=active,
        filed_on={p.pk: people["filed_on"][p] for p in active},
        showcase=people["showcase"],
        township_users=township_users,
        county_users=county_users,
        city_user=city_user,
    )
    rows = MentorAssignment.objects.filter(candidate__status=Status.ACTIVE).order_by(
        "candidate_id", "start_date"
    )
    for candidate, start, end, mentor in rows.values_list(
        "candidate_id", "start_date", "end_date", "mentor_id"
    ):
        found.assignments.setdefault(candidate, []).append((start, end, mentor))
    found.mentor_user = dict(Mentor.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    return found


def since(today: datetime.date) -> datetime.date:
    """The first day the demo's visits and assessments cover."""
    return datetime.date(today.year - YEARS_BACK, 1, 1)


def build_mentoring(rng: random.Random, mentees: Mentees) -> None:
    """Visits and assessments of every active candidate."""
    demo = [p for p in mentees.people if mentees.mentor_user.get(mentees.mentor_on(p, mentees.today))]
    flagged = _flagged(rng, mentees)
    build_visits(rng, mentees, demo_mentees=[p for p in demo if p.pk not in flagged])
    build_assessments(rng, mentees, flagged=flagged, demo_mentees=demo)


def _flagged(rng: random.Random, mentees: Mentees) -> set:
    """The candidates whose last two assessments failed: those whose elimination for it awaits the
    county (the ladder demo proposed them), else drawn."""
    proposed = list(
        Elimination.objects.filter(
            state=EliminationState.PROPOSED,
            reason=EliminationReason.FAILED_ASSESSMENT,
            candidate__status=Status.ACTIVE,
        )
        .order_by("candidate_id")
        .values_list("candidate_id", flat=True)[:FLAGGED]
    )
    others = [p.pk for p in mentees.people if p.pk not in proposed]
    return set(proposed + rng.sample(others, FLAGGED - len(proposed)))


def build_visits(rng: random.Random, mentees: Mentees, *, demo_mentees: list) -> None:
    """Visits about four times a year since the person was filed (or since the years the demo covers);
    the last one within 75 days, except for NOT_VISITED people, some in the demo users' places."""
    today, first_day = mentees.today, since(mentees.today)
    late = set()
    for township in ("榆树乡", "永陵镇", "英额门镇", "千金乡"):
        local = [p for p in mentees.people if p.village.region.parent.name == township]
        late.update(p.pk for p in rng.sample(local, min(2, len(local))))
    walk_through = [p for p in demo_mentees if p.name not in mentees.showcase]
    late.update(p.pk for p in rng.sample(walk_through, min(1, len(walk_through))))
    late.update(
        p.pk for p in rng.sample([p for p in mentees.people if p.pk not in late], NOT_VISITED - len(late))
    )
    rows = []
    for person in mentees.people:
        start = max(mentees.filed_on[person.pk], first_day)
        if person.pk in late:
            day = today - datetime.timedelta(days=rng.randint(110, 240))
        else:
            day = today - datetime.timedelta(days=rng.randint(0, min(75, (today - start).days)))
        while day >= start:
            form = rng.choice(VISIT_FORMS)
            problem, follow_up = rng.choice(PROBLEMS)
            mentor = mentees.mentor_on(person, day)
            rows.append(
                (
                    person.pk,
                    mentor,
                    day,
                    form,
                    rng.choice(VISIT_CONTENT[form]).format(industry=person.industry),
                    problem,
                    follow_up,
                    mentees.recorder(person, mentor),
                    mentees.moment(day, rng.randint(16, 20)),
                )
            )
            day -= datetime.timedelta(days=rng.randint(*VISIT_GAP_DAYS))
    rows.sort(key=lambda row: row[2])
    insert_rows(
        MentoringVisit,
        (
            "candidate",
            "mentor",
            "date",
            "form",
            "content",
            "problems",
            "follow_up",
            "recorded_by",
            "recorded_at",
        ),
        rows,
    )


def quarters(today: datetime.date) -> list[tuple[int, int, datetime.date]]:
    """(year, quarter, last day) of every quarter the demo covers that has ended by `today`, oldest first."""
    periods = []
    for year in range(today.year - YEARS_BACK, today.year + 1):
        for quarter in range(1, 5):
            following = (
                datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
            )
            if following <= today:
                periods.append((year, quarter, following - datetime.timedelta(days=1)))
    return periods


def _scores(rng: random.Random, level: float, failed: bool) -> list[int]:
    """Five scores of 0–20: 12 or more each when the person passes (a total of 60 or more), 6–11 when
    they fail (55 at most)."""
    if failed:
        return [rng.randint(6, 11) for _ in DIMENSIONS]
    return [min(20, max(12, round(rng.gauss(level, 1.5)))) for _ in DIMENSIONS]


def build_assessments(rng: random.Random, mentees: Mentees, *, flagged: set, demo_mentees: list) -> None:
    """An assessment per quarter since the person was filed: confirmed by their county, except part of
    the last quarter's, which awaits the county, and a few not submitted yet. FAILED_ONCE people failed
    one quarter; the `flagged` people failed their last two (confirmed)."""
    today, periods = mentees.today, quarters(mentees.today)
    last = periods[-1][:2]
    # The demo mentor's walk-through: one mentee's last quarter awaits 新宾, another's is still owed.
    walk_through = [p.pk for p in demo_mentees if p.pk not in flagged and p.name not in mentees.showcase]
    awaiting, owed = walk_through[:1], walk_through[1:2]
    others = [p.pk for p in mentees.people if p.pk not in flagged and p.pk not in walk_through]
    failed_once = set(rng.sample(others, FAILED_ONCE))
    owed = set(owed + rng.sample([pk for pk in others if pk not in failed_once], NOT_SUBMITTED - len(owed)))
    rows = []
    for person in mentees.people:
        filed_on = mentees.filed_on[person.pk]
        own = [p for p in periods if p[2] > filed_on and (p[:2] != last or person.pk not in owed)]
        if person.pk in flagged and len(own) < 2:
            own = periods[-2:]
        fails = set()
        if person.pk in flagged:
            fails = {own[-1][:2], own[-2][:2]}
        elif person.pk in failed_once and own:
            fails = {rng.choice(own)[:2]}
        level = rng.uniform(13.5, 19)
        for year, quarter, end in own:
            scores = _scores(rng, level, (year, quarter) in fails)
            total = sum(scores)
            grade = grade_of(total)
            submitted = mentees.moment(min(end + datetime.timedelta(days=rng.randint(3, 20)), today), 10)
            waiting = (
                (year, quarter) == last
                and person.pk not in flagged
                and (
                    person.pk in awaiting or (person.pk not in walk_through and rng.random() < AWAITING_SHARE)
                )
            )
            if waiting:
                state, decided_by, decided_at, opinion = AssessmentState.SUBMITTED, None, None, ""
            else:
                decided = min(submitted.date() + datetime.timedelta(days=rng.randint(2, 12)), today)
                state, decided_by = AssessmentState.CONFIRMED, mentees.county_user(person)
                decided_at = max(mentees.moment(decided, 15), submitted)
                opinion = "经审核，考核结果属实，予以确认" if grade == Grade.FAIL else "同意"
            mentor = mentees.mentor_on(person, end)
            rows.append(
                (
                    person.pk,
                    mentor,
                    year,
                    quarter,
                    *scores,
                    total,
                    grade,
                    rng.choice(COMMENTS[grade]),
                    state,
                    mentees.recorder(person, mentor),
                    submitted,
                    decided_by,
                    decided_at,
                    opinion,
                )
            )
    insert_rows(
        Assessment,
        (
            "candidate",
            "mentor",
            "year",
            "quarter",
            *DIMENSIONS,
            "total",
            "grade",
            "comments",
            "state",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "opinion",
        ),
        rows,
    )
