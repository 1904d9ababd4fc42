"""What a candidate's page shows of their growth: mentoring, training, support and contributions."""

from django.utils import timezone

from candidates.person import PersonRecords
from mentoring.selectors.contributions import candidate_contributions
from mentoring.selectors.mentors import candidate_mentoring
from mentoring.selectors.support import candidate_support
from mentoring.selectors.training import candidate_training


def candidate_growth(*, candidate, user, records=None) -> dict:
    """The context of the growth sections of the candidate's page, each scoped like the page itself;
    `growth_includes` lists the templates that draw the sections after mentoring."""
    records = records or PersonRecords(candidate=candidate, user=user)
    return {
        "mentoring": candidate_mentoring(
            candidate=candidate, user=user, today=timezone.localdate(), records=records
        ),
        "training": candidate_training(candidate=candidate, user=user, records=records),
        "support": candidate_support(candidate=candidate, user=user, records=records),
        "contributions": candidate_contributions(candidate=candidate, user=user, records=records),
        "growth_includes": [
            "mentoring/includes/candidate_training.html",
            "mentoring/includes/candidate_support.html",
            "mentoring/includes/candidate_contributions.html",
        ],
    }
