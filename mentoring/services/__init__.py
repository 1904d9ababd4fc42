"""Writes on mentoring, training, support and contributions. Every change goes through here: checked,
atomic, audited (config.workflows.save_with_history)."""

from mentoring.services.assessments import assessment_decide, assessment_submit
from mentoring.services.mentors import mentor_assign, mentor_leave
from mentoring.services.visits import visit_log

__all__ = [
    "assessment_decide",
    "assessment_submit",
    "mentor_assign",
    "mentor_leave",
    "visit_log",
]
