"""The workflow of a reserve (后备力量), declared once as data: the township or county proposes a
candidate, the county confirms or declines; a confirmed reserve's removal is proposed and decided the
same way. `RESERVE.apply` (config.workflows) is the only code that moves a reserve."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from candidates.choices import Status
from config.workflows import AlreadyDecided, Transition, Workflow, WorkflowError
from villages.choices import ReserveStatus
from villages.models import Reserve

# Roles that keep village records: committee seats and reserve proposals.
VILLAGE_RECORD_ROLES = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_REVIEWER})
COUNTY = frozenset({Role.COUNTY_REVIEWER})

S = ReserveStatus
RESERVE_TRANSITIONS = [
    Transition(S.PROPOSED, "confirm", S.CONFIRMED, COUNTY, _("Confirm")),
    Transition(S.PROPOSED, "decline", S.DECLINED, COUNTY, _("Decline")),
    Transition(
        S.CONFIRMED, "propose_removal", S.REMOVAL_PROPOSED, VILLAGE_RECORD_ROLES, _("Propose removal")
    ),
    Transition(S.REMOVAL_PROPOSED, "confirm_removal", S.REMOVED, COUNTY, _("Confirm the removal")),
    Transition(S.REMOVAL_PROPOSED, "keep", S.CONFIRMED, COUNTY, _("Keep as reserve")),
]


class ReserveWorkflow(Workflow):
    """A reserve's decisions; its history rows are its timeline."""

    def check(self, record, transition, *, by, opinion, data):
        if transition.action == "confirm" and record.candidate.status != Status.ACTIVE:
            raise WorkflowError(
                gettext("%(name)s is no longer active and cannot be a reserve.")
                % {"name": record.candidate.name}
            )

    def enter(self, record, transition, *, by, opinion, data):
        record.status, record.decided_by = transition.target, by
        if transition.target == S.REMOVED:
            record.removed_on = timezone.localdate()
        if opinion:
            record.note = opinion

    def impossible(self, record) -> WorkflowError:
        return WorkflowError(
            gettext("That is not possible now: the reserve is %(status)s.")
            % {"status": record.get_status_display()}
        )

    def stale(self, record) -> AlreadyDecided:
        return AlreadyDecided(self.impossible(record).message)


RESERVE = ReserveWorkflow(model=Reserve, transitions=RESERVE_TRANSITIONS, state_field="status")
