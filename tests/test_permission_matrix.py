"""Every URL pattern × every demo role, inside and outside the role's jurisdiction.

A new URL pattern without a row here fails `test_every_url_pattern_has_a_row`. Out of jurisdiction
reads as 404, an action without the right role as 403, anonymous visitors go to the login page (302).

Each response is read too (tests/matrix/content.py): every place has marker people ("标记甲后邓村"), and no
user reads a marker of a place outside their jurisdiction (a mentor: anyone but their mentee), nor a whole
ID number or phone unless their role may and the page is a person's own; pages without an object are read
searched for the markers as well. Each row is also sent a POST (and a PUT and a DELETE where refused):
refused as its GET is, and writing nothing (tests/matrix/writes.py). The rows drive all of it.
"""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.models import User
from candidates.models import (
    Candidate,
    Elimination,
    Holiday,
    ImportBatch,
    Objection,
    PersonalDataView,
    Promotion,
    PublicNotice,
    SelectionStandard,
)
from candidates.permissions import can_see_full_identity
from candidates.services import pinyin_initials
from candidates.validators import mask_id_number, mask_phone
from mentoring.models import Mentor, MentorAssignment
from reports import rollups
from tests import matrix
from tests.factories import (
    AgencyBranchFactory,
    CandidateFactory,
    CertificationFactory,
    CommitteeSeatFactory,
    MentorFactory,
    PairingFactory,
    ReserveFactory,
    StarRatingFactory,
    UserFactory,
    VillageFactory,
)
from tests.matrix.content import MARKER_QUERY, PEOPLE, Identities, Reader, marker, markers_seen_by, text_of
from tests.matrix.table import (
    COUNTIES,
    INSIDE,
    INSIDE_MENTEES,
    INSIDE_UNMENTORED,
    PLACE_NAMES,
    TOWNSHIPS,
    USERS,
    everyone,
    only,
    rights,
    scoped,
)
from tests.matrix.writes import differences, fingerprint, writes
from villages.models import Agency, AgencyBranch, CommitteeSeat, Pairing, Region, StarRating, Village

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
    "candidates:candidate_list": everyone(200),
    "candidates:candidate_create": only(TOWNSHIPS),
    "candidates:candidate_export": everyone(200),
    "candidates:candidate_detail": scoped(places=INSIDE_MENTEES),
    "candidates:candidate_edit": scoped(who=TOWNSHIPS, places=INSIDE_MENTEES),
    "candidates:candidate_nominate": scoped(who=TOWNSHIPS, places=INSIDE_UNMENTORED),
    "candidates:import_upload": only(TOWNSHIPS),
    "candidates:import_template": only(TOWNSHIPS),
    # A batch is its uploader's: 千金乡's upload, seen by nobody else.
    "candidates:import_preview": {
        u: 302 if u == "anonymous" else 200 if u == "qianjin" else 403 if u not in TOWNSHIPS else 404
        for u in USERS
    },
    "candidates:certification_detail": scoped(places=INSIDE_MENTEES),
    "candidates:notice_publish": {user: 302 if user == "anonymous" else 405 for user in USERS},  # POST only
    "candidates:objection_record": scoped(who=TOWNSHIPS | COUNTIES, places=INSIDE_UNMENTORED),
    "candidates:objection_rule": scoped(who=COUNTIES, places=INSIDE_UNMENTORED),
    "candidates:candidate_party": scoped(who=TOWNSHIPS | COUNTIES, places=INSIDE_MENTEES),
    "candidates:promotion_propose": scoped(who=TOWNSHIPS | COUNTIES, places=INSIDE_UNMENTORED),
    "candidates:promotion_detail": scoped(places=INSIDE_UNMENTORED),
    "candidates:elimination_propose": scoped(who=TOWNSHIPS | {"mentor"}, places=INSIDE_MENTEES),
    "candidates:elimination_detail": scoped(places=INSIDE_UNMENTORED),
    "candidates:elimination_list": everyone(200),
    "villages:reserve_shortfall": everyone(200),
    "villages:reserve_detail": scoped(places=INSIDE_UNMENTORED),  # names a person: mentees only
    "villages:seat_create": scoped(who=TOWNSHIPS | COUNTIES),
    "villages:seat_end": scoped(who=TOWNSHIPS | COUNTIES, places=INSIDE_UNMENTORED),  # names a person
    "villages:reserve_designate": scoped(who=TOWNSHIPS | COUNTIES),
    "reports:dynamic_management": everyone(200),
    # A region's figures: not for mentors, who read their mentees only (other regions: test_summary.py).
    "reports:summary": {u: 302 if u == "anonymous" else 403 if u == "mentor" else 200 for u in USERS},
    "notices:notice_list": {user: 200 for user in USERS},  # public
    "notices:objection_submit": lambda user, place: 200,  # public, while the notice runs
}

