"""Demo data for the region tree and villages: Fushun city as DESIGN §1 reports it.

Called by `seed_demo`; every figure the design names is hit exactly, the rest is drawn from a
seeded random generator so that the same seed gives the same data.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from villages.choices import RegionLevel, SeatPosition
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, StarRating, Village

CITY_VILLAGES = 582
FOUR_STAR_PLUS = 541
# 89.2 % exactly: 3,122 wealth-creators among 3,500 current committee members.
COMMITTEE_MEMBERS = 3500
COMMITTEE_WEALTH_CREATORS = 3122
AGENCIES = 36
# The current term of the village committees, elected in the 2021 round (换届); the one before.
TERM_START = datetime.date(2021, 5, 1)
PREVIOUS_TERM = (datetime.date(2018, 5, 1), datetime.date(2021, 4, 30))

PROVINCE = ("210000000000", "辽宁省")
CITY = ("210400000000", "抚顺市")

# Counties of Fushun with their townships: (code, name, {township code: (name, number of villages)}).
FUSHUN_COUNTIES = [
    ("210402000000", "新抚区", {"210402200000": ("千金乡", 8)}),
    (
        "210403000000",
        "东洲区",
        {
            "210403100000": ("哈达镇", 13),
            "210403101000": ("章党镇", 15),
            "210403200000": ("碾盘乡", 8),
            "210403201000": ("兰山乡", 10),
        },
    ),
    ("210404000000", "望花区", {"210404100000": ("塔峪镇", 12), "210404200000": ("拉古满族乡", 8)}),
    (
        "210411000000",
        "顺城区",
        {
            "210411100000": ("前甸镇", 12),
            "210411200000": ("河北乡", 10),
            "210411201000": ("会元乡", 8),
        },
    ),
    (
        "210421000000",
        "抚顺县",
        {
            "210421100000": ("石文镇", 14),
            "210421101000": ("后安镇", 14),
            "210421102000": ("上马镇", 12),
            "210421103000": ("救兵镇", 12),
            "210421200000": ("马圈子乡", 12),
            "210421201000": ("海浪乡", 12),
            "210421202000": ("汤图满族乡", 12),
            "210421203000": ("峡河满族乡", 12),
        },
    ),
    (
        "210422000000",
        "新宾满族自治县",
        {
            "210422100000": ("新宾镇", 14),
            "210422101000": ("旺清门镇", 13),
            "210422102000": ("永陵镇", 14),
            "210422103000": ("平顶山镇", 13),
            "210422104000": ("大四平镇", 13),
            "210422105000": ("苇子峪镇", 13),
            "210422106000": ("木奇镇", 12),
            "210422107000": ("上夹河镇", 13),
            "210422108000": ("南杂木镇", 13),
            "210422200000": ("红庙子乡", 12),
            "210422201000": ("北四平乡", 12),
            "210422202000": ("榆树乡", 12),
            "210422203000": ("响水河子乡", 12),
            "210422204000": ("下夹河乡", 12),
            "210422205000": ("红升乡", 12),
        },
    ),
    (
        "210423000000",
        "清原满族自治县",
        {
            "210423100000": ("清原镇", 14),
            "210423101000": ("红透山镇", 14),
            "210423102000": ("草市镇", 14),
            "210423103000": ("南口前镇", 14),
            "210423104000": ("英额门镇", 14),
            "210423105000": ("湾甸子镇", 14),
            "210423106000": ("北三家镇", 13),
            "210423107000": ("南山城镇", 13),
            "210423108000": ("夏家堡镇", 13),
            "210423109000": ("大孤家镇", 13),
            "210423200000": ("大苏河乡", 13),
            "210423201000": ("敖家堡乡", 13),
            "210423202000": ("土口子乡", 13),
            "210423203000": ("枸乃甸乡", 13),
        },
    ),
]

# Villages the source names, with their industries: (township code, village name, industry).
SHOWCASE_VILLAGES = [
    ("210402200000", "后邓村", "花卉"),
    ("210422202000", "红石村", "赤松茸"),
    ("210423104000", "椴子沟村", "中药材"),
    ("210422102000", "那家村", "中药材"),
    ("210422102000", "赫图阿拉村", "乡村旅游"),
]

# Leading industries by county, drawn for the other villages.
INDUSTRIES = {
    "210402": ["花卉", "蔬菜大棚", "乡村旅游"],
    "210403": ["蔬菜大棚", "食用菌", "水果", "肉牛养殖"],
    "210404": ["蔬菜大棚", "花卉", "生猪养殖"],
    "210411": ["水稻", "蔬菜大棚", "乡村旅游"],
    "210421": ["水稻", "食用菌", "林蛙养殖", "肉牛养殖", "水果"],
    "210422": ["中药材", "人参", "香菇", "林下经济", "肉牛养殖", "乡村旅游"],
    "210423": ["中药材", "龙胆", "食用菌", "林蛙养殖", "水稻", "山野菜"],
}

_NAME_HEADS = "大小上下前后东西南北新老红青黄白高长双三五四二马王李张刘杨赵关佟那富金石柳杨榆松"
_NAME_TAILS = [
    "堡",
    "沟",
    "岭",
    "屯",
    "台",
    "河",
    "甸",
    "营",
    "岔",
    "家",
    "山",
    "泉",
    "房",
    "岗",
    "湾",
    "坎",
    "峪",
    "旺",
    "林",
    "甸子",
    "家堡",
    "家沟",
    "道沟",
    "堡子",
    "河口",
    "头",
    "岭子",
    "树",
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹常武乔贺"
    "关佟那富赫"
)
GIVEN = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富"
    "顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕"
    "河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛秀"
    "娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳"
)

AGENCY_NAMES = [
    "市委办公室",
    "市政府办公室",
    "市人大常委会办公室",
    "市政协办公室",
    "市纪委监委机关",
    "市委组织部",
    "市委宣传部",
    "市委统战部",
    "市委政法委",
    "市委政策研究室",
    "市发展和改革委员会",
    "市教育局",
    "市科学技术局",
    "市工业和信息化局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源和社会保障局",
    "市自然资源局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市水务局",
    "市农业农村局",
    "市商务局",
    "市文化旅游和广播电视局",
    "市卫生健康委员会",
    "市退役军人事务局",
    "市应急管理局",
    "市审计局",
    "市市场监督管理局",
    "市统计局",
    "市医疗保障局",
    "市供销合作社",
    "市总工会",
    "市妇联",
]
BRANCH_ORDINALS = "一二三四五六七八九十"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


@dataclass
class DemoRegions:
    """What the region step built, for the steps that follow."""

    city: Region
    counties: list[Region] = field(default_factory=list)
    townships: list[Region] = field(default_factory=list)
    villages: list[Village] = field(default_factory=list)
    by_name: dict[str, Region] = field(default_factory=dict)


def _village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS) + "村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _village_record(rng: random.Random, region: Region, industry: str) -> Village:
    households = rng.randint(150, 900)
    population = int(households * rng.uniform(2.4, 3.1))
    return Village(
        region=region,
        households=households,
        population=population,
        party_members=rng.randint(18, max(19, min(90, population // 12))),
        leading_industries=industry,
        collective_income=Decimal(rng.randrange(50_000, 3_000_000, 1000)),
        per_capita_income=Decimal(rng.randrange(14_000, 32_000, 100)),
        party_branch=f"{region.name}党{'总支' if households > 600 else '支部'}",
    )


def build_fushun(rng: random.Random, province: Region | None = None) -> DemoRegions:
    """Fushun's tree: the city, its 7 counties and districts, their townships and 582 villages."""
    if province is None:
        province = Region.objects.create(code=PROVINCE[0], name=PROVINCE[1], level=RegionLevel.PROVINCE)
    city = Region.objects.create(code=CITY[0], name=CITY[1], level=RegionLevel.CITY, parent=province)
    built = DemoRegions(city=city)
    showcase = {}
    for township_code, name, industry in SHOWCASE_VILLAGES:
        showcase.setdefault(township_code, []).append((name, industry))

    counties, townships, villages, records = [], [], [], []
    # Names unique across the city, so that the villages the source names are found by name alone.
    taken = {name for _, name, _ in SHOWCASE_VILLAGES}
    for county_code, county_name, county_townships in FUSHUN_COUNTIES:
        county = Region(code=county_code, name=county_name, level=RegionLevel.COUNTY, parent=city)
        counties.append(county)
        for township_code, (township_name, count) in county_townships.items():
            township = Region(
                code=township_code, name=township_name, level=RegionLevel.TOWNSHIP, parent=county
            )
            townships.append(township)
            named = showcase.get(township_code, [])
            names = [name for name, _ in named] + _village_names(rng, count - len(named), taken)
            for index, village_name in enumerate(names):
                code = f"{township_code[:9]}{200 + index + 1:03d}"
                region = Region(code=code, name=village_name, level=RegionLevel.VILLAGE, parent=township)
                villages.append(region)
                industry = named[index][1] if index < len(named) else rng.choice(INDUSTRIES[county_code[:6]])
                records.append(_village_record(rng, region, industry))
    Region.objects.bulk_create(counties)
    Region.objects.bulk_create(townships)
    Region.objects.bulk_create(villages)
    Village.objects.bulk_create(records)
    assert len(records) == CITY_VILLAGES, len(records)
    built.counties, built.townships, built.villages = counties, townships, records
    built.by_name = {r.name: r for r in [city, *counties, *townships, *villages]}
    return built


