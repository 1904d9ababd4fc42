"""The models of the mentoring app, a module per topic; every name is importable from here."""

from mentoring.models.contributions import Award, CollectiveProject, Contribution
from mentoring.models.mentors import (
    DIMENSIONS,
    Assessment,
    AssessmentQuerySet,
    Mentor,
    MentorAssignment,
    MentorAssignmentQuerySet,
    MentoringVisit,
)
from mentoring.models.support import Policy, Support
from mentoring.models.training import Course, Enrolment, OnlineLearning

__all__ = [
    "DIMENSIONS",
    "Assessment",
    "AssessmentQuerySet",
    "Award",
    "CollectiveProject",
    "Contribution",
    "Course",
    "Enrolment",
    "Mentor",
    "MentorAssignment",
    "MentorAssignmentQuerySet",
    "MentoringVisit",
    "OnlineLearning",
    "Policy",
    "Support",
]