ARGS = {
    "villages:region_detail": lambda objects: {"code": objects["village"].pk},
    "candidates:candidate_detail": lambda objects: {"pk": objects["candidate"].pk},
    "candidates:candidate_edit": lambda objects: {"pk": objects["candidate"].pk},
    "candidates:candidate_nominate": lambda objects: {"pk": objects["prospect"].pk},
    "candidates:import_preview": lambda objects: {"pk": objects["batch"].pk},
    "candidates:certification_detail": lambda objects: {"pk": objects["candidates.certification"].pk},
    "candidates:notice_publish": lambda objects: {"pk": objects["open_certification"].pk},
    "candidates:objection_record": lambda objects: {"pk": objects["open_certification"].pk},
    "candidates:objection_rule": lambda objects: {"pk": objects["candidates.objection"].pk},
    "notices:objection_submit": lambda objects: {"pk": objects["candidates.publicnotice"].pk},
    "candidates:candidate_party": lambda objects: {"pk": objects["candidate"].pk},
    "candidates:promotion_propose": lambda objects: {"pk": objects["promotable"].pk},
    "candidates:promotion_detail": lambda objects: {"pk": objects["candidates.promotion"].pk},
    "candidates:elimination_propose": lambda objects: {"pk": objects["candidate"].pk},
    "candidates:elimination_detail": lambda objects: {"pk": objects["candidates.elimination"].pk},
    "villages:reserve_detail": lambda objects: {"pk": objects["villages.reserve"].pk},
    "villages:seat_create": lambda objects: {"code": objects["village"].pk},
    "villages:seat_end": lambda objects: {"pk": objects["villages.committeeseat"].pk},
    "villages:reserve_designate": lambda objects: {"code": objects["village"].pk},
}


