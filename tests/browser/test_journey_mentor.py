"""Journey 3 (issue 12): a mentor logs a visit and submits an assessment; the county confirms it.

`mentor` (a 新宾 county leader) opens a mentee from their list, logs a visit and assesses them;
`xinbin` (the county reviewer of 新宾) finds the assessment from the work queue and confirms it, and the
page says it is confirmed and locked. Once at an office desk's width, for the mentee whose last quarter
is due, and once at a phone's, for another mentee and the whole of last year (a period is assessed
once). What the pages show is checked against the records the journey wrote.
"""

import re

from django.utils import timezone, translation

from accounts.models import User
from mentoring.choices import AssessmentState, Grade, grade_of
from mentoring.models import Assessment, MentoringVisit
from tests.browser.journey_support import go
from tests.browser.support import DESKTOP, PHONE, shot

SCORES = {
    "political_quality": 18,
    "wealth_creation": 17,
    "leading_others": 16,
    "service": 19,
    "recognition": 18,
}


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_a_mentor_assesses_a_mentee_and_the_county_confirms(browse):
    mentor_user, county_user = User.objects.get(username="mentor"), User.objects.get(username="xinbin")
    total = sum(SCORES.values())
    grade = zh(Grade(grade_of(total)).label)
    assessed = []
    for width in (DESKTOP, PHONE):
        # The mentor: their mentees; at the desk the one whose assessment of the last quarter is due (the
        # list offers 考核 in its row), on the phone another, assessed for the whole of last year.
        page = browse("mentor", width=width)
        go(page, "包保帮带")
        assert page.locator("h1").inner_text() == "我帮带的培养对象"
        rows = page.locator("tbody tr")
        if width == DESKTOP:
            due = rows.filter(has=page.get_by_role("link", name="考核", exact=True))
            assert due.count(), "the demo mentor owes the assessment of a mentee"
            row = due.first
        else:
            row = rows.filter(has_not_text=assessed[0]).first
        name = row.locator("td").first.inner_text().strip()
        assessed.append(name)
        shot(page, "mentor-mentees")
        row.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").first.inner_text().startswith(name)
        pk = int(re.search(r"/candidates/(\d+)/", page.url).group(1))

        # A visit, logged from the mentoring card of the person's page.
        mentoring_card = page.locator("#mentoring")
        mentoring_card.get_by_role("link", name="登记帮带", exact=True).click()
        assert f"登记对{name}的帮带" in page.locator("h1").inner_text()
        content = f"实地查看{name}的香菇大棚扩建，联系县农业技术员上门指导（{width}）"
        page.select_option("select[name=form]", index=2)
        page.fill("textarea[name=content]", content)
        page.fill("textarea[name=problems]", "冷库容量不足")
        page.fill("textarea[name=follow_up]", "下月协调冷链项目资金")
        shot(page, "mentor-visit-form")
        page.get_by_role("button", name="保存帮带记录").click()
        page.wait_for_load_state()
        assert f"已登记对{name}的帮带记录。" in page.locator(".alert").first.inner_text()
        visit = MentoringVisit.objects.get(candidate_id=pk, content=content)
        assert visit.date == timezone.localdate()
        assert visit.problems == "冷库容量不足"
        # The person's page lists it among the recent visits.
        assert content[:20] in mentoring_card.inner_text()

        # The assessment of the quarter due, from the same card.
        mentoring_card.get_by_role("link", name="考核", exact=True).click()
        assert page.locator("h1").inner_text().startswith("考核")
        if width == PHONE:
            page.fill("input[name=year]", str(timezone.localdate().year - 1))
            page.select_option("select[name=quarter]", label="全年")
        year, quarter = page.input_value("input[name=year]"), page.input_value("select[name=quarter]")
        assert not Assessment.objects.filter(candidate_id=pk, year=int(year), quarter=int(quarter)).exists()
        for field, score in SCORES.items():
            page.fill(f"input[name={field}]", str(score))
        page.fill("textarea[name=comments]", "带动周边农户发展食用菌，群众认可度高。")
        shot(page, "mentor-assessment-form")
        page.get_by_role("button", name="报县区确认").click()
        page.wait_for_load_state()
        assert f"考核已提交：{total}分，{grade}。待县区确认。" in page.locator(".alert").first.inner_text()
        assessment = Assessment.objects.get(candidate_id=pk, year=int(year), quarter=int(quarter))
        period = zh(assessment.period)
        assert assessment.state == AssessmentState.SUBMITTED
        assert (assessment.total, assessment.mentor.user_id) == (total, mentor_user.pk)
        state = page.locator("h1 + .badge").inner_text()
        assert state == zh(AssessmentState.SUBMITTED.label) == "已提交，待县区确认"
        assert f"{total} · {grade}" in page.locator("main").inner_text()
        shot(page, "mentor-assessment-submitted")

        # The county: from the work queue to the list of assessments to confirm, found by the name.
        page = browse("xinbin", width=width)
        awaiting = page.locator("#assessments-awaiting")
        assert "待确认的考核" in awaiting.inner_text()
        awaiting.get_by_role("link", name="查看全部").first.click()
        page.wait_for_load_state()
        page.fill("input[name=q]", name)
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        row = page.locator("tbody tr").filter(has_text=name).filter(has_text=period)
        assert row.count() == 1
        assert "已提交，待县区确认" in row.inner_text()
        shot(page, "county-assessments")
        row.get_by_role("link", name=period).click()
        page.wait_for_load_state()
        assert name in page.locator("h1").inner_text()
        assert f"{total} · {grade}" in page.locator("main").inner_text()
        page.get_by_role("button", name="确认并锁定").click()
        page.wait_for_load_state()
        assert "考核审核决定已记录。" in page.locator(".alert").first.inner_text()
        assert page.locator("h1 + .badge").inner_text() == "已确认（锁定）"
        assert not page.get_by_role("button", name="确认并锁定").count(), "a confirmed assessment is locked"
        shot(page, "county-assessment-confirmed")
        assessment.refresh_from_db()
        assert assessment.state == AssessmentState.CONFIRMED
        assert assessment.decided_by_id == county_user.pk
