"""Permission-matrix rows of mentors, visits and assessments (see tests/matrix/__init__.py)."""

from django.utils import timezone

from accounts.models import User
from mentoring.choices import grade_of
from mentoring.models import Assessment, MentoringVisit

USERS = ["anonymous", "qianjin", "yongling", "xinbin", "qingyuan", "city", "mentor", "admin"]
TOWNSHIPS, COUNTIES = {"qianjin", "yongling"}, {"xinbin", "qingyuan"}
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


def _logged_in(status):
    return {user: 302 if user == "anonymous" else status for user in USERS}


def _scoped(who=None):
    """200 inside the user's jurisdiction (403 when `who` is given and the user is not in it), 404
    outside, 302 for anonymous visitors; the candidate of 那家村 is the demo mentor's mentee."""

    def expect(user, place):
        if user == "anonymous":
            return 302
        if place not in INSIDE[user]:
            return 404
        return 200 if who is None or user in who else 403

    return expect


PORTAL = {
    "mentoring:home": _logged_in(200),
    "mentoring:mentor_export": {u: 302 if u == "anonymous" else 403 if u == "mentor" else 200 for u in USERS},
    "mentoring:mentor_detail": _scoped(who=TOWNSHIPS | COUNTIES | {"city", "admin"}),
    "mentoring:mentor_leave": {u: 302 if u == "anonymous" else 405 for u in USERS},  # POST only
    "mentoring:mentor_assign": _scoped(who=COUNTIES),
    "mentoring:visit_create": _scoped(who=TOWNSHIPS | {"mentor"}),
    "mentoring:assessment_create": _scoped(who={"mentor"}),
    "mentoring:visit_list": _logged_in(200),
    "mentoring:visit_export": _logged_in(200),
    "mentoring:assessment_list": _logged_in(200),
    "mentoring:assessment_export": _logged_in(200),
    "mentoring:assessment_detail": _scoped(),
}
ARGS = {
    "mentoring:mentor_detail": lambda objects: {"pk": objects["mentoring.mentor"].pk},
    "mentoring:mentor_leave": lambda objects: {"pk": objects["mentoring.mentor"].pk},
    "mentoring:mentor_assign": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:visit_create": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:assessment_create": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:assessment_detail": lambda objects: {"pk": objects["mentoring.assessment"].pk},
}


def rights(township="", county="", city="", admin="vacd"):
    return {
        "qianjin": township,
        "yongling": township,
        "xinbin": county,
        "qingyuan": county,
        "city": city,
        "admin": admin,
    }


ADMIN = {
    "mentoring.mentoringvisit": rights("v", "v", "v", admin="v"),
    "mentoring.assessment": rights("v", "v", "v", admin="v"),
}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    """A visit and a submitted assessment of the place's candidate, by their mentor."""
    candidate = found["candidate"]
    mentor = candidate.mentor_assignments.get(end_date__isnull=True).mentor
    recorder = User.objects.get(username="admin")
    visit = MentoringVisit.objects.create(
        candidate=candidate,
        mentor=mentor,
        date=timezone.localdate(),
        form="call",
        content="电话了解生产",
        recorded_by=recorder,
    )
    scores = {
        "political_quality": 18,
        "wealth_creation": 17,
        "leading_others": 16,
        "service": 17,
        "recognition": 16,
    }
    total = sum(scores.values())
    assessment = Assessment.objects.create(
        candidate=candidate,
        mentor=mentor,
        year=2020,
        quarter=1,
        total=total,
        grade=grade_of(total),
        submitted_by=recorder,
        **scores,
    )
    return {"mentoring.mentoringvisit": visit, "mentoring.assessment": assessment}
