"""What must hold of the records whatever happened to them: the checks a drill runs after its load and
the suite runs over the demo. Each returns the violations it finds, described for a reader; an empty
list means the records keep the rule.

Reads only; a few aggregate queries each, whatever the number of records.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.choices import Decision, Status
from candidates.models import Candidate, CertificationStep, PublicNotice
from reports import rollups


def steps_in_order() -> list[str]:
    """Each pass of step n > 1 comes after a pass of step n − 1 of the same certification."""
    passes = defaultdict(list)
    for certification, step, at in (
        CertificationStep.objects.filter(decision=Decision.PASS)
        .order_by("certification_id", "at", "pk")
        .values_list("certification_id", "step", "at")
    ):
        passes[certification].append((step, at))
    found = []
    for certification, passed in passes.items():
        earliest = {}
        for step, at in passed:
            earliest.setdefault(step, at)
            if step > 1 and (step - 1 not in earliest or earliest[step - 1] > at):
                found.append(
                    f"certification {certification}: step {step} passed {at:%Y-%m-%d} before step {step - 1}"
                )
    return found


def step_6_after_its_notice() -> list[str]:
    """Step 6 (the notice) passes only after the notice's last day."""
    found = []
    for certification, end, at in (
        PublicNotice.objects.filter(
            certification__steps__step=6, certification__steps__decision=Decision.PASS
        )
        .values_list("certification_id", "end_date", "certification__steps__at")
        .order_by("certification_id")
    ):
        passed = timezone.localdate(at)
        if passed <= end:
            found.append(f"certification {certification}: step 6 passed {passed}, its notice ran to {end}")
    return found


def one_current_mentor() -> list[str]:
    """Every active candidate has exactly one current mentor."""
    current = Count("mentor_assignments", filter=Q(mentor_assignments__end_date__isnull=True))
    return [
        f"candidate {pk}: {n} current mentors"
        for pk, n in Candidate.objects.filter(status=Status.ACTIVE)
        .annotate(n=current)
        .exclude(n=1)
        .values_list("pk", "n")
    ]


def figures_equal_a_recount() -> list[str]:
    """Every stored figure (reports.rollups) equals a count from the records."""
    stored, counted = rollups.stored(), rollups.recount()
    return [
        f"{region} {year or 'now'} {key}: stored {stored.get((region, year, key), 0)}, "
        f"counted {counted.get((region, year, key), 0)}"
        for region, year, key in sorted(set(stored) | set(counted))
        if stored.get((region, year, key), 0) != counted.get((region, year, key), 0)
    ]


CHECKS = {
    _("Each certification's steps in order"): steps_in_order,
    _("Step 6 passed after its notice ended"): step_6_after_its_notice,
    _("One current mentor per active candidate"): one_current_mentor,
    _("Every figure equal to a recount"): figures_equal_a_recount,
}


def violations() -> dict[str, list[str]]:
    """{check (its name in the active language): violations} of every check."""
    return {str(name): check() for name, check in CHECKS.items()}