ADMIN = {
    "accounts.user": rights(admin="vacd"),
    "villages.region": rights("v", "v", "v"),
    "villages.village": rights("vc", "vc", "v"),
    "villages.starrating": rights("v", "vac", "v"),
    "villages.committeeseat": rights("vac", "vac", "v"),
    "villages.reserve": rights("v", "v", "v", admin="v"),
    "villages.agency": rights("", "", "vac"),
    "villages.agencybranch": rights("", "", "vac"),
    "villages.pairing": rights("v", "v", "vac"),
    "candidates.candidate": rights("vc", "v", "v"),
    "candidates.certification": rights("v", "v", "v", admin="v"),
    "candidates.publicnotice": rights("v", "v", "v", admin="v"),
    "candidates.objection": rights("v", "v", "v", admin="v"),
    "candidates.promotion": rights("v", "v", "v", admin="v"),
    "candidates.elimination": rights("v", "v", "v", admin="v"),
    "candidates.selectionstandard": rights("v", "v", "vac"),
    "candidates.holiday": rights("v", "v", "v", admin="vacd"),
    "candidates.personaldataview": rights("", "v", "v", admin="v"),
    "candidates.historicalcandidate": rights("v", "v", "v", admin="v"),
    "mentoring.mentor": rights("v", "vac", "v"),
    "mentoring.mentorassignment": rights("v", "v", "v", admin="v"),
}
# Agencies belong to the city: inside for city staff whenever the village is in Fushun; townships and
# counties do not see them. Standards and holidays are the whole programme's: inside for everyone.
CITY_MODELS = {"villages.agency", "villages.agencybranch"}
PROGRAMME_MODELS = {"candidates.selectionstandard", "candidates.holiday"}
# Logs have no history of their own.
VIEWS_OF = {
    model: ("changelist", "add", "change", "history", "delete")
    for model in ("candidates.historicalcandidate", "candidates.personaldataview")
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


# The mentoring app's features bring their own rows (tests/matrix/).
for _feature in matrix.FEATURES:
    PORTAL |= _feature.PORTAL
    ARGS |= _feature.ARGS
    ADMIN |= _feature.ADMIN
    PROGRAMME_MODELS |= _feature.PROGRAMME_MODELS


# Admin pages for administrators only: (view, whether administrators may use it).
ADMINISTRATORS_ONLY = {
    "accounts.failedlogin": {
        "changelist": True,
        "add": False,
        "change": True,
        "history": True,
        "delete": True,
    },
}


def _admin_pattern_names():
    for model in ADMIN:
        app, name = model.split(".")
        for view in VIEWS_OF.get(model, ADMIN_VIEWS):
            yield f"admin:{app}_{name}_{view}"
    for model, views in ADMINISTRATORS_ONLY.items():
        app, name = model.split(".")
        for view in views:
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


@pytest.fixture(scope="module")
def _matrix_places(module_transaction, django_db_blocker):
    """Made once for the module (its tests only read them; what a test writes rolls back after it), with
    the rollups recounted once at the end rather than after each write."""
    with django_db_blocker.unblock(), rollups.batch():
        return _make_places()


@pytest.fixture
def places(db, _matrix_places):
    """One village per place, with one record of every kind, and a change so each has a history row."""
    return _matrix_places


def _make_places():
    villages = {
        "后邓村": Village.objects.get(region__name="后邓村"),
        "那家村": Village.objects.get(region__name="那家村"),
        "椴子沟村": Village.objects.get(region__name="椴子沟村"),
        "本溪": VillageFactory(),
    }
    benxi = villages["本溪"]
    benxi_mentor = MentorFactory()
    holiday = Holiday.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    batch = ImportBatch.objects.create(
        uploaded_by=User.objects.get(username="qianjin"), filename="a.xlsx", content=b"PK"
    )
    StarRatingFactory(village=benxi)
    CommitteeSeatFactory(village=benxi)
    PairingFactory(village=benxi, branch=AgencyBranchFactory())
    objects = {}
    for place, village in villages.items():
        found = {
            "village": village,
            "villages.region": village.region,
            "villages.village": village,
            "villages.starrating": StarRating.objects.filter(village=village).first(),
            "villages.committeeseat": CommitteeSeat.objects.filter(village=village).first(),
            "villages.reserve": ReserveFactory(village=village),
            "villages.pairing": Pairing.objects.filter(village=village).first(),
        }
        branch = found["villages.pairing"].branch
        found["villages.agencybranch"] = branch
        found["villages.agency"] = branch.agency
        found |= _people(place, village, benxi_mentor)
        _plant_markers(place, found)
        found["candidates.selectionstandard"] = SelectionStandard.objects.get(number=1)
        found["candidates.holiday"] = holiday
        for feature in matrix.FEATURES:
            found |= feature.objects(place, village, found)
        for obj in found.values():
            if hasattr(obj, "history"):
                obj.save()  # leaves a history row for the simple_history page
        found["candidates.historicalcandidate"] = found["candidate"].history.latest("history_date")
        found["batch"] = batch
        objects[place] = found
    return objects


SHOWCASE = {"后邓村": "王大勇", "那家村": "杨德友", "椴子沟村": "季志英"}


def _people(place, village, benxi_mentor):
    """A candidate (a mentee of the demo mentor in 那家村), a prospect, and a certification at step 6
    with its notice running and an objection open."""
    if place in SHOWCASE:
        candidate = Candidate.objects.get(name=SHOWCASE[place])
    else:
        candidate = CandidateFactory(village=village, active=True)
        CertificationFactory(candidate=candidate, state="filed", step=7)
        MentorAssignment.objects.create(candidate=candidate, mentor=benxi_mentor)
    county = User.objects.filter(
        role="county_reviewer", jurisdiction__code=village.region_id[:6] + "000000"
    ).first()
    county = county or UserFactory(county_reviewer=True)
    open_certification = CertificationFactory(step=6, candidate__village=village)
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        certification=open_certification,
        start_date=today,
        end_date=today + datetime.timedelta(days=6),
        working_days=5,
        published_by=county,
    )
    promotable = CandidateFactory(village=village, status="active", stage="party_member")
    return {
        "candidate": candidate,
        "promotable": promotable,
        "candidates.promotion": Promotion.objects.create(
            candidate=promotable,
            from_stage="party_member",
            to_stage="member_wealth_creator",
            evidence="领办合作社",
            cooperative="合作社",
            proposed_by=county,
        ),
        "candidates.elimination": Elimination.objects.create(
            candidate=promotable, reason="moved_away", details="迁往外地", proposed_by=county
        ),
        "prospect": CandidateFactory(village=village),
        "open_certification": open_certification,
        "candidates.candidate": candidate,
        "candidates.certification": candidate.certifications.first(),
        "candidates.publicnotice": notice,
        "candidates.objection": Objection.objects.create(notice=notice, content="异议内容"),
        "candidates.personaldataview": PersonalDataView.objects.create(user=county, candidate=candidate),
        # A leader of the village's own township: the mentor list is scoped by the region mentors serve.
        "mentoring.mentor": Mentor.objects.filter(region=village.region.parent).first()
        or MentorFactory(region=village.region.parent),
        "mentoring.mentorassignment": candidate.mentor_assignments.get(),
    }


