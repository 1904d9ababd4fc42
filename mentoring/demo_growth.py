"""Demo training, support and contributions (DESIGN §1, §6), with the city's figures hit exactly: 95 people
sent to universities, online learning used by everyone last year, 12 policies in force, ¥130 M of loans,
5,503 mu of land transferred, 972 projects, 242 collective-economy projects, 41,000 households helped,
and for last year 6,841 service items, 13,000 problems solved and 600 people awarded.

Called by `seed_demo` after `mentoring.demo.build_mentoring`; bulk writes, no history rows. Totals are
split with integer arithmetic (`split_total`), so that they add up exactly.
"""

import calendar
import datetime
import random
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from candidates.choices import Stage, Status, Tier
from candidates.models import Candidate
from mentoring.choices import AssessmentState, AwardLevel, ContributionKind, CourseLevel, Grade, SupportKind
from mentoring.demo import YEARS_BACK, Mentees, between, insert_rows, split_total
from mentoring.models import (
    Assessment,
    Award,
    CollectiveProject,
    Contribution,
    Course,
    Enrolment,
    Mentor,
    MentoringVisit,
    OnlineLearning,
    Policy,
    Support,
)

UNIVERSITY_TRAINEES = 95
POLICIES = [
    ("农村创业担保贷款贴息政策", "对培养对象创业担保贷款给予财政贴息，个人最高50万元。"),
    ("返乡入乡创业扶持政策", "返乡入乡创办经营主体的，给予一次性创业补贴和场地支持。"),
    ("高素质农民培育计划", "分产业开展经营管理和生产技术培训，培训费用由财政承担。"),
    ("农民专业合作社示范社奖补政策", "评为市级以上示范社的，给予一次性奖补。"),
    ("家庭农场培育扶持政策", "对县级以上示范家庭农场给予建设补助。"),
    ("设施农业建设补贴", "新建日光温室、冷棚等设施按面积给予补贴。"),
    ("农机购置与应用补贴", "购置补贴目录内农机具的，按定额给予补贴。"),
    ("农村土地经营权流转奖补政策", "集中连片流转土地、期限五年以上的，按面积给予奖补。"),
    ("农业保险保费补贴", "政策性种植业、养殖业保险保费由各级财政分担。"),
    ("村级集体经济发展扶持资金", "支持培养对象领办的村集体经济项目。"),
    ("乡村振兴人才专项补贴", "对晋位升级的培养对象给予生活补贴和学习经费。"),
    ("退役军人返乡创业扶持政策", "退役军人返乡创业的，享受贷款贴息和税费减免。"),
]
# No longer in force: the catalogue keeps it for the support granted under it.
EXPIRED_POLICY = ("产业扶贫项目补助政策", "脱贫攻坚期内产业扶贫项目补助，过渡期后停止执行。")

# How many records the exact totals are spread over (amounts plausible per record).
LOANS_YUAN, LOANS = 130_000_000, 1180  # in whole 10,000 yuan, 30,000 yuan at least
LAND_MU, LAND_TRANSFERS = 5503, 420  # in tenths of a mu, 2 mu at least
PROJECTS, POLICY_GRANTS = 972, 1400
COLLECTIVE_PROJECTS = 242
HOUSEHOLDS_HELPED, HOUSEHOLD_RECORDS = 41_000, 6200
# Last calendar year's figures, and how many records each is spread over.
SERVICE_ITEMS, SERVICE_RECORDS = 6841, 2300
PROBLEMS_SOLVED, PROBLEM_RECORDS = 13_000, 3600
AWARDED, SECOND_AWARDS = 600, 60

