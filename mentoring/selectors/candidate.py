"""What a candidate's page shows of their growth: mentoring, training, support and contributions."""

from django.utils import timezone

from mentoring.selectors.mentors import candidate_mentoring


def candidate_growth(*, candidate, user) -> dict:
    """The context of the growth sections of the candidate's page, each scoped like the page itself;
    `growth_includes` lists the templates that draw the sections after mentoring."""
    return {
        "mentoring": candidate_mentoring(candidate=candidate, user=user, today=timezone.localdate()),
        "growth_includes": [],
    }