def _plant_markers(place, found):
    """The place's people get names found nowhere else ("标记甲后邓村"): what the matrix reads for."""
    people = {
        "candidate": found["candidate"],
        "promotable": found["promotable"],
        "prospect": found["prospect"],
        "noticed": found["open_certification"].candidate,
        "reserve": found["villages.reserve"].candidate,
    }
    assert len({person.pk for person in people.values()}) == len(PEOPLE)
    for key, person in people.items():
        person.name = marker(place, key)
        person.name_initials = pinyin_initials(person.name)
        person.save(update_fields=["name", "name_initials"])


@pytest.fixture(scope="module")
def _identities(_matrix_places, django_db_blocker):
    with django_db_blocker.unblock():
        return Identities()


@pytest.fixture
def reader(places, _identities):
    """Reads each response as its user does (tests/matrix/content.py)."""
    users = {user.username: user for user in User.objects.filter(username__in=USERS)}
    full = {user: user in users and can_see_full_identity(users[user]) for user in USERS}
    return Reader(_identities, places, full_identity=full)


def _client(client_of, user):
    return client_of(None if user == "anonymous" else user)


def _mismatches(cases, reader, user=None):
    """Run (label, client, url, expected) cases and list those whose status differs, and what the response
    shows that its user must not read (`reader`). A case may name its user as a fifth item."""
    found = []
    for label, client, url, expected, *who in cases:
        response = client.get(url)
        if response.status_code != expected:
            found.append(f"{label} {url}: {response.status_code}, expected {expected}")
        view = resolve(url.split("?")[0]).view_name
        for problem in reader.problems(who[0] if who else user, view, text_of(response), url=url):
            found.append(f"{label} {url}: {problem}")
    return found


SEARCH = f"?q={MARKER_QUERY}"


@pytest.mark.parametrize("user", USERS)
def test_portal_pages(user, places, client_of, reader):
    """Every page's status, and what it shows: no marker of a place outside (tests/matrix/content.py), and
    whole numbers only where the role may read them. Every page without an object that the user may open
    is read a second time searched for the markers (a list without a query may page them away)."""
    client = _client(client_of, user)
    cases = []
    for name, row in PORTAL.items():
        if callable(row):
            for place in PLACE_NAMES:
                url = reverse(name, kwargs=ARGS[name](places[place]))
                cases.append((f"{name} {place}", client, url, row(user, place)))
        else:
            kwargs = ARGS[name](places["本溪"]) if name in ARGS else {}
            url = reverse(name, kwargs=kwargs)
            cases.append((name, client, url, row[user]))
            if row[user] == 200:
                cases.append((f"{name} searched", client, url + SEARCH, 200))
    assert not _mismatches(cases, reader, user)
    # Each marker the user may read shows somewhere, and the searched list of people shows them all: the
    # checks above are not passing because the pages show nobody.
    assert markers_seen_by(user) <= reader.seen.get(user, set())
    if user != "anonymous":
        for name in ("candidates:candidate_list", "candidates:candidate_export"):
            assert reader.shown_at[user, reverse(name) + SEARCH] == markers_seen_by(user), name


