"""The matrix's users, places and the helpers its rows are written with (tests/test_permission_matrix.py
and the feature modules of tests/matrix/)."""

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


# Records about people: a mentor sees only the people they mentor. In 那家村 the matrix uses 杨德友,
# the demo mentor's mentee; certifications in progress have no mentor yet.
INSIDE_MENTEES = INSIDE
INSIDE_UNMENTORED = INSIDE | {"mentor": set()}

TOWNSHIPS, COUNTIES = {"qianjin", "yongling"}, {"xinbin", "qingyuan"}


def everyone(status):
    """The same status for every logged-in user; anonymous visitors are sent to log in."""
    return {user: (302 if user == "anonymous" else status) for user in USERS}


def only(*allowed, status=200):
    """`status` for the users allowed, 403 for the other logged-in users, 302 for anonymous visitors."""
    allowed = set().union(*allowed)
    return {user: 302 if user == "anonymous" else status if user in allowed else 403 for user in USERS}


def scoped(inside=200, outside=404, anonymous=302, *, who=None, places=INSIDE):
    """For a URL about a record in a place: `inside` where the user's jurisdiction holds the place
    (403 instead when `who` is given and the user is not in it), `outside` where it does not."""

    def expect(user, place):
        if user == "anonymous":
            return anonymous
        if place not in places[user]:
            return outside
        return inside if who is None or user in who else 403

    return expect


# Admin: what each role may do with each model ("v"iew, "a"dd, "c"hange, "d"elete). Mentors and
# anonymous visitors never reach the admin (302 to its login).
def rights(township="", county="", city="", admin="vac"):
    return {
        "qianjin": township,
        "yongling": township,
        "xinbin": county,
        "qingyuan": county,
        "city": city,
        "admin": admin,
    }