def rate_stars(rng: random.Random, villages: list[Village], *, year: int, four_star_plus: int) -> None:
    """Star ratings for `year` with exactly `four_star_plus` villages at four stars or more, and the
    two years before, a little lower, for the history."""
    order = villages[:]
    rng.shuffle(order)
    ratings = []
    for rank, village in enumerate(order):
        stars = rng.choice((4, 4, 5)) if rank < four_star_plus else rng.choice((2, 3, 3))
        ratings.append(StarRating(village=village, year=year, stars=stars))
        for back in (1, 2):
            ratings.append(
                StarRating(village=village, year=year - back, stars=max(1, stars - rng.choice((0, 0, 1))))
            )
    StarRating.objects.bulk_create(ratings, batch_size=2000)


def seat_committees(
    rng: random.Random, villages: list[Village], *, members: int, wealth_creators: int
) -> list[CommitteeSeat]:
    """Current committee seats, `members` in all and `wealth_creators` of them wealth-creators, plus
    the previous term's seats for each village's history. Not saved: candidates take some of them
    first (`candidates.demo.build_candidates`), then they are written in one go."""
    per_village, extra = divmod(members, len(villages))
    layout = [SeatPosition.SECRETARY, SeatPosition.DIRECTOR, SeatPosition.DEPUTY]
    seats = []
    for index, village in enumerate(villages):
        size = per_village + (1 if index < extra else 0)
        positions = layout + [SeatPosition.MEMBER] * (size - len(layout))
        for position in positions:
            seats.append(
                CommitteeSeat(
                    village=village, position=position, holder_name=person_name(rng), term_start=TERM_START
                )
            )
        for position in layout:
            seats.append(
                CommitteeSeat(
                    village=village,
                    position=position,
                    holder_name=person_name(rng),
                    is_wealth_creator=rng.random() < 0.6,
                    term_start=PREVIOUS_TERM[0],
                    term_end=PREVIOUS_TERM[1],
                )
            )
    current = [s for s in seats if s.term_end is None]
    assert len(current) == members
    for seat in rng.sample(current, wealth_creators):
        seat.is_wealth_creator = True
    return seats


