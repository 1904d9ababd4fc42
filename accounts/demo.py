"""The demo users of DESIGN §9, all with the password in settings.DEMO_PASSWORD."""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.choices import Role
from accounts.models import User
from villages.models import Region

# username: (name, role, jurisdiction name, what they do)
DEMO_USERS = {
    "admin": ("系统管理员", Role.ADMINISTRATOR, None),
    "city": ("市委组织部 王敏", Role.CITY_STAFF, "抚顺市"),
    "xinbin": ("新宾县委组织部 赵刚", Role.COUNTY_REVIEWER, "新宾满族自治县"),
    "qingyuan": ("清原县委组织部 孙丽", Role.COUNTY_REVIEWER, "清原满族自治县"),
    "yushu": ("榆树乡 刘洋", Role.TOWNSHIP_OFFICIAL, "榆树乡"),
    "yongling": ("永陵镇 关红", Role.TOWNSHIP_OFFICIAL, "永陵镇"),
    "yingemen": ("英额门镇 佟辉", Role.TOWNSHIP_OFFICIAL, "英额门镇"),
    "qianjin": ("千金乡 陈静", Role.TOWNSHIP_OFFICIAL, "千金乡"),
    "mentor": ("新宾县领导 富国强", Role.MENTOR, "新宾满族自治县"),
}


def create_demo_users(regions_by_name: dict) -> dict[str, User]:
    """The demo users, each in its jurisdiction; `admin` is also a Django superuser."""
    users = {}
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for username, (name, role, region_name) in DEMO_USERS.items():
        user = User(
            username=username,
            name=name,
            role=role,
            jurisdiction=regions_by_name[region_name] if region_name else None,
            is_superuser=role == Role.ADMINISTRATOR,
            is_staff=role == Role.ADMINISTRATOR,
            password=password,
        )
        users[username] = user
    User.objects.bulk_create(users.values())
    return users


def create_staff_users(townships, counties, demo_users: dict) -> list[User]:
    """One township official per township and one reviewer per county that has no demo user, so that
    every step taken in the demo was taken by someone of the right role and place. Same password."""
    covered = {user.jurisdiction_id for user in demo_users.values()}
    password = next(iter(demo_users.values())).password
    users = [
        User(
            username=f"t{r.code[:9]}",
            name=f"{r.name}工作人员",
            role=Role.TOWNSHIP_OFFICIAL,
            jurisdiction=r,
            password=password,
        )
        for r in townships
        if r.code not in covered
    ] + [
        User(
            username=f"c{r.code[:6]}",
            name=f"{r.name}审核人员",
            role=Role.COUNTY_REVIEWER,
            jurisdiction=r,
            password=password,
        )
        for r in counties
        if r.code not in covered
    ]
    User.objects.bulk_create(users)
    return list(demo_users.values()) + users


def create_province_users(province, villages, demo_users: dict) -> list[User]:
    """At province scale: `province` (the provincial organisation department, who sees all 14
    cities) and the staff of the other cities' townships and counties. Same password."""
    townships = Region.objects.filter(code__in={v.region.parent_id for v in villages})
    counties = Region.objects.filter(code__in={t.parent_id for t in townships})
    watcher = User(
        username="province",
        name="省委组织部 李明",
        role=Role.CITY_STAFF,
        jurisdiction=province,
        password=next(iter(demo_users.values())).password,
    )
    watcher.save()
    return create_staff_users(townships, counties, {"province": watcher})