UNIVERSITY_CLASSES = [
    # (university, class, month it starts, days, hours, weight of its intake)
    ("浙江大学", "乡村振兴“头雁”人才培训班", 7, 12, 80, 3),
    ("中国农业大学", "乡村产业振兴带头人研修班", 10, 7, 48, 1),
    ("沈阳农业大学", "现代农业经营管理高级研修班", 4, 6, 40, 1),
]
CITY_COURSES = [
    # (name, month, days, hours, online)
    ("抚顺市“三向培养”对象示范培训班", 3, 5, 32, False),
    ("抚顺市党员致富能手电商直播培训班", 9, 3, 20, False),
    ("云端学习平台乡村振兴政策专题", 5, 30, 12, True),
]
PROJECT_NAMES = [
    "{industry}标准化生产基地建设项目",
    "{industry}扩繁育种项目",
    "{industry}产品深加工项目",
    "{industry}冷链仓储项目",
    "{industry}品牌打造和电商销售项目",
]
COLLECTIVE_NAMES = [
    "{village}{industry}集体产业基地",
    "{village}村集体入股{industry}合作社项目",
    "{village}光伏发电项目",
    "{village}农产品冷链仓储项目",
    "{village}乡村旅游民宿项目",
]
LENDERS = ["抚顺农商银行", "中国农业银行抚顺分行", "中国邮政储蓄银行抚顺市分行", "辽宁农信社抚顺审计中心"]
SERVICE_NOTES = ["代办医保、养老保险缴费", "帮助老人网上办理补贴申领", "组织村屯环境整治", "为农户代销农产品"]
PROBLEM_NOTES = [
    "协调解决灌溉用水",
    "帮助修缮危旧房屋",
    "调解邻里土地纠纷",
    "联系农技人员解决病虫害",
    "帮助就业",
]
HOUSEHOLD_NOTES = ["吸纳农户务工", "带动农户入社分红", "提供种苗和技术，保底收购", "帮助脱贫户发展庭院经济"]
# (level, title, granting unit, Party members only)
AWARDS = [
    (AwardLevel.NATIONAL, "全国农村青年致富带头人", "共青团中央、农业农村部", False),
    (AwardLevel.PROVINCIAL, "辽宁省乡村振兴先进个人", "中共辽宁省委农村工作领导小组", False),
    (AwardLevel.PROVINCIAL, "辽宁省优秀共产党员", "中共辽宁省委", True),
    (AwardLevel.CITY, "抚顺市“三向培养”先进典型", "中共抚顺市委组织部", False),
    (AwardLevel.CITY, "抚顺市优秀党员致富能手", "中共抚顺市委", True),
    (AwardLevel.CITY, "抚顺市劳动模范", "抚顺市人民政府", False),
    (AwardLevel.COUNTY, "{county}优秀共产党员", "中共{county}委", True),
    (AwardLevel.COUNTY, "{county}乡村振兴标兵", "{county}人民政府", False),
    (AwardLevel.TOWNSHIP, "{township}致富带头人标兵", "{township}人民政府", False),
    (AwardLevel.TOWNSHIP, "{township}优秀党员", "中共{township}委员会", True),
]
AWARD_WEIGHTS = {
    AwardLevel.NATIONAL: 1,
    AwardLevel.PROVINCIAL: 3,
    AwardLevel.CITY: 16,
    AwardLevel.COUNTY: 35,
    AwardLevel.TOWNSHIP: 45,
}


def build_growth(rng: random.Random, mentees: Mentees, *, year: int) -> None:
    """Training, online learning, support and contributions of the active candidates; `year` is last
    calendar year, the one the yearly figures are for."""
    build_training(rng, mentees)
    build_online_learning(rng, mentees, year=year)
    build_support(rng, mentees)
    build_contributions(rng, mentees, year=year)


def _course(rng, today, year, month, days, **fields) -> Course | None:
    """A course of `year` starting in `month` and lasting `days`, or None when it would not have ended
    by `today`."""
    start = datetime.date(year, month, rng.randint(3, 20))
    end = start + datetime.timedelta(days=days - 1)
    return Course(start_date=start, end_date=end, **fields) if end < today else None


