"""The records of one person that their page shows, each kind read once.

The page draws the same records twice: in the timeline, and in its sections (the certification, the
ladder, mentoring, training, support, contributions). Read separately, that was 36 queries a page; read
once here and shared, each kind of record costs one query, whatever the number of records
(BENCHMARKS.md). Records of the mentoring app are scoped to the user, for the sections and the
timeline alike; `user=None` reads them unscoped, for callers that have no user (the person was
fetched through `visible_to` by whoever asks).
"""

from functools import cached_property

from django.db.models import Prefetch


class PersonRecords:
    def __init__(self, *, candidate, user=None):
        self.candidate = candidate
        self.user = user

    def _of(self, model):
        manager = model.objects
        visible = manager.visible_to(self.user) if self.user is not None else manager.all()
        return visible.filter(candidate=self.candidate)

    # The candidates app --------------------------------------------------------------------------------

    @cached_property
    def certifications(self) -> list:
        """Newest first, with their steps."""
        from candidates.models import Certification, CertificationStep

        return list(
            Certification.objects.filter(candidate=self.candidate)
            .select_related("created_by", "notice__published_by")
            .prefetch_related(Prefetch("steps", queryset=CertificationStep.objects.select_related("by")))
        )

    @cached_property
    def promotions(self) -> list:
        """Newest proposal first, with their decisions."""
        from candidates.models import Promotion, PromotionDecision

        return list(
            Promotion.objects.filter(candidate=self.candidate)
            .select_related("proposed_by")
            .prefetch_related(Prefetch("decisions", queryset=PromotionDecision.objects.select_related("by")))
        )

    @cached_property
    def eliminations(self) -> list:
        """Newest proposal first."""
        from candidates.models import Elimination

        return list(
            Elimination.objects.filter(candidate=self.candidate).select_related("proposed_by", "decided_by")
        )

    # The mentoring app ---------------------------------------------------------------------------------

    @cached_property
    def assignments(self) -> list:
        """Latest first."""
        from mentoring.models import MentorAssignment

        return list(
            self._of(MentorAssignment).select_related("mentor", "assigned_by").order_by("-start_date", "-pk")
        )

    @cached_property
    def visits(self) -> list:
        """Latest first."""
        from mentoring.models import MentoringVisit

        return list(self._of(MentoringVisit).select_related("mentor", "recorded_by"))

    @cached_property
    def assessments(self) -> list:
        """Latest period first."""
        from mentoring.models import Assessment

        return list(self._of(Assessment).select_related("mentor", "submitted_by", "decided_by"))

    @cached_property
    def enrolments(self) -> list:
        """Latest course first."""
        from mentoring.models import Enrolment

        return list(
            self._of(Enrolment)
            .select_related("course", "enrolled_by")
            .order_by("-course__start_date", "course__name")
        )

    @cached_property
    def support(self) -> list:
        """Latest first."""
        from mentoring.models import Support

        return list(self._of(Support).select_related("policy", "recorded_by"))

    @cached_property
    def collective_projects(self) -> list:
        from mentoring.models import CollectiveProject

        return list(self._of(CollectiveProject).select_related("village__region", "recorded_by"))

    @cached_property
    def contributions(self) -> list:
        from mentoring.models import Contribution

        return list(self._of(Contribution).select_related("recorded_by"))

    @cached_property
    def awards(self) -> list:
        from mentoring.models import Award

        return list(self._of(Award).select_related("recorded_by"))
