"""Journey 2 (issue 12): one person through the seven steps of certification in a real browser.

The township official `yushu` (榆树乡, 新宾) nominates a prospect and takes steps 1–4; the county reviewer
`xinbin` approves (5) and publishes the public notice (6); an anonymous visitor objects on the public
notice page; xinbin dismisses the objection, and once the notice has run, passes step 6 and files the
person with a mentor (7). The journey runs at a desktop's width and then a phone's, each with another
prospect, in one test: the demo is loaded once.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from candidates.choices import CertificationState, HolidayKind, PoliticalStatus, Status
from candidates.models import Candidate, Certification, Holiday, PublicNotice
from candidates.notice_calendar import CalendarUnknown, notice_end_date
from tests.browser.journey_support import (
    assert_fits_a_phone,
    broken_cells,
    lines_of,
)
from tests.browser.support import DESKTOP, PHONE, serious_violations, shot, url

STEP_LABELS = ["推荐", "资格审查", "初选", "考察", "审批", "公示", "备案"]
OBJECTION = "此人去年曾拖欠村集体承包费，请核实。"
RULING = "经核查，承包费已于今年3月全部缴清，有村委会收据为证，异议不成立。"


def prospects() -> list[Candidate]:
    """Two prospects of 榆树乡 who are not Party members: one per window width."""
    people = Candidate.objects.filter(
        village__region__parent__name="榆树乡",
        status=Status.PROSPECT,
        political_status__in=[PoliticalStatus.MASSES, PoliticalStatus.LEAGUE],
    )
    return list(people.select_related("village__region").order_by("pk")[:2])


def enter_holidays_if_unknown(today: datetime.date) -> None:
    """From late December a notice runs into a year the chinesecalendar package may not know yet, and the
    portal refuses to publish it until an administrator enters that year's holidays: enter New Year's Day."""
    try:
        notice_end_date(today, settings.NOTICE_WORKING_DAYS)
    except CalendarUnknown:
        new_year = datetime.date(today.year + 1, 1, 1)
        Holiday.objects.create(date=new_year, kind=HolidayKind.HOLIDAY, name="元旦")


def submit(page, button) -> None:
    """Click a submit button and wait for the page the server answers with (after its redirect)."""
    with page.expect_navigation():
        button.click()


def decide(page, label: str) -> None:
    """Take the decision of the button labelled `label`; the page then confirms it."""
    submit(page, page.get_by_role("button", name=label, exact=True))
    expect(page.get_by_role("alert").filter(has_text="决定已记录。")).to_be_visible()


def pass_to(page, step: int) -> None:
    """Pass the current step on to step `step`: the page then shows `step` as the current one."""
    decide(page, f"通过，进入“{STEP_LABELS[step - 1]}”")
    expect(page.locator("[aria-current=step]")).to_have_text(f"{step} {STEP_LABELS[step - 1]}")


def township_steps(page, person: Candidate) -> str:
    """yushu nominates `person` (step 1) and takes steps 1–4; returns the certification page's path."""
    page.goto(url(page, f"/candidates/{person.pk}/"))
    page.locator("main").get_by_role("link", name="推荐", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"推荐{person.name}")
    page.locator("[name=track]").select_option(label="把致富能手培养成党员")
    page.locator("[name=recommender]").select_option(label="村党组织推荐")
    page.locator("[name=reason]").fill("种植食用菌二十亩，带动本村十余户增收。")
    submit(page, page.get_by_role("button", name="推荐", exact=True))
    assert re.search(r"/candidates/certifications/\d+/$", page.url), page.url
    expect(page.get_by_role("alert")).to_contain_text(f"已推荐{person.name}，认定程序开始。")
    expect(page.locator("[aria-current=step]")).to_have_text("1 推荐")
    path = page.url.removeprefix(page.base_url)

    pass_to(page, 2)
    # Step 2: the 15 selection standards, each met.
    standards = page.locator("input[type=checkbox][name^=met_]")
    expect(standards).to_have_count(15)
    for standard in standards.all():
        standard.check()
    if page.width == PHONE:
        assert not broken_cells(page.locator("form thead th"))
    shot(page, "certification-qualify")
    pass_to(page, 3)
    # Step 3: the township Party committee meeting and the village's democratic evaluation.
    page.locator("[name=meeting_date]").fill(f"{timezone.localdate() - datetime.timedelta(days=1):%Y-%m-%d}")
    page.locator("[name=meeting_decision]").fill("同意列为初选人选")
    page.locator("[name=votes_for]").fill("42")
    page.locator("[name=votes_total]").fill("45")
    pass_to(page, 4)
    expect(page.locator("main")).to_contain_text("总票数45票，赞成42票")
    # Step 4: the vetting report.
    page.locator("[name=vetting_talks]").fill("与本人及村党支部书记谈话")
    page.locator("[name=vetting_visits]").fill("走访农户8户")
    page.locator("[name=vetting_opinions]").fill("群众普遍认可")
    pass_to(page, 5)
    # Approval is the county's: the township now only reads.
    expect(page.get_by_text("“审批”由县区审核人员办理。")).to_be_visible()
    return path