@pytest.mark.parametrize("user", ["qianjin", "city"])
def test_whole_numbers_show_on_the_persons_page_only(user, places, client_of, reader):
    """A township official reads a person's whole ID number and phone on their page and its registration
    form, masked in the list and the export; city staff, who may not, read them masked everywhere. (The
    reader above finds the numbers in HTML, PDF and Excel alike: this shows it does.)"""
    person = places["后邓村"]["candidate"]
    client = client_of(user)
    pages = {
        "page": reverse("candidates:candidate_detail", kwargs={"pk": person.pk}),
        "form": reverse("candidates:candidate_form_pdf", kwargs={"pk": person.pk}),
        "list": reverse("candidates:candidate_list") + SEARCH,
        "export": reverse("candidates:candidate_export") + SEARCH,
    }
    for label, url in pages.items():
        text = text_of(client.get(url))
        whole = reader.full_identity[user] and label in ("page", "form")
        assert person.name in text, label
        assert (person.id_number in text, person.phone in text) == (whole, whole), label
        masked = (mask_id_number(person.id_number) in text, mask_phone(person.phone) in text)
        assert masked == (not whole, not whole), label


def _admin_expectation(user, model, view, place):
    if user in ("anonymous", "mentor"):
        return 302
    rights = ADMIN[model][user]
    inside = place in INSIDE[user]
    if model in CITY_MODELS:
        inside = user == "admin" or (user == "city" and place != "本溪")
    if model in PROGRAMME_MODELS:
        inside = True
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
def test_admin_pages(model, places, client_of, reader):
    """Every admin page's status and what it shows (as test_portal_pages); changelists searched too."""
    cases = []
    for user in USERS:
        client = _client(client_of, user)
        for view in VIEWS_OF.get(model, ADMIN_VIEWS):
            if view in ("changelist", "add"):
                expected = _admin_expectation(user, model, view, None)
                url = _admin_url(model, view)
                cases.append((f"{user} {view}", client, url, expected, user))
                if view == "changelist" and expected == 200:
                    cases.append((f"{user} {view} searched", client, url + SEARCH, 200, user))
                continue
            for place in PLACE_NAMES:
                url = _admin_url(model, view, places[place][model])
                expected = _admin_expectation(user, model, view, place)
                cases.append((f"{user} {view} {place}", client, url, expected, user))
    assert not _mismatches(cases, reader)
    if model == "candidates.candidate":
        for user in USERS:
            if user not in ("anonymous", "mentor"):
                shown = reader.shown_at[user, _admin_url(model, "changelist") + SEARCH]
                assert shown == markers_seen_by(user), user


@pytest.mark.parametrize("user", USERS)
def test_user_admin_is_for_administrators_only(user, client_of, demo_user):
    client = _client(client_of, user)
    target = demo_user("yushu")
    expected_ok = 200 if user == "admin" else 302 if user in ("anonymous", "mentor") else 403
    target.save()  # a version for the history page
    version = target.history.latest("history_date").history_id
    for name, args in (
        ("accounts_user_changelist", []),
        ("accounts_user_add", []),
        ("accounts_user_change", [target.pk]),
        ("accounts_user_history", [target.pk]),
        ("accounts_user_simple_history", [target.pk, version]),
        ("accounts_user_delete", [target.pk]),
        ("auth_user_password_change", [target.pk]),
    ):
        response = client.get(reverse(f"admin:{name}", args=args))
        assert response.status_code == expected_ok, f"{user} {name}"


@pytest.mark.parametrize("user", USERS)
def test_administrator_only_admin_pages(user, client_of):
    from accounts.models import FailedLogin

    attempt = FailedLogin.objects.create(
        username="qianjin", ip_address="10.0.0.9", user_agent="x", failures_since_start=5, http_accept="*/*"
    )
    client = _client(client_of, user)
    for model, views in ADMINISTRATORS_ONLY.items():
        for view, administrators_may in views.items():
            url = _admin_url(model, view, None if view in ("changelist", "add") else attempt)
            if user in ("anonymous", "mentor"):
                expected = 302
            else:
                expected = 200 if user == "admin" and administrators_may else 403
            assert client.get(url).status_code == expected, f"{user} {view}"


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
    apps = {"villages": 200, "candidates": 200, "mentoring": 200, "accounts": 200 if user == "admin" else 404}
    for app, expected in apps.items():
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


