import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from candidates.choices import CertificationState, Source, Stage, Status
from candidates.models import Candidate
from candidates.validators import full_id_number, normalize_text
from candidates.workflow import STEPS
from config.forms import PortalFilterSet
from villages.choices import ReserveKind
from villages.codes import division_prefix
from villages.models import CommitteeSeat, Reserve


class CandidateFilter(PortalFilterSet):
    """The list filters of DESIGN §9, for the list page and its export alike.

    The queryset it narrows is `selectors.candidate_list(user=...)`: already scoped to the user.
    """

    q = django_filters.CharFilter(
        method="filter_q", label=_("Name, pinyin initials, last 4–6 digits or whole ID card number")
    )
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Any"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"), empty_label=_("Any"))
    step = django_filters.ChoiceFilter(
        method="filter_step",
        choices=[(str(n), format_lazy("{} {}", n, step.label)) for n, step in STEPS.items()],
        label=_("Certification step"),
        empty_label=_("Any"),
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"), empty_label=_("Any"))
    overdue = django_filters.ChoiceFilter(
        method="filter_overdue",
        choices=[("1", _("Overdue only"))],
        label=_("Overdue"),
        empty_label=_("Any"),
    )
    committee = django_filters.ChoiceFilter(
        method="filter_committee",
        choices=[("1", _("Holds a current seat")), ("0", _("Holds no current seat"))],
        label=_("Village committees"),
        empty_label=_("Any"),
    )
    reserve = django_filters.ChoiceFilter(
        method="filter_reserve", choices=ReserveKind.choices, label=_("Reserve"), empty_label=_("Any")
    )

    class Meta:
        model = Candidate
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)

    @property
    def searched_full_id_number(self) -> bool:
        """Whether `q` is a whole ID card number: the view logs such a search."""
        return self.is_bound and bool(full_id_number(self.data.get("q") or ""))

    def filter_region(self, queryset, name, value):
        value = normalize_text(value)
        if len(value) != 12 or not value.isdigit():
            return queryset.none()
        return queryset.filter(village__region__code__startswith=division_prefix(value))

    # A candidate has at most one certification in progress (a database constraint), so these joins
    # never repeat a row.
    def filter_step(self, queryset, name, value):
        return queryset.filter(
            certifications__state=CertificationState.IN_PROGRESS, certifications__step=int(value)
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(
            certifications__state=CertificationState.IN_PROGRESS,
            certifications__step_due_on__lt=timezone.localdate(),
        )

    # Seats and reserves are many per person: Exists() keeps one row per candidate.
    def filter_committee(self, queryset, name, value):
        """`1`: holds a seat whose term covers today; `0`: holds none."""
        seated = Exists(CommitteeSeat.objects.current().filter(candidate=OuterRef("pk")))
        return queryset.filter(seated if value == "1" else ~seated)

    def filter_reserve(self, queryset, name, value):
        """A standing reserve of that kind: confirmed, or its removal proposed but not yet confirmed."""
        return queryset.filter(
            Exists(Reserve.objects.standing().filter(candidate=OuterRef("pk"), kind=value))
        )
