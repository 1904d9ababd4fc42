"""The candidate registration form (培养对象登记表) as a PDF, A4: what the person's page shows, on paper.

The full ID card number and phone are printed only for the roles that see them on the person's page,
and each such PDF is logged like a view of that page (`services.personal_data_view_log`).
"""

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from candidates import selectors, services
from candidates.choices import PersonalDataPlace
from candidates.models import Candidate, Certification, CertificationStep
from candidates.workflow import STEPS
from config.pdf import render_pdf
from mentoring.selectors.candidate import candidate_growth

TEMPLATE = "candidates/form_pdf.html"


def _certifications(*, candidate: Candidate, user) -> list[dict]:
    """The person's certifications, oldest first, each with its decisions step by step. Two queries."""
    certifications = (
        Certification.objects.visible_to(user)
        .filter(candidate=candidate)
        .select_related("notice")
        .prefetch_related(Prefetch("steps", CertificationStep.objects.select_related("by")))
        .order_by("started_at", "pk")
    )
    return [
        {
            "certification": certification,
            "decisions": [
                {"record": step, "label": STEPS[step.step].label} for step in certification.steps.all()
            ],
            "notice": getattr(certification, "notice", None),
        }
        for certification in certifications
    ]


def registration_form(*, candidate: Candidate, user: User) -> dict:
    """The context of the form: the person as `user` may see them (DoesNotExist outside their
    jurisdiction or mentees), and whether the full ID number and phone are printed (logged if so)."""
    candidate = (
        Candidate.objects.visible_to(user)
        .select_related("village__region__parent__parent", "created_by")
        .get(pk=candidate.pk)
    )
    certifications = _certifications(candidate=candidate, user=user)
    return {
        "candidate": candidate,
        "show_full_identity": services.personal_data_view_log(
            by=user, candidate=candidate, where=PersonalDataPlace.FORM_PDF
        ),
        "certifications": certifications,
        "track": certifications[-1]["certification"].get_track_display() if certifications else "",
        "milestones": selectors.milestones(candidate),
        "seats": selectors.current_seats(candidate, user),
        "printed_on": timezone.localdate(),
        "printed_by": user,
        **candidate_growth(candidate=candidate, user=user),
    }


def registration_form_pdf(*, candidate: Candidate, user: User) -> bytes:
    """The registration form of `candidate` as `user` may see it, as PDF bytes."""
    return render_pdf(TEMPLATE, registration_form(candidate=candidate, user=user))
