"""The admin for candidates and certifications: scoped, validated like the portal, workflow actions only."""

import pytest
from django.urls import reverse

from candidates.models import Candidate, Certification
from tests.factories import (
    CandidateFactory,
    CertificationFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def township():
    return UserFactory()


def _form_data(candidate, **changes):
    data = {
        "name": candidate.name,
        "gender": candidate.gender,
        "ethnicity": candidate.ethnicity,
        "id_number": candidate.id_number,
        "birth_date": candidate.birth_date.isoformat(),
        "phone": candidate.phone,
        "education": candidate.education,
        "political_status": candidate.political_status,
        "source": candidate.source,
        "village": candidate.village_id,
        "industry": candidate.industry,
        "household_income": "8",
        "notes": "",
    }
    return data | changes


def test_an_admin_edit_is_checked_like_the_portal_form_and_says_what_is_wrong_in_chinese(township, client_of):
    candidate = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    response = client_of(township).post(url, _form_data(candidate, phone="12345"))
    assert response.status_code == 200
    assert "手机号" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.phone != "12345"


def test_an_admin_edit_goes_through_the_service_and_is_audited(township, client_of):
    candidate = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    response = client_of(township).post(url, _form_data(candidate, phone="139 0413 9999"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.phone == "13904139999"
    assert candidate.history.latest("history_date").history_user == township


def test_the_status_cannot_be_edited_in_the_admin(township, client_of):
    candidate = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    client_of(township).post(url, _form_data(candidate, status="active", stage="revitalization_leader"))
    candidate.refresh_from_db()
    assert (candidate.status, candidate.stage) == ("prospect", "")


def test_the_admin_action_passes_a_step_through_the_workflow(township, client_of):
    village = VillageFactory(township=township.jurisdiction)
    certification = CertificationFactory(step=1, candidate__village=village)
    elsewhere = CertificationFactory(step=1, candidate__village=VillageFactory(township=benxi_township(2)))
    response = client_of(township).post(
        reverse("admin:candidates_certification_changelist"),
        {"action": "pass_current_step", "_selected_action": [certification.pk, elsewhere.pk]},
        follow=True,
    )
    assert response.status_code == 200
    certification.refresh_from_db()
    elsewhere.refresh_from_db()
    assert certification.step == 2 and certification.steps.get().by == township
    assert elsewhere.step == 1


def test_a_township_official_lists_only_its_own_candidates_in_the_admin(township, client_of):
    mine = CandidateFactory(village=VillageFactory(township=township.jurisdiction))
    response = client_of(township).get(reverse("admin:candidates_candidate_changelist"))
    listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert listed == {mine.pk}
    assert Candidate.objects.exclude(pk=mine.pk).exists() and Certification.objects.exists()