def pair_agencies(rng: random.Random, city: Region, villages: list[Village], *, agencies: int) -> None:
    """`agencies` city agencies whose Party branches pair, one branch each, with every village."""
    created = Agency.objects.bulk_create([Agency(city=city, name=name) for name in AGENCY_NAMES[:agencies]])
    per_agency, extra = divmod(len(villages), agencies)
    branches = []
    for index, agency in enumerate(created):
        for n in range(per_agency + (1 if index < extra else 0)):
            ordinal = (
                BRANCH_ORDINALS[n] if n < 10 else f"十{BRANCH_ORDINALS[n - 10]}" if n < 20 else str(n + 1)
            )
            branches.append(AgencyBranch(agency=agency, name=f"第{ordinal}党支部"))
    AgencyBranch.objects.bulk_create(branches)
    order = villages[:]
    rng.shuffle(order)
    Pairing.objects.bulk_create(
        [
            Pairing(village=village, branch=branch, start_date=datetime.date(2021, 7, 1))
            for village, branch in zip(order, branches, strict=True)
        ],
        batch_size=2000,
    )


LIAONING_CITIES = [
    ("2101", "沈阳市"),
    ("2102", "大连市"),
    ("2103", "鞍山市"),
    ("2105", "本溪市"),
    ("2106", "丹东市"),
    ("2107", "锦州市"),
    ("2108", "营口市"),
    ("2109", "阜新市"),
    ("2110", "辽阳市"),
    ("2111", "盘锦市"),
    ("2112", "铁岭市"),
    ("2113", "朝阳市"),
    ("2114", "葫芦岛市"),
]


def build_rest_of_province(rng: random.Random, province: Region, *, year: int) -> list[Village]:
    """The other 13 cities of Liaoning, about 11,000 villages, for benchmarks at province scale."""
    cities, counties, townships, regions, records = [], [], [], [], []
    for city_prefix, city_name in LIAONING_CITIES:
        city = Region(code=f"{city_prefix}00000000", name=city_name, level=RegionLevel.CITY, parent=province)
        cities.append(city)
        for c in range(1, 7):
            county = Region(
                code=f"{city_prefix}{20 + c:02d}000000",
                name=f"{city_name[:-1]}{BRANCH_ORDINALS[c - 1]}县",
                level=RegionLevel.COUNTY,
                parent=city,
            )
            counties.append(county)
            taken: set[str] = set()
            for t in range(12):
                township = Region(
                    code=f"{county.code[:6]}{100 + t:03d}000",
                    level=RegionLevel.TOWNSHIP,
                    name=rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS) + "镇",
                    parent=county,
                )
                townships.append(township)
                for v, name in enumerate(_village_names(rng, 12, taken)):
                    region = Region(
                        code=f"{township.code[:9]}{201 + v:03d}",
                        name=name,
                        level=RegionLevel.VILLAGE,
                        parent=township,
                    )
                    regions.append(region)
                    records.append(_village_record(rng, region, rng.choice(INDUSTRIES["210423"])))
    for batch in (cities, counties, townships, regions):
        Region.objects.bulk_create(batch, batch_size=5000)
    Village.objects.bulk_create(records, batch_size=5000)
    rate_stars(rng, records, year=year, four_star_plus=int(len(records) * 0.9))
    return records
