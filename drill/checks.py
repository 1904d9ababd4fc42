"""After the load: the rules of reports/invariants.py over the whole database, and the rows the load wrote
against what its users were told they wrote."""

from dataclasses import dataclass

from django.db.models import Count, Max

from candidates.choices import Decision
from candidates.models import Candidate, Certification, CertificationStep, PublicNotice
from jobs.models import Job
from mentoring.models import MentoringVisit
from reports import invariants

WATCHED = {
    "candidates": Candidate,
    "certifications": Certification,
    "steps": CertificationStep,
    "notices": PublicNotice,
    "visits": MentoringVisit,
    "jobs": Job,
}


@dataclass
class Marks:
    """The last primary key of each watched table before the load: whatever comes after, the load wrote."""

    last: dict[str, int]

    @classmethod
    def now(cls) -> "Marks":
        return cls({name: model.objects.aggregate(n=Max("pk"))["n"] or 0 for name, model in WATCHED.items()})

    def new(self, name: str):
        return WATCHED[name].objects.filter(pk__gt=self.last[name])


def rules() -> dict[str, list[str]]:
    """reports.invariants, each rule's violations."""
    return invariants.violations()


def written(marks: Marks, counts: dict) -> tuple[dict, list[str]]:
    """The rows the load wrote, by table, and every way they differ from the users' counts."""
    steps = marks.new("steps")
    found = {
        "candidates": marks.new("candidates").count(),
        "certifications": marks.new("certifications").count(),
        "steps": steps.count(),
        "steps_passed": steps.filter(decision=Decision.PASS).count(),
        "notices": marks.new("notices").count(),
        "visits": marks.new("visits").count(),
        "jobs_done": marks.new("jobs").filter(state="done").count(),
    }
    expected = {
        "candidates": counts.get("rows imported", 0),
        "certifications": counts.get("rows imported", 0),
        "steps": counts.get("steps passed", 0),
        "steps_passed": counts.get("steps passed", 0),
        "notices": counts.get("notices published", 0),
        "visits": counts.get("visits logged", 0),
        "jobs_done": counts.get("jobs", 0),
    }
    problems = [
        f"{name}: {found[name]} rows written, the users were told {expected[name]}"
        for name in found
        if found[name] != expected[name]
    ]
    twice = steps.values("certification", "step", "decision").annotate(n=Count("pk")).filter(n__gt=1).count()
    if twice:
        problems.append(f"{twice} steps recorded twice for the same certification")
    # Each certification's new steps follow one another: n, n + 1, n + 2, … in the order they were taken.
    taken: dict[int, list[int]] = {}
    for certification, step in steps.order_by("pk").values_list("certification", "step"):
        taken.setdefault(certification, []).append(step)
    for certification, numbers in taken.items():
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            problems.append(f"certification {certification}: steps taken in the order {numbers}")
    found["certifications_stepped"] = len(taken)
    return found, problems
