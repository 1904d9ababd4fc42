"""The demo keeps what must hold of the records (reports.invariants), and each check finds a breach."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from candidates.models import CertificationStep, PublicNotice
from mentoring.models import MentorAssignment
from reports import invariants
from reports.models import Rollup

pytestmark = pytest.mark.django_db


def test_the_demo_keeps_every_invariant():
    assert invariants.violations() == {name: [] for name in invariants.CHECKS}


def test_a_step_6_passed_while_its_notice_ran_is_found():
    notice = PublicNotice.objects.filter(certification__step=7).first()
    step_6 = CertificationStep.objects.get(certification=notice.certification, step=6)
    # On the notice's last day in Shanghai: the stored moment is UTC, whose date differs after 16:00 UTC.
    step_6.at = timezone.localtime(step_6.at).replace(
        year=notice.end_date.year, month=notice.end_date.month, day=notice.end_date.day
    )
    step_6.save()
    assert [
        f"certification {notice.certification_id}:" in line for line in invariants.step_6_after_its_notice()
    ] == [True]


def test_a_step_passed_before_the_one_before_it_is_found():
    step_2 = CertificationStep.objects.filter(step=2, decision="pass").first()
    step_1 = CertificationStep.objects.get(certification=step_2.certification, step=1)
    step_1.at = step_2.at + datetime.timedelta(days=1)
    step_1.save()
    assert invariants.steps_in_order() == [
        f"certification {step_2.certification_id}: step 2 passed {step_2.at:%Y-%m-%d} before step 1"
    ]


def test_an_active_candidate_without_a_mentor_and_a_wrong_figure_are_found():
    assignment = MentorAssignment.objects.filter(candidate__status="active", end_date__isnull=True).first()
    assignment.end_date = datetime.date.today()
    assignment.save()
    assert invariants.one_current_mentor() == [f"candidate {assignment.candidate_id}: 0 current mentors"]
    Rollup.objects.filter(region="210400000000", year=0, key="active").update(value=1)
    assert any("210400000000 now active: stored 1" in line for line in invariants.figures_equal_a_recount())
    with pytest.raises(CommandError):
        call_command("check_invariants", stdout=io.StringIO())
