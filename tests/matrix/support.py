"""Permission-matrix rows of support and contributions (see tests/matrix/__init__.py)."""

import datetime

from accounts.models import User
from mentoring.models import Award, CollectiveProject, Contribution, Policy, Support
from tests.matrix.table import COUNTIES, TOWNSHIPS, everyone, rights, scoped

# Every list and its export: everyone signed in, each seeing what their jurisdiction holds. Recording is
# for the township or county of the person (mentoring.permissions.can_record_support / _contributions).
PORTAL = {
    "mentoring:support_list": everyone(200),
    "mentoring:support_export": everyone(200),
    "mentoring:support_create": scoped(who=TOWNSHIPS | COUNTIES),
    "mentoring:policy_list": everyone(200),
    "mentoring:policy_export": everyone(200),
    "mentoring:collective_project_list": everyone(200),
    "mentoring:collective_project_export": everyone(200),
    "mentoring:collective_project_create": scoped(who=TOWNSHIPS | COUNTIES),
    "mentoring:contribution_list": everyone(200),
    "mentoring:contribution_export": everyone(200),
    "mentoring:contribution_create": scoped(who=TOWNSHIPS | COUNTIES),
    "mentoring:award_list": everyone(200),
    "mentoring:award_export": everyone(200),
    "mentoring:award_create": scoped(who=TOWNSHIPS | COUNTIES),
}
ARGS = {
    name: lambda objects: {"pk": objects["candidate"].pk}
    for name in (
        "mentoring:support_create",
        "mentoring:collective_project_create",
        "mentoring:contribution_create",
        "mentoring:award_create",
    )
}


ADMIN = {
    # City staff keep the catalogue; a policy is never deleted, only taken out of force.
    "mentoring.policy": rights("v", "v", "vac", admin="vac"),
    # Entered through the portal's services: read-only in the admin, for everyone.
    "mentoring.support": rights("v", "v", "v", admin="v"),
    "mentoring.collectiveproject": rights("v", "v", "v", admin="v"),
    "mentoring.contribution": rights("v", "v", "v", admin="v"),
    "mentoring.award": rights("v", "v", "v", admin="v"),
}
# The catalogue is the whole programme's: inside for everyone.
PROGRAMME_MODELS = {"mentoring.policy"}


def objects(place, village, found) -> dict:
    """One record of each kind for the place's candidate, and a policy of the catalogue."""
    candidate = found["candidate"]
    recorder = User.objects.get(username="admin")
    day = datetime.date(2024, 5, 10)
    policy, _ = Policy.objects.get_or_create(name="矩阵测试政策")
    person = {"candidate": candidate, "recorded_by": recorder}
    return {
        "mentoring.policy": policy,
        "mentoring.support": Support.objects.create(
            kind="policy", policy=policy, date=day, granted_by="县农业农村局", **person
        ),
        "mentoring.collectiveproject": CollectiveProject.objects.create(
            village=village, name="村集体食用菌大棚", amount=300000, start_date=day, **person
        ),
        "mentoring.contribution": Contribution.objects.create(
            kind="households_helped", count=5, date=day, **person
        ),
        "mentoring.award": Award.objects.create(title="优秀致富带头人", level="county", date=day, **person),
    }
