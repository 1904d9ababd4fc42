"""Permission-matrix rows of mentors, visits and assessments (see tests/matrix/__init__.py)."""

from django.utils import timezone

from accounts.models import User
from mentoring.choices import grade_of
from mentoring.models import Assessment, MentoringVisit
from tests.matrix.table import COUNTIES, TOWNSHIPS, USERS, everyone, rights, scoped

PORTAL = {
    "mentoring:home": everyone(200),
    "mentoring:mentor_export": {u: 302 if u == "anonymous" else 403 if u == "mentor" else 200 for u in USERS},
    "mentoring:mentor_detail": scoped(who=TOWNSHIPS | COUNTIES | {"city", "admin"}),
    "mentoring:mentor_leave": {u: 302 if u == "anonymous" else 405 for u in USERS},  # POST only
    "mentoring:mentor_assign": scoped(who=COUNTIES),
    "mentoring:visit_create": scoped(who=TOWNSHIPS | {"mentor"}),
    "mentoring:assessment_create": scoped(who={"mentor"}),
    "mentoring:visit_list": everyone(200),
    "mentoring:visit_export": everyone(200),
    "mentoring:assessment_list": everyone(200),
    "mentoring:assessment_export": everyone(200),
    "mentoring:assessment_detail": scoped(),
}
# Who may send the POST-only URL (tests/test_permission_matrix.py, POST): the county, of its own mentors.
POST = {"mentoring:mentor_leave": scoped(who=COUNTIES)}
ARGS = {
    "mentoring:mentor_detail": lambda objects: {"pk": objects["mentoring.mentor"].pk},
    "mentoring:mentor_leave": lambda objects: {"pk": objects["mentoring.mentor"].pk},
    "mentoring:mentor_assign": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:visit_create": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:assessment_create": lambda objects: {"pk": objects["candidate"].pk},
    "mentoring:assessment_detail": lambda objects: {"pk": objects["mentoring.assessment"].pk},
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
