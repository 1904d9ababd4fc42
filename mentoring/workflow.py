"""The workflow of an assessment (考核), declared as data: the mentor submits, the county confirms (which
locks it) or returns it with a reason; the mentor corrects a returned one and submits it again.
`ASSESSMENT.apply` (config.workflows) is the only code that moves an assessment."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from config.workflows import AlreadyDecided, Transition, Workflow, WorkflowError
from mentoring.choices import AssessmentState, grade_of
from mentoring.models import DIMENSIONS, Assessment

S = AssessmentState
COUNTY, MENTOR = frozenset({Role.COUNTY_REVIEWER}), frozenset({Role.MENTOR})
ASSESSMENT_TRANSITIONS = [
    Transition(S.SUBMITTED, "confirm", S.CONFIRMED, COUNTY, _("Confirm and lock")),
    Transition(S.SUBMITTED, "return", S.RETURNED, COUNTY, _("Return to the mentor"), needs_reason=True),
    Transition(S.RETURNED, "resubmit", S.SUBMITTED, MENTOR, _("Submit again")),
]


class AssessmentWorkflow(Workflow):
    """An assessment's decisions; its history rows are its timeline."""

    reason_message = _("Say what the mentor should correct.")

    def check(self, record, transition, *, by, opinion, data):
        """A resubmission brings corrected scores and comments; the total and grade follow from them."""
        if transition.action != "resubmit":
            return
        for name in (*DIMENSIONS, "comments"):
            if name in data:
                setattr(record, name, data[name])
        scores = record.scores
        if any(score is None or not 0 <= score <= 20 for score in scores):
            raise WorkflowError(gettext("Each of the five scores lies between 0 and 20."))
        record.total = sum(scores)
        record.grade = grade_of(record.total)

    def enter(self, record, transition, *, by, opinion, data):
        record.state = transition.target
        if transition.target in (S.CONFIRMED, S.RETURNED):
            record.decided_by, record.decided_at, record.opinion = by, timezone.now(), opinion
        else:
            record.submitted_by, record.submitted_at = by, timezone.now()

    def stale(self, record) -> AlreadyDecided:
        return AlreadyDecided(
            gettext("This assessment is now “%(state)s”; the page shows where it stands.")
            % {"state": record.get_state_display()}
        )

    def impossible(self, record) -> WorkflowError:
        if record.state == S.CONFIRMED:
            return WorkflowError(gettext("This assessment is confirmed and locked: it cannot change."))
        return super().impossible(record)


ASSESSMENT = AssessmentWorkflow(model=Assessment, transitions=ASSESSMENT_TRANSITIONS)
