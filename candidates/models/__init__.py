"""The models of the candidates app, a module per topic; every name is importable from here."""

from candidates.models.certification import (
    Certification,
    CertificationQuerySet,
    CertificationStep,
    Holiday,
    Objection,
    ObjectionQuerySet,
    PublicNotice,
    PublicNoticeQuerySet,
    SelectionStandard,
    SelectionStandardQuerySet,
    StandardCheck,
)
from candidates.models.ladder import (
    Elimination,
    EliminationQuerySet,
    Promotion,
    PromotionDecision,
    PromotionQuerySet,
)
from candidates.models.registry import (
    MILESTONES,
    Candidate,
    CandidateQuerySet,
    ImportBatch,
    ImportBatchQuerySet,
    PersonalDataView,
)

__all__ = [
    "MILESTONES",
    "Candidate",
    "CandidateQuerySet",
    "Certification",
    "CertificationQuerySet",
    "CertificationStep",
    "Elimination",
    "EliminationQuerySet",
    "Holiday",
    "ImportBatch",
    "ImportBatchQuerySet",
    "Objection",
    "ObjectionQuerySet",
    "PersonalDataView",
    "Promotion",
    "PromotionDecision",
    "PromotionQuerySet",
    "PublicNotice",
    "PublicNoticeQuerySet",
    "SelectionStandard",
    "SelectionStandardQuerySet",
    "StandardCheck",
]
