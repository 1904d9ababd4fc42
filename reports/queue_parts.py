"""What every section of the work queue is made of (DESIGN §7): items, sections, figures, and the
`Scope` their builders read. The builders are in reports/work_queue.py and reports/queue_mentoring.py."""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import Role
from candidates.models import Certification
from candidates.workflow import STEPS
from villages.models import Region

# How many items a section lists; the rest are behind its "see all" link.
SECTION_SIZE = 10


@dataclass(frozen=True)
class Item:
    """One line of a section: a certification, notice, objection or person, or a counted region or step."""

    label: str
    url: str
    place: str = ""
    note: str = ""
    since: datetime.date | None = None
    due: datetime.date | None = None
    overdue: bool = False
    ended: bool = False
    count: int | None = None
    action_url: str = ""
    action_label: str = ""


@dataclass
class Section:
    """A block of the work queue: what it is about, how many there are, the first few, and the way to all."""

    key: str
    title: str
    count: int | None
    items: list[Item]
    empty_text: str
    see_all_url: str = ""
    see_all_label: str = ""
    # Items are regions or steps with a count each, drawn as a small table of counts.
    tally: bool = False
    since_label: str = ""
    due_label: str = ""

    @property
    def has_more(self) -> bool:
        """More items than listed; a tally lists every region or step, so it never has more."""
        return not self.tally and self.count is not None and self.count > len(self.items)


def listed(records, *, order: tuple[str, ...], item, **section) -> Section:
    """A section of `records`: how many there are and the first `SECTION_SIZE` in `order`, each drawn by
    `item(record)`; `section` gives the rest of the Section. Two queries, however many records wait."""
    first = records.order_by(*order)[:SECTION_SIZE]
    return Section(count=records.count(), items=[item(record) for record in first], **section)


@dataclass(frozen=True)
class Figure:
    """A headline number at the top of the page, linking to the list behind it."""

    label: str
    value: int
    url: str = ""
    alert: bool = False


@dataclass
class WorkQueue:
    """What awaits one user: the headline figures and the sections, in the order of the role's row."""

    region: Region | None
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # The dynamic management report, for the roles that oversee more than one township.
    dynamic_management_url: str = ""


def candidate_list_url(**filters) -> str:
    """The candidate list narrowed by the list filters of DESIGN §9."""
    url = reverse("candidates:candidate_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def steps_of(role: str) -> list[int]:
    """The certification steps a role works on, from the workflow table."""
    return [number for number, step in STEPS.items() if step.role == role]


def step_title(number: int) -> str:
    return _("Step %(number)s · %(label)s") % {"number": number, "label": STEPS[number].label}


class Scope:
    """What the builders of one queue read: the user, the day, and what several of them share."""

    def __init__(self, *, user, today: datetime.date):
        self.user = user
        self.today = today
        # Above the township a village is named with its township, the user overseeing several.
        self.wide = user.role != Role.TOWNSHIP_OFFICIAL
        self.steps = steps_of(user.role)
        self.certifications = Certification.objects.visible_to(user).in_progress()
        self._built = {}

    def build(self, builder):
        """`builder(scope=self)`, run once per queue: a figure repeating a section's count costs no query."""
        if builder not in self._built:
            self._built[builder] = builder(scope=self)
        return self._built[builder]

    @cached_property
    def counts(self) -> dict[str, int]:
        """Certifications in progress at each step, overdue, and in all: one aggregate query."""
        return self.certifications.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(step_due_on__lt=self.today)),
            **{f"step_{number}": Count("pk", filter=Q(step=number)) for number in STEPS},
        )


def place_of(village, *, wide: bool) -> str:
    """The village, with its township when the user oversees more than one township."""
    region = village.region
    return f"{region.parent.name} · {region.name}" if wide and region.parent else region.name
