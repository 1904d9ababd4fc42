"""Every URL pattern × every demo role, inside and outside the role's jurisdiction.

A new URL pattern without a row here fails `test_every_url_pattern_has_a_row`. Out of jurisdiction
reads as 404, an action without the right role as 403, anonymous visitors go to the login page (302).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    AgencyBranchFactory,
    CommitteeSeatFactory,
    PairingFactory,
    ReserveFactory,
    StarRatingFactory,
    VillageFactory,
)
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, Reserve, StarRating, Village

# The users who walk the matrix: one per role, plus a second township and county to show the borders.
USERS = ["anonymous", "qianjin", "yongling", "xinbin", "qingyuan", "city", "mentor", "admin"]

# Places an object can be in: 后邓村 (千金乡, 新抚区), 那家村 (永陵镇, 新宾), 椴子沟村 (英额门镇, 清原),
# and 本溪, a village of 本溪市 that the test creates outside the demo's Fushun.
PLACE_NAMES = ("后邓村", "那家村", "椴子沟村", "本溪")

# Which places each user's jurisdiction contains.
INSIDE = {
    "anonymous": set(),
    "qianjin": {"后邓村"},
    "yongling": {"那家村"},
    "xinbin": {"那家村"},
    "qingyuan": {"椴子沟村"},
    "city": {"后邓村", "那家村", "椴子沟村"},
    "mentor": {"那家村"},
    "admin": {"后邓村", "那家村", "椴子沟村", "本溪"},
}


def everyone(status):
    """The same status for every logged-in user; anonymous visitors are sent to log in."""
    return {user: (302 if user == "anonymous" else status) for user in USERS}


def scoped(inside=200, outside=404, anonymous=302):
    """`inside` where the user's jurisdiction holds the place, `outside` where it does not."""
    return lambda user, place: (
        anonymous if user == "anonymous" else (inside if place in INSIDE[user] else outside)
    )


# Portal URLs. A row is either {user: status} for URLs without an object, or a function
# (user, place) -> status for URLs about an object in a place; `ARGS` says how to fill the URL.
PORTAL = {
    "reports:home": everyone(200),
    "accounts:login": {user: (200 if user == "anonymous" else 302) for user in USERS},
    "accounts:logout": {user: 405 for user in USERS},  # GET; logging out is a POST
    "set_language": {user: 302 for user in USERS},
    "healthz": {user: 200 for user in USERS},
    "villages:village_list": everyone(200),
    "villages:region_detail": scoped(),
}

ARGS = {
    "villages:region_detail": lambda objects: {"code": objects["village"].pk},
}

# Admin: what each role may do with each model ("v"iew, "a"dd, "c"hange, "d"elete). Mentors and
# anonymous visitors never reach the admin (302 to its login).
ADMIN = {
    "accounts.user": {
        "qianjin": "",
        "yongling": "",
        "xinbin": "",
        "qingyuan": "",
        "city": "",
        "admin": "vacd",
    },
    "villages.region": {
        "qianjin": "v",
        "yongling": "v",
        "xinbin": "v",
        "qingyuan": "v",
        "city": "v",
        "admin": "vacd",
    },
    "villages.village": {
        "qianjin": "vc",
        "yongling": "vc",
        "xinbin": "vc",
        "qingyuan": "vc",
        "city": "v",
        "admin": "vacd",
    },
    "villages.starrating": {
        "qianjin": "v",
        "yongling": "v",
        "xinbin": "vac",
        "qingyuan": "vac",
        "city": "v",
        "admin": "vacd",
    },
    "villages.committeeseat": {
        "qianjin": "vac",
        "yongling": "vac",
        "xinbin": "vac",
        "qingyuan": "vac",
        "city": "v",
        "admin": "vacd",
    },
    "villages.reserve": {
        "qianjin": "v",
        "yongling": "v",
        "xinbin": "v",
        "qingyuan": "v",
        "city": "v",
        "admin": "vacd",
    },
    # Agencies belong to the city: townships and counties do not see them.
    "villages.agency": {
        "qianjin": "",
        "yongling": "",
        "xinbin": "",
        "qingyuan": "",
        "city": "vac",
        "admin": "vacd",
    },
    "villages.agencybranch": {
        "qianjin": "",
        "yongling": "",
        "xinbin": "",
        "qingyuan": "",
        "city": "vac",
        "admin": "vacd",
    },
    "villages.pairing": {
        "qianjin": "v",
        "yongling": "v",
        "xinbin": "v",
        "qingyuan": "v",
        "city": "vac",
        "admin": "vacd",
    },
}