def notice_and_objection(browse, county, visitor_width: int, person: Candidate, path: str) -> PublicNotice:
    """xinbin approves and publishes the notice; an anonymous visitor objects to it on /notices/."""
    county.goto(url(county, path))
    county.locator("[name=opinion]").fill("同意认定为培养对象")
    pass_to(county, 6)
    today = timezone.localdate()
    enter_holidays_if_unknown(today)
    county.locator("[name=start_date]").fill(f"{today:%Y-%m-%d}")
    submit(county, county.get_by_role("button", name="发布公示"))
    notice = PublicNotice.objects.get(certification__candidate=person)
    assert (notice.start_date, notice.working_days) == (today, 5)
    expect(county.get_by_role("alert").filter(has_text="公示期为")).to_have_text(
        re.compile(f"公示期为{notice.start_date}至{notice.end_date}。")
    )
    # While the notice runs, step 6 cannot pass, and the page says why.
    expect(county.get_by_role("button", name="通过，进入“备案”")).to_be_disabled()
    expect(county.locator(".alert-warning")).to_contain_text(f"公示期至 {notice.end_date} 结束。")
    expect(county.get_by_text("无异议。")).to_be_visible()
    shot(county, "certification-notice")

    visitor = browse(None, width=visitor_width)
    visitor.goto(url(visitor, "/notices/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("培养对象认定公示")
    visitor.get_by_label("姓名、村或乡镇").fill(person.name)
    submit(visitor, visitor.get_by_role("button", name="搜索"))
    row = visitor.locator("tbody tr").filter(has_text=person.name)
    expect(row).to_have_count(1)
    period = f"{notice.start_date:%Y-%m-%d} – {notice.end_date:%Y-%m-%d}"
    for text in (person.village.region.name, "榆树乡", "新宾满族自治县", "把致富能手培养成党员", period):
        expect(row).to_contain_text(text)
    # The public never reads an ID number, a phone or a birth date.
    content = visitor.content()
    assert person.id_number not in content and person.phone not in content
    assert f"{person.birth_date:%Y-%m-%d}" not in content
    shot(visitor, "notices-public")
    assert not serious_violations(visitor)

    row.get_by_role("link", name=f"对{person.name}提出异议").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"对{person.name}的公示提出异议")
    visitor.get_by_label("异议内容").fill(OBJECTION)
    shot(visitor, "objection-form")
    submit(visitor, visitor.get_by_role("button", name="提交异议"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("谢谢！您的异议已收到。")
    return notice


def county_rules_and_files(county, person: Candidate, path: str, notice: PublicNotice) -> None:
    """xinbin finds the objection in the work queue, dismisses it, and passes steps 6 and 7."""
    county.goto(url(county, "/"))
    objections = county.locator("#objections")
    expect(objections).to_contain_text(OBJECTION[:20])
    objections.get_by_role("link", name=person.name, exact=True).click()
    expect(county.get_by_role("heading", level=1)).to_have_text(f"对{person.name}公示的异议")
    expect(county.locator("main")).to_contain_text(OBJECTION)
    county.get_by_label("异议不成立：继续认定程序").check()
    county.locator("[name=ruling]").fill(RULING)
    shot(county, "objection-rule")
    submit(county, county.get_by_role("button", name="作出裁定"))
    assert county.url.endswith(path), county.url
    expect(county.get_by_role("alert")).to_contain_text("已裁定异议不成立，认定程序继续进行。")
    expect(county.locator("main")).to_contain_text("异议不成立")
    expect(county.locator("main")).to_contain_text(RULING)
    # The objection is ruled on, but the notice still runs its five working days.
    expect(county.get_by_role("button", name="通过，进入“备案”")).to_be_disabled()

    # A browser test cannot wait five working days: move the notice (published through the page above,
    # objection and ruling included) back into the past, as if its period had run out yesterday or before.
    start = timezone.localdate() - datetime.timedelta(days=21)
    notice.start_date, notice.end_date = start, notice_end_date(start, notice.working_days)
    assert notice.end_date < timezone.localdate()
    notice.save(update_fields=["start_date", "end_date"])

    county.reload()
    pass_to(county, 7)
    # Step 7: the filing date (today, pre-filled) and the mentor.
    assert county.locator("[name=filed_on]").input_value() == f"{timezone.localdate():%Y-%m-%d}"
    mentor = county.locator("[name=mentor] option:not([value=''])").first.inner_text()
    county.locator("[name=mentor]").select_option(label=mentor)
    decide(county, "备案")

    # Certified: the page says so, every step is done, in order, and the log shows who decided each.
    expect(county.locator("h1 ~ .badge").filter(has_text="已备案")).to_be_visible()
    steps = county.locator("ol.list-group > li")
    expect(steps).to_have_text([f"{n} {label}" for n, label in enumerate(STEP_LABELS, start=1)])
    for step in steps.all():
        expect(step).to_have_class(re.compile(r"\blist-group-item-success\b"))
    expect(county.locator("[aria-current=step]")).to_have_count(0)
    log = county.locator(".card").filter(has_text="办理记录").locator("tbody tr")
    expect(log.locator("td:nth-child(1)")).to_have_text([str(n) for n in range(1, 8)])
    expect(log.locator("td:nth-child(2)")).to_have_text(["通过"] * 7)
    if county.width == PHONE:
        # Short words (符合, 通过, the time) keep to one line; the prose around them wraps.
        assert_fits_a_phone(county)
        checks = county.locator(".card").filter(has_text="2 · 资格审查").locator("td:nth-child(2)")
        expect(checks).to_have_count(15)
        assert not broken_cells(checks)
        assert not broken_cells(log.locator("td:nth-child(2)"))
        # Who decided ("榆树乡 刘洋") and when wrap at their spaces only, never inside a name or a date.
        for cell in log.locator("td:nth-child(4), td:nth-child(5)").all():
            assert lines_of(cell) <= len(cell.inner_text().split()), cell.inner_text()
        assert not broken_cells(county.locator("thead th"))
    shot(county, "certification-filed")
    assert not serious_violations(county)

    certification = Certification.objects.get(candidate=person)
    assert certification.state == CertificationState.FILED
    person.refresh_from_db()
    assert person.status == Status.ACTIVE
    assert mentor.startswith(str(person.mentor_assignments.get().mentor))


def test_a_nomination_goes_through_the_seven_steps_with_an_objection_at_desktop_and_phone_width(browse):
    for width, person in zip((DESKTOP, PHONE), prospects(), strict=True):
        path = township_steps(browse("yushu", width=width), person)
        county = browse("xinbin", width=width)
        notice = notice_and_objection(browse, county, width, person, path)
        county_rules_and_files(county, person, path, notice)
