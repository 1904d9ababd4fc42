from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MentorLevel(models.TextChoices):
    COUNTY = "county", _("County leader")
    TOWNSHIP = "township", _("Township leader")


class VisitForm(models.TextChoices):
    """How a mentor met the candidate (帮带形式)."""

    VISIT = "visit", _("Home or workplace visit")
    CALL = "call", _("Telephone call")
    ONSITE = "onsite", _("On-site guidance")
    TRAINING = "training", _("Training session")


class AssessmentState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting the county")
    RETURNED = "returned", _("Returned to the mentor")
    CONFIRMED = "confirmed", _("Confirmed (locked)")


class Grade(models.TextChoices):
    """The grade of an assessment, from its total out of 100 (DESIGN §6)."""

    EXCELLENT = "excellent", pgettext_lazy("assessment grade", "Excellent")
    GOOD = "good", pgettext_lazy("assessment grade", "Good")
    PASS = "pass", pgettext_lazy("assessment grade", "Pass")
    FAIL = "fail", pgettext_lazy("assessment grade", "Fail")


# The lowest total of each grade, best first; below the last, the grade is FAIL.
GRADE_THRESHOLDS = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.PASS))


def grade_of(total: int) -> str:
    """优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below."""
    return next((grade for lowest, grade in GRADE_THRESHOLDS if total >= lowest), Grade.FAIL)


class CourseLevel(models.TextChoices):
    CITY = "city", pgettext_lazy("level", "City")
    COUNTY = "county", pgettext_lazy("level", "County")
    TOWNSHIP = "township", pgettext_lazy("level", "Township")
    UNIVERSITY = "university", pgettext_lazy("level", "University")


class SupportKind(models.TextChoices):
    """The four kinds of support (扶持) of DESIGN §6."""

    POLICY = "policy", _("Policy")
    LOAN = "loan", _("Loan")
    LAND = "land", _("Land transfer")
    PROJECT = "project", _("Project")


class ContributionKind(models.TextChoices):
    """What a candidate gives back that is counted (DESIGN §1, §6)."""

    HOUSEHOLDS_HELPED = "households_helped", _("Households helped to a higher income")
    SERVICE_ITEMS = "service_items", _("Service items performed")
    PROBLEMS_SOLVED = "problems_solved", _("Problems solved for villagers")


class AwardLevel(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("level", "National")
    PROVINCIAL = "provincial", pgettext_lazy("level", "Provincial")
    CITY = "city", pgettext_lazy("level", "City")
    COUNTY = "county", pgettext_lazy("level", "County")
    TOWNSHIP = "township", pgettext_lazy("level", "Township")