# Admin pages that are not about one model.
ADMIN_SITE = {
    "admin:index": {user: (302 if user in ("anonymous", "mentor") else 200) for user in USERS},
    "admin:login": {user: (200 if user in ("anonymous", "mentor") else 302) for user in USERS},
    "admin:logout": {user: (302 if user in ("anonymous", "mentor") else 405) for user in USERS},
    "admin:password_change": {user: (302 if user in ("anonymous", "mentor") else 200) for user in USERS},
    "admin:password_change_done": {user: (302 if user in ("anonymous", "mentor") else 200) for user in USERS},
    "admin:jsi18n": {user: (302 if user in ("anonymous", "mentor") else 200) for user in USERS},
    "admin:autocomplete": {user: (302 if user in ("anonymous", "mentor") else 200) for user in USERS},
    "admin:app_list": None,  # per app, below
    "admin:auth_user_password_change": None,  # setting another user's password: administrators only, below
}

# Unnamed patterns, each with what it does and where its target is tested.
UNNAMED = {
    "admin/<app>/<model>/<path:object_id>/": "redirects to the change page (admin:*_change, tested)",
    "admin/(?P<url>.*)$": "admin's catch-all: 404 or a redirect to add a slash",
}

ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete", "simple_history")


def _walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern)


def _admin_pattern_names():
    for model in ADMIN:
        app, name = model.split(".")
        for view in ADMIN_VIEWS:
            yield f"admin:{app}_{name}_{view}"


def test_every_url_pattern_has_a_row():
    known = set(PORTAL) | set(ADMIN_SITE) | set(_admin_pattern_names())
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if name is None:
            generic = (
                "admin/<app>/<model>/<path:object_id>/" if route.endswith("<path:object_id>/") else route
            )
            if generic not in UNNAMED:
                missing.append(route)
        elif name not in known:
            missing.append(name)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"


@pytest.fixture
def places(db):
    """One village per place, with one record of every kind, and a change so each has a history row."""
    villages = {
        "后邓村": Village.objects.get(region__name="后邓村"),
        "那家村": Village.objects.get(region__name="那家村"),
        "椴子沟村": Village.objects.get(region__name="椴子沟村"),
        "本溪": VillageFactory(),
    }
    benxi = villages["本溪"]
    StarRatingFactory(village=benxi)
    CommitteeSeatFactory(village=benxi)
    PairingFactory(village=benxi, branch=AgencyBranchFactory())
    objects = {}
    for place, village in villages.items():
        ReserveFactory(village=village)
        found = {
            "village": village,
            "villages.region": village.region,
            "villages.village": village,
            "villages.starrating": StarRating.objects.filter(village=village).first(),
            "villages.committeeseat": CommitteeSeat.objects.filter(village=village).first(),
            "villages.reserve": Reserve.objects.filter(village=village).first(),
            "villages.pairing": Pairing.objects.filter(village=village).first(),
        }
        branch = found["villages.pairing"].branch
        found["villages.agencybranch"] = branch
        found["villages.agency"] = branch.agency
        for obj in found.values():
            obj.save()  # leaves a history row for the simple_history page
        objects[place] = found
    return objects


def _client(client_of, user):
    return client_of(None if user == "anonymous" else user)


def _mismatches(cases):
    """Run (label, client, url, expected) cases and list those whose status differs."""
    found = []
    for label, client, url, expected in cases:
        status = client.get(url).status_code
        if status != expected:
            found.append(f"{label} {url}: {status}, expected {expected}")
    return found


@pytest.mark.parametrize("user", USERS)
def test_portal_pages(user, places, client_of):
    client = _client(client_of, user)
    cases = []
    for name, row in PORTAL.items():
        if callable(row):
            for place in PLACE_NAMES:
                url = reverse(name, kwargs=ARGS[name](places[place]))
                cases.append((f"{name} {place}", client, url, row(user, place)))
        else:
            cases.append((name, client, reverse(name), row[user]))
    assert not _mismatches(cases)