# Unsafe methods ------------------------------------------------------------------------------------
#
# Each row above is also sent a POST, and where refused a PUT and a DELETE: a user the row refuses (302 to
# log in, 403, 404) is refused these too, or told the method is not allowed (405), and nothing is written.
# Users the row lets in send an empty form: the page may say what is missing, never a 500; what it writes
# rolls back after each request. URLs that take only a POST (405 to a GET above) say who may send one here.

POST = {
    "accounts:logout": {u: 302 if u == "anonymous" else 200 for u in USERS},
    "set_language": {u: 200 for u in USERS},
    "candidates:notice_publish": scoped(who=COUNTIES, places=INSIDE_UNMENTORED),
}
for _feature in matrix.FEATURES:
    POST |= getattr(_feature, "POST", {})

LOGIN = reverse(settings.LOGIN_URL)


def _allowed(user, expected) -> bool:
    return expected == 200 or (expected == 302 and user != "anonymous")


def _refusal(user, response, expected) -> str | None:
    """Why `response` is not the refusal the row expects (None when it is)."""
    status = response.status_code
    if expected == 302:
        location = response.get("Location", "")
        to_login = status == 302 and location.startswith(_login_of(response))
        return None if to_login or status == 405 else f"{status} {location}"
    if expected == 405:  # a page that is never a form: refused, or read as by a GET (and nothing written)
        return None if status in (405, 200) else f"{status}, expected 405"
    return None if status in (expected, 405) else f"{status}, expected {expected}"


def _login_of(response) -> str:
    return "/admin/login/" if response.wsgi_request.path.startswith("/admin/") else LOGIN


def _send(client, method, url, data):
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url, data="", content_type="application/x-www-form-urlencoded")


def _unsafe_mismatches(cases, user, client, methods=("post", "put", "delete")):
    """Run (label, url, expected, data) cases as `user` with `client`; list the refusals that were not, the
    writes they made, and the 500s of the users let in. Those send their POST searched for the markers:
    a URL that starts work on a list (the zip of registration forms) starts it on a handful of people."""
    found = []
    for label, url, expected, data in cases:
        if _allowed(user, expected):
            with transaction.atomic():
                status = client.post(url + SEARCH, data).status_code
                if user != "anonymous" and "_auth_user_id" not in client.session:
                    client.force_login(User.objects.get(username=user))  # it logged out
                transaction.set_rollback(True)
            if status >= 500:
                found.append(f"{label} POST {url}: {status}")
            continue
        for method in methods:
            with writes() as written:
                response = _send(client, method, url, data)
            if why := _refusal(user, response, expected):
                found.append(f"{label} {method.upper()} {url}: {why}")
            if written():
                found.append(f"{label} {method.upper()} {url} wrote to {written()}")
    return found


@pytest.mark.parametrize("user", USERS)
def test_portal_writes(user, places, client_of):
    """Every portal URL × place, sent a POST, PUT and DELETE by the user: refused as its row says and writing
    nothing, or (users let in) answered without a 500."""
    missing = [name for name, row in PORTAL.items() if name not in POST and _rows_get_405(row)]
    assert not missing, f"URLs that take only a POST need a row in POST: {missing}"
    cases = []
    for name, row in PORTAL.items():
        row = POST.get(name, row)
        if callable(row):
            for place in PLACE_NAMES:
                url = reverse(name, kwargs=ARGS[name](places[place]))
                cases.append((f"{name} {place}", url, row(user, place), {}))
        else:
            kwargs = ARGS[name](places["本溪"]) if name in ARGS else {}
            cases.append((name, reverse(name, kwargs=kwargs), row[user], {}))
    client = _client(client_of, user)
    before = fingerprint()
    assert not _unsafe_mismatches(cases, user, client)
    assert not differences(before, fingerprint())


def _rows_get_405(row) -> bool:
    statuses = [row(u, p) for u in USERS for p in PLACE_NAMES] if callable(row) else list(row.values())
    return 405 in statuses