def build_training(rng: random.Random, mentees: Mentees) -> None:
    """Courses of the city, the counties, the townships and the universities over the years the demo
    covers, with their enrolments; exactly UNIVERSITY_TRAINEES people sent to universities."""
    today, city = mentees.today, mentees.city_user
    by_township, by_county = {}, {}
    for person in mentees.people:
        township = person.village.region.parent
        by_township.setdefault(township, []).append(person)
        by_county.setdefault(township.parent, []).append(person)
    university = []  # (course, weight of its intake)
    planned = []  # (course, the people it may take, its usual intake)
    for year in range(today.year - YEARS_BACK, today.year + 1):
        for school, title, month, days, hours, weight in UNIVERSITY_CLASSES:
            course = _course(
                rng,
                today,
                year,
                month,
                days,
                name=f"{school}{title}（{year}）",
                organiser=f"{school}继续教育学院",
                level=CourseLevel.UNIVERSITY,
                cohort=f"头雁 {year}" if "头雁" in title else f"{year}级",
                hours=hours,
                created_by=city,
            )
            if course:
                university.append((course, weight))
        for title, month, days, hours, online in CITY_COURSES:
            course = _course(
                rng,
                today,
                year,
                month,
                days,
                name=f"{title}（{year}年）",
                organiser="中共抚顺市委组织部",
                level=CourseLevel.CITY,
                hours=hours,
                online=online,
                created_by=city,
            )
            if course:
                planned.append((course, mentees.people, 300 if online else 120))
        for county, people in by_county.items():
            name = f"{county.name}致富带头人能力提升培训班（{year}年）"
            fields = {"organiser": f"中共{county.name}委组织部", "level": CourseLevel.COUNTY, "hours": 24}
            by = mentees.county_users[county.code]
            if course := _course(rng, today, year, rng.randint(4, 10), 3, name=name, created_by=by, **fields):
                planned.append((course, people, max(10, len(people) // 12)))
        for township, people in by_township.items():
            name = f"{township.name}党员致富能手实用技术培训（{year}年）"
            fields = {"organiser": f"{township.name}党委", "level": CourseLevel.TOWNSHIP, "hours": 8}
            by = mentees.township_users[township.code]
            if course := _course(rng, today, year, rng.randint(3, 11), 2, name=name, created_by=by, **fields):
                planned.append((course, people, max(5, len(people) // 4)))
    Course.objects.bulk_create([c for c, _ in university] + [c for c, _, _ in planned])
    rows = []
    for course, people, intake in planned:
        eligible = [p for p in people if mentees.filed_on[p.pk] < course.start_date]
        for person in rng.sample(eligible, min(intake + rng.randint(0, intake // 2), len(eligible))):
            rows.append(_enrolment(rng, course, person))
    rows += _university_enrolments(rng, mentees, university)
    insert_rows(Enrolment, ("course", "candidate", "completed_on", "enrolled_by"), rows)


def _enrolment(rng, course, person) -> tuple:
    completed = course.end_date if rng.random() < 0.93 else None
    return (course.pk, person.pk, completed, course.created_by_id)


def _university_enrolments(rng, mentees: Mentees, university: list) -> list[tuple]:
    """The "头雁" and other university classes: village leaders and senior candidates first, the people
    the source names among them; exactly UNIVERSITY_TRAINEES people, a few of them in two classes."""
    heads = (Stage.VILLAGE_LEADER, Stage.REVITALIZATION_LEADER)
    pool = [p for p in mentees.people if p.stage in heads or p.tier == Tier.SENIOR]
    rng.shuffle(pool)
    named = [mentees.showcase[name] for name in ("季志英", "王大勇")]
    pool = named + [p for p in pool if p not in named]
    rows, sent = [], []
    for person in pool:
        eligible = [(c, w) for c, w in university if mentees.filed_on[person.pk] < c.start_date]
        if not eligible:
            continue
        course = rng.choices([c for c, _ in eligible], weights=[w for _, w in eligible])[0]
        rows.append(_enrolment(rng, course, person))
        sent.append((person, course))
        if len(sent) == UNIVERSITY_TRAINEES:
            break
    assert len(sent) == UNIVERSITY_TRAINEES, len(sent)
    for person, first in rng.sample(sent, 12):
        again = [c for c, _ in university if c is not first and mentees.filed_on[person.pk] < c.start_date]
        if again:
            rows.append(_enrolment(rng, rng.choice(again), person))
    return rows


def build_online_learning(rng: random.Random, mentees: Mentees, *, year: int) -> None:
    """Hours on the online platform per month: every active candidate some in `year` (a usage rate of
    100 %), fewer the year before, and some this year up to last month."""
    today, rows = mentees.today, []
    imported_by = mentees.city_user.pk
    for person in mentees.people:
        filed_on = mentees.filed_on[person.pk]
        for y, most, at_least in ((year - 1, 5, 0), (year, 8, 1), (today.year, 6, 0)):
            first = filed_on.month if filed_on.year == y else 1 if filed_on.year < y else 13
            last = today.month - 1 if y == today.year else 12
            months = list(range(first, last + 1))
            count = rng.randint(min(at_least, len(months)), min(most, len(months)))
            for month in sorted(rng.sample(months, count)):
                rows.append(
                    (person.pk, datetime.date(y, month, 1), Decimal(rng.randint(5, 160)) / 10, imported_by)
                )
    rows.sort(key=lambda row: row[1])
    insert_rows(OnlineLearning, ("candidate", "month", "hours", "imported_by"), rows)


def build_support(rng: random.Random, mentees: Mentees) -> None:
    """The policy catalogue and the support granted since each person was filed: loans adding up to
    LOANS_YUAN, land transfers to LAND_MU, PROJECTS projects and POLICY_GRANTS grants under a policy."""
    today, people = mentees.today, mentees.people
    policies = Policy.objects.bulk_create(
        [Policy(name=name, description=text) for name, text in POLICIES]
        + [Policy(name=EXPIRED_POLICY[0], description=EXPIRED_POLICY[1], active=False)]
    )
    in_force = policies[:-1]
    rows = []

    def grant(
        person, kind, granted_by, *, policy=None, amount=None, area=None, project="", note="", day=None
    ):
        day = day or between(rng, mentees.filed_on[person.pk], today)
        recorder = mentees.township_user(person)
        rows.append((person.pk, kind, policy, amount, area, project, day, granted_by, note, recorder))

    for units in split_total(rng, LOANS_YUAN // 10_000, LOANS, lowest=3):
        person = rng.choice(people)
        note = rng.choice(["创业担保贷款，财政贴息", "产业发展贷款", "合作社流动资金贷款"])
        grant(person, SupportKind.LOAN, rng.choice(LENDERS), amount=Decimal(units * 10_000), note=note)
    for tenths in split_total(rng, LAND_MU * 10, LAND_TRANSFERS, lowest=20):
        person = rng.choice(people)
        town = person.village.region.parent.name
        note = f"流转用于{person.industry}生产"
        grant(person, SupportKind.LAND, f"{town}农村经营管理站", area=Decimal(tenths) / 10, note=note)
    for _ in range(PROJECTS):
        person = rng.choice(people)
        county = person.village.region.parent.parent.name
        name = rng.choice(PROJECT_NAMES).format(industry=person.industry)
        grant(person, SupportKind.PROJECT, f"{county}农业农村局", project=name)
    for _ in range(POLICY_GRANTS):
        person = rng.choice(people)
        county = person.village.region.parent.parent.name
        policy = rng.choice(in_force)
        grant(person, SupportKind.POLICY, f"{county}农业农村局", policy=policy.pk)
    # Grants under the expired policy, before it ended.
    for person in rng.sample(people, 30):
        filed_on, county = mentees.filed_on[person.pk], person.village.region.parent.parent.name
        if filed_on.year < 2021:
            day = between(rng, filed_on, datetime.date(2021, 6, 30))
            grant(person, SupportKind.POLICY, f"{county}乡村振兴局", policy=policies[-1].pk, day=day)
    rows.sort(key=lambda row: row[6])
    fields = ("candidate", "kind", "policy", "amount", "area", "project", "date", "granted_by", "note")
    insert_rows(Support, (*fields, "recorded_by"), rows)


def build_contributions(rng: random.Random, mentees: Mentees, *, year: int) -> None:
    """Collective-economy projects, households helped (all time), service items and problems solved (exact
    for `year`, some for the years around it), and awards (AWARDED people in `year`)."""
    today, people = mentees.today, mentees.people
    january, december = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    leaders = [
        p
        for p in people
        if p.stage in (Stage.VILLAGE_CADRE, Stage.VILLAGE_LEADER, Stage.REVITALIZATION_LEADER)
    ]
    projects = []
    for person in rng.sample(leaders, COLLECTIVE_PROJECTS):
        name = rng.choice(COLLECTIVE_NAMES).format(
            village=person.village.region.name, industry=person.industry
        )
        projects.append(
            (
                person.pk,
                person.village.pk,
                name,
                Decimal(rng.randrange(200_000, 3_000_000, 10_000)),
                between(rng, mentees.filed_on[person.pk], today),
                mentees.township_user(person),
            )
        )
    projects.sort(key=lambda row: row[4])
    insert_rows(
        CollectiveProject, ("candidate", "village", "name", "amount", "start_date", "recorded_by"), projects
    )

    rows = []

    def count(person, kind, number, first, last, notes):
        """A record of `number` on a day from `first` (or the person's filing) to `last`."""
        day = between(rng, max(first, mentees.filed_on[person.pk]), last)
        rows.append((person.pk, kind, number, day, rng.choice(notes), mentees.township_user(person)))

    helped = ContributionKind.HOUSEHOLDS_HELPED
    for number in split_total(rng, HOUSEHOLDS_HELPED, HOUSEHOLD_RECORDS):
        count(rng.choice(people), helped, number, datetime.date.min, today, HOUSEHOLD_NOTES)
    for kind, total, records, notes in (
        (ContributionKind.SERVICE_ITEMS, SERVICE_ITEMS, SERVICE_RECORDS, SERVICE_NOTES),
        (ContributionKind.PROBLEMS_SOLVED, PROBLEMS_SOLVED, PROBLEM_RECORDS, PROBLEM_NOTES),
    ):
        for number in split_total(rng, total, records):
            count(rng.choice(people), kind, number, january, december, notes)
        # The years around it, not counted in the figures: the year before, and this year to date.
        before = [p for p in people if mentees.filed_on[p.pk] < january]
        for person in rng.choices(before, k=records // 2):
            count(
                person,
                kind,
                rng.randint(1, 6),
                january.replace(year=year - 1),
                january - datetime.timedelta(days=1),
                notes,
            )
        for person in rng.choices(people, k=records // 2):
            count(person, kind, rng.randint(1, 6), december + datetime.timedelta(days=1), today, notes)
    rows.sort(key=lambda row: row[3])
    insert_rows(Contribution, ("candidate", "kind", "count", "date", "note", "recorded_by"), rows)
    _awards(rng, mentees, year=year)


def _awards(rng: random.Random, mentees: Mentees, *, year: int) -> None:
    """AWARDED people awarded in `year` (some twice); awards the year before and this year too."""
    today, people = mentees.today, mentees.people
    january, december = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    levels = list(AWARD_WEIGHTS)
    rows = []

    def award(person, first, last):
        level = rng.choices(levels, weights=[AWARD_WEIGHTS[lv] for lv in levels])[0]
        member = person.stage != Stage.WEALTH_CREATOR
        choices = [a for a in AWARDS if a[0] == level and (member or not a[3])]
        _, title, unit, _ = rng.choice(choices)
        township = person.village.region.parent
        names = {"county": township.parent.name, "township": township.name}
        day = between(rng, max(first, mentees.filed_on[person.pk]), last)
        rows.append(
            (
                person.pk,
                title.format(**names),
                level,
                day,
                unit.format(**names),
                mentees.township_user(person),
            )
        )

    awarded = rng.sample(people, AWARDED)
    for person in awarded + rng.sample(awarded, SECOND_AWARDS):
        award(person, january, december)
    before = [p for p in people if mentees.filed_on[p.pk] < january]
    for person in rng.sample(before, 300):
        award(person, january.replace(year=year - 1), january - datetime.timedelta(days=1))
    for person in rng.sample(people, 250):
        award(person, december + datetime.timedelta(days=1), today)
    rows.sort(key=lambda row: row[3])
    insert_rows(Award, ("candidate", "title", "level", "date", "granted_by", "recorded_by"), rows)


def figures(*, year: int) -> dict:
    """The figures of DESIGN §1 and §6 the mentoring demo makes, counted from the records, for the
    summary seed_demo prints."""
    today = timezone.localdate()
    active = Candidate.objects.active()
    months = settings.VISIT_INTERVAL_MONTHS
    back, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    due_since = datetime.date(back, month + 1, min(today.day, calendar.monthrange(back, month + 1)[1]))
    assessments = Assessment.objects.all()
    confirmed = Counter()
    last_two = {}
    for candidate, grade in (
        assessments.confirmed()
        .order_by("candidate_id", "year", "quarter")
        .values_list("candidate_id", "grade")
    ):
        last_two[candidate] = (last_two.get(candidate, (None, None))[1], grade)
        confirmed[grade] += 1
    in_year = {"date__year": year}
    totals = dict(Contribution.objects.values_list("kind").annotate(n=Sum("count")))
    yearly = dict(Contribution.objects.filter(**in_year).values_list("kind").annotate(n=Sum("count")))
    online = OnlineLearning.objects.filter(month__year=year, hours__gt=0, candidate__status=Status.ACTIVE)
    support = Support.objects.values("kind")
    loans = support.filter(kind=SupportKind.LOAN).aggregate(s=Sum("amount"))["s"]
    land = support.filter(kind=SupportKind.LAND).aggregate(s=Sum("area"))["s"]
    usage = online.values("candidate").distinct().count() / active.count()
    return {
        "mentors with industries": Mentor.objects.exclude(industries="").count(),
        "mentoring visits": MentoringVisit.objects.count(),
        f"active candidates without a visit since {due_since}": active.exclude(
            visits__date__gte=due_since
        ).count(),
        "assessments (confirmed / awaiting the county)": f"{assessments.count()} "
        f"({sum(confirmed.values())} / {assessments.filter(state=AssessmentState.SUBMITTED).count()})",
        "confirmed 不合格": confirmed[Grade.FAIL],
        "flagged (last two confirmed 不合格)": sum(
            pair == (Grade.FAIL, Grade.FAIL) for pair in last_two.values()
        ),
        "courses (university)": f"{Course.objects.count()} ({Course.objects.university().count()})",
        "sent to universities": Enrolment.objects.filter(course__level=CourseLevel.UNIVERSITY)
        .values("candidate")
        .distinct()
        .count(),
        f"online learning usage {year}": f"{usage:.1%}",
        "policies in force": Policy.objects.in_force().count(),
        "loans (yuan)": f"{loans:,.0f}",
        "land transferred (mu)": f"{land:,.1f}",
        "support projects": support.filter(kind=SupportKind.PROJECT).count(),
        "collective-economy projects": CollectiveProject.objects.count(),
        "households helped": totals.get(ContributionKind.HOUSEHOLDS_HELPED),
        f"service items {year}": yearly.get(ContributionKind.SERVICE_ITEMS),
        f"problems solved {year}": yearly.get(ContributionKind.PROBLEMS_SOLVED),
        f"candidates awarded {year}": Award.objects.filter(**in_year).values("candidate").distinct().count(),
    }
