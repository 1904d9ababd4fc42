"""Reads for the certification page."""

from django.db.models import Prefetch

from candidates import permissions
from candidates.forms.certification import STEP_FORMS
from candidates.models import Certification, CertificationStep, Objection, PublicNotice
from candidates.workflow import STEPS, available_actions, may_act, pass_blockers


def certification_queryset(*, user):
    return Certification.objects.visible_to(user).select_related(
        "candidate__village__region__parent__parent", "created_by"
    )


def certification_page(*, certification: Certification, user, form) -> dict:
    """Everything the page shows; related lists come through the certification, already scoped."""
    notice = (
        PublicNotice.objects.filter(certification=certification)
        .select_related("published_by")
        .prefetch_related(Prefetch("objections", Objection.objects.select_related("recorded_by", "ruled_by")))
        .first()
    )
    steps = list(CertificationStep.objects.filter(certification=certification).select_related("by"))
    acting = may_act(certification, user)
    return {
        "certification": certification,
        "candidate": certification.candidate,
        "form": form,
        "steps": [
            {
                "number": n,
                "label": step.label,
                "role": step.role,
                "current": n == certification.step and certification.in_progress,
                "done": n < certification.step or certification.state == "filed",
            }
            for n, step in STEPS.items()
        ],
        "current_step": STEPS[certification.step],
        "log": steps,
        "checks": list(certification.standard_checks.select_related("standard")),
        "notice": notice,
        "objections": list(notice.objections.all()) if notice else [],
        "can_act": acting,
        "has_step_data": certification.step in STEP_FORMS,
        "actions": available_actions(certification, user),
        "blockers": pass_blockers(certification) if acting and certification.step not in (5, 7) else [],
        "can_publish_notice": acting and certification.step == 6,
        "can_record_objection": notice is not None
        and certification.in_progress
        and permissions.can_record_objection(user, certification),
        "can_rule": certification.in_progress and permissions.can_rule_on_objections(user, certification),
    }
