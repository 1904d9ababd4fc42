"""Writes on candidates. Every change goes through here: checked, atomic, audited.

Audit: django-simple-history records before and after of each row, with the acting user
(config.workflows.save_with_history), in the same transaction; workflows also keep their own
decision logs (`CertificationStep`, `PromotionDecision`).
"""

from candidates.services.base import PERSONAL_FIELDS, pinyin_initials
from candidates.services.certification import (
    ObjectionInput,
    certification_advance,
    certification_nominate,
    certification_record,
    nomination,
    notice_publish,
    objection_file,
    objection_rule,
)
from candidates.services.ladder import (
    elimination_decide,
    elimination_propose,
    party_milestones_record,
    promotion_decide,
    promotion_propose,
)
from candidates.services.registry import (
    candidate_create,
    candidate_update,
    duplicate_message,
    id_number_search_log,
    personal_data_view_log,
)
from candidates.workflow import step_due_on
from config.workflows import AlreadyDecided, WorkflowError

__all__ = [
    "PERSONAL_FIELDS",
    "AlreadyDecided",
    "ObjectionInput",
    "WorkflowError",
    "candidate_create",
    "candidate_update",
    "certification_advance",
    "certification_nominate",
    "certification_record",
    "duplicate_message",
    "elimination_decide",
    "elimination_propose",
    "id_number_search_log",
    "nomination",
    "notice_publish",
    "objection_file",
    "objection_rule",
    "party_milestones_record",
    "personal_data_view_log",
    "pinyin_initials",
    "promotion_decide",
    "promotion_propose",
    "step_due_on",
]