def _admin_write_expectation(user, model, view, place):
    """As _admin_expectation, for sending the page's form: adding needs "a", changing "c", deleting "d";
    a history page is never a form (405 to whoever may read it)."""
    if user in ("anonymous", "mentor"):
        return 302
    if view == "add":
        return 200 if "a" in ADMIN[model][user] else 403
    needed = {"change": "c", "delete": "d"}.get(view)
    read = _admin_expectation(user, model, view if needed is None else "change", place)
    if read != 200 or needed is None:
        return 405 if read == 200 else read
    return 200 if needed in ADMIN[model][user] else 403


@pytest.mark.parametrize("model", [m for m in ADMIN if m != "accounts.user"])
def test_admin_writes(model, places, client_of):
    """Every admin form of the model (add, change, delete, the history pages), and the changelist's
    delete action and list editing, sent by every user: refused and writing nothing wherever the table
    gives no right, or answered without a 500."""
    app, model_name = model.split(".")
    changelist = reverse(f"admin:{app}_{model_name}_changelist")
    clients = {user: _client(client_of, user) for user in USERS}
    before = fingerprint()
    problems = []
    for user, client in clients.items():
        cases = []
        for view in VIEWS_OF.get(model, ADMIN_VIEWS):
            if view == "changelist":
                continue
            if view == "add":
                expected = _admin_write_expectation(user, model, view, None)
                cases.append((f"{user} add", _admin_url(model, "add"), expected, {}))
                continue
            for place in PLACE_NAMES:
                obj = places[place][model]
                expected = _admin_write_expectation(user, model, view, place)
                data = {"post": "yes"} if view == "delete" else {}
                cases.append((f"{user} {view} {place}", _admin_url(model, view, obj), expected, data))
        problems += _unsafe_mismatches(cases, user, client, methods=("post",))
        problems += _changelist_writes(user, client, model, changelist, places)
    assert not problems
    assert not differences(before, fingerprint())


def _changelist_writes(user, client, model, changelist, places):
    """The changelist's "delete selected" on the records of all places, and its list editing where it has
    any: by a user without "d" (or "c"), nothing is deleted (or changed), whatever the page answers."""
    rights = "" if user in ("anonymous", "mentor") else ADMIN[model][user]
    model_admin = admin_site._registry[apps.get_model(model)]
    pks = [places[place][model].pk for place in PLACE_NAMES]
    sent = {"d": {"action": "delete_selected", "_selected_action": pks, "post": "yes"}}
    if model_admin.list_editable:
        forms = {f"form-{n}-id": pk for n, pk in enumerate(pks)}
        sent["c"] = {"_save": "1", "form-TOTAL_FORMS": len(pks), "form-INITIAL_FORMS": len(pks), **forms}
    found = []
    for needed, data in sent.items():
        if needed in rights:
            continue
        with writes() as written:
            status = client.post(changelist, data).status_code
        if status >= 500 or written():
            found.append(f"{user} changelist {data.get('action', '_save')}: {status} {written()}")
    return found


@pytest.mark.parametrize("user", [u for u in USERS if u != "admin"])
def test_only_administrators_write_users(user, client_of, demo_user):
    """Adding a user, changing one (their role, their jurisdiction), deleting one or setting their password:
    sent by anyone but an administrator, refused, and nothing written."""
    target = demo_user("yushu")
    expected = 302 if user in ("anonymous", "mentor") else 403
    role_change = {"username": "yushu", "role": "administrator", "is_active": "on"}
    password = {"password1": "Sanxiang-2026-x", "password2": "Sanxiang-2026-x"}
    cases = [
        ("add", reverse("admin:accounts_user_add"), expected, {"username": "intruder", **password}),
        ("change", reverse("admin:accounts_user_change", args=[target.pk]), expected, role_change),
        ("delete", reverse("admin:accounts_user_delete", args=[target.pk]), expected, {"post": "yes"}),
        ("password", reverse("admin:auth_user_password_change", args=[target.pk]), expected, password),
    ]
    client = _client(client_of, user)
    before = fingerprint()
    assert not _unsafe_mismatches(cases, user, client)
    assert not differences(before, fingerprint())
