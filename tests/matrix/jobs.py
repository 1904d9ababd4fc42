"""Permission-matrix rows of background jobs (see tests/matrix/__init__.py): a job is its owner's, like an
import batch; administrators see everyone's. Asking for one and starting one again are POSTs."""

from accounts.models import User
from jobs.choices import JobKind, JobState
from jobs.models import Job
from tests.matrix.table import COUNTIES, TOWNSHIPS, USERS, everyone, only

# 千金乡's finished export, seen by 千金乡 and the administrators only.
OWNER_ONLY = {u: 302 if u == "anonymous" else 200 if u in ("qianjin", "admin") else 404 for u in USERS}
POST_ONLY = {u: 302 if u == "anonymous" else 405 for u in USERS}

PORTAL = {
    "jobs:job_list": everyone(200),
    "jobs:job_detail": OWNER_ONLY,
    "jobs:job_status": OWNER_ONLY,
    "jobs:job_download": OWNER_ONLY,
    "jobs:job_retry": POST_ONLY,
    "jobs:pdf_batch_create": POST_ONLY,
}
# Who may send the POST-only URLs: the owner starts their job again; the officials who print forms ask
# for a zip of the forms of their list (jobs.permissions.can_print_forms).
POST = {
    "jobs:job_retry": OWNER_ONLY,
    "jobs:pdf_batch_create": only(TOWNSHIPS, COUNTIES, {"city"}),
}
ARGS = {
    name: lambda objects: {"pk": objects["job"].pk}
    for name in ("jobs:job_detail", "jobs:job_status", "jobs:job_download", "jobs:job_retry")
}
ADMIN = {}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    """A finished export of 千金乡's, once (rows without a place take their objects from 本溪)."""
    if place != "本溪":
        return {}
    job = Job.objects.create(
        created_by=User.objects.get(username="qianjin"),
        kind=JobKind.CANDIDATE_EXPORT,
        parameters={"query": "status=active"},
        state=JobState.DONE,
        done=1,
        total=1,
        result=b"PK\x03\x04",
        result_name="培养对象.xlsx",
        result_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return {"job": job}