def _admin_expectation(user, model, view, place):
    if user in ("anonymous", "mentor"):
        return 302
    rights = ADMIN[model][user]
    inside = place in INSIDE[user]
    if model in ("villages.agency", "villages.agencybranch"):
        # Agencies are the city's: inside for city staff whenever the village is in Fushun.
        inside = user == "admin" or (user == "city" and place != "本溪")
    needed = {
        "changelist": "v",
        "add": "a",
        "change": "v",
        "history": "v",
        "simple_history": "v",
        "delete": "d",
    }
    if view in ("changelist", "add"):
        return 200 if needed[view] in rights else 403
    if not inside:
        return 404
    return 200 if needed[view] in rights else 403


def _admin_url(model, view, obj=None):
    app, model_name = model.split(".")
    name = f"admin:{app}_{model_name}_{view}"
    if obj is None:
        return reverse(name)
    if view == "simple_history":
        return reverse(name, args=[obj.pk, obj.history.latest("history_date").history_id])
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize("model", [m for m in ADMIN if m != "accounts.user"])
@pytest.mark.parametrize("user", USERS)
def test_admin_pages(user, model, places, client_of):
    client = _client(client_of, user)
    cases = []
    for view in ADMIN_VIEWS:
        if view in ("changelist", "add"):
            cases.append((view, client, _admin_url(model, view), _admin_expectation(user, model, view, None)))
            continue
        for place in PLACE_NAMES:
            url = _admin_url(model, view, places[place][model])
            cases.append((f"{view} {place}", client, url, _admin_expectation(user, model, view, place)))
    assert not _mismatches(cases)


@pytest.mark.parametrize("user", USERS)
def test_user_admin_is_for_administrators_only(user, client_of, demo_user):
    client = _client(client_of, user)
    target = demo_user("yushu")
    expected_ok = 200 if user == "admin" else 302 if user in ("anonymous", "mentor") else 403
    for name, args in (
        ("accounts_user_changelist", []),
        ("accounts_user_add", []),
        ("accounts_user_change", [target.pk]),
        ("accounts_user_history", [target.pk]),
        ("accounts_user_delete", [target.pk]),
        ("auth_user_password_change", [target.pk]),
    ):
        response = client.get(reverse(f"admin:{name}", args=args))
        assert response.status_code == expected_ok, f"{user} {name}"


@pytest.mark.parametrize("user", USERS)
def test_admin_site_pages(user, client_of):
    client = _client(client_of, user)
    for name, row in ADMIN_SITE.items():
        if row is None:
            continue
        query = ""
        if name == "admin:autocomplete":
            query = "?app_label=villages&model_name=committeeseat&field_name=village&term=村"
        response = client.get(reverse(name) + query)
        assert response.status_code == row[user], f"{user} {name}"


@pytest.mark.parametrize("user", USERS)
def test_admin_app_lists(user, client_of):
    client = _client(client_of, user)
    for app, expected in (("villages", 200), ("accounts", 200 if user == "admin" else 404)):
        response = client.get(reverse("admin:app_list", args=[app]))
        if user in ("anonymous", "mentor"):
            expected = 302
        assert response.status_code == expected, f"{user} {app}"


def test_the_matrix_objects_sit_where_the_table_says(places):
    """Guards the fixture: a wrong village here would make the whole matrix meaningless."""
    assert places["后邓村"]["village"].region.parent.name == "千金乡"
    assert places["那家村"]["village"].region.parent.name == "永陵镇"
    assert places["椴子沟村"]["village"].region.parent.name == "英额门镇"
    assert places["本溪"]["village"].region.code.startswith("2105")
    assert Region.objects.get(code="210400000000").name == "抚顺市"
    assert (
        not Agency.objects.filter(city__code="210500000000")
        .exclude(pk=places["本溪"]["villages.agency"].pk)
        .exists()
    )
    assert AgencyBranch.objects.filter(pk=places["本溪"]["villages.agencybranch"].pk).exists()
