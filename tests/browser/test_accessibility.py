"""Accessibility of the main pages (issue 12): axe-core finds no serious or critical violation, at an
office desk's width and at a phone's; on the phone no page is wider than the screen (a list scrolls
sideways inside its own box) and the cells of a list keep their words on one line.

The pages: the login page and the public notices, the work queue of each role, the candidate list, a
person's page, the import page (a township official), a certification, the dashboard and a mentor's
list of mentees.
"""

from candidates.choices import Status
from candidates.models import Candidate, Certification
from tests.browser.support import DESKTOP, PHONE, serious_violations, shot, url

XINBIN = "210422"
# Pixels a page may exceed the window by (sub-pixel rounding of borders).
TOLERANCE = 2

OVERFLOW = """([width, tolerance]) => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    if (el.closest('.table-responsive')) return false;
    return el.getBoundingClientRect().right > width + tolerance && getComputedStyle(el).position !== 'fixed';
  });
  return {scrollWidth: root.scrollWidth, wide: wide.slice(0, 5).map(el => el.outerHTML.slice(0, 120))};
}"""

# The cells of the lists (the tables in a sideways-scrolling box) with a run of text laid out on more than
# one line; a cell marked .text-wrap holds prose, which wraps on purpose.
BROKEN_CELLS = """() => [...document.querySelectorAll('.table-responsive td, .table-responsive th')]
  .filter(cell => !cell.classList.contains('text-wrap'))
  .filter(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
      if (tops.length && Math.max(...tops) - Math.min(...tops) > 4) return true;
    }
    return false;
  })
  .slice(0, 5).map(cell => cell.innerText.trim().slice(0, 40))"""


def pages_to_check() -> list[tuple[str | None, str, str]]:
    """(user, path, screenshot name) of each page, the records chosen from the demo."""
    certification = Certification.objects.filter(candidate__village__region__code__startswith=XINBIN, step=5)
    certification = certification.order_by("pk").first() or Certification.objects.order_by("pk").first()
    person = (
        Candidate.objects.filter(status=Status.ACTIVE, village__region__code__startswith=XINBIN)
        .order_by("pk")
        .first()
    )
    return [
        (None, "/accounts/login/", "a11y-login"),
        (None, "/notices/", "a11y-notices"),
        ("city", "/", "a11y-queue-city"),
        ("xinbin", "/", "a11y-queue-county"),
        ("yushu", "/", "a11y-queue-township"),
        ("mentor", "/", "a11y-queue-mentor"),
        ("city", "/candidates/", "a11y-candidates"),
        ("city", f"/candidates/{person.pk}/", "a11y-candidate"),
        ("yushu", "/candidates/import/", "a11y-import"),
        ("xinbin", f"/candidates/certifications/{certification.pk}/", "a11y-certification"),
        ("city", "/reports/", "a11y-dashboard"),
        ("mentor", "/mentoring/", "a11y-mentees"),
    ]


def test_the_main_pages_have_no_serious_accessibility_violation_and_fit_a_phone(browse):
    problems = []
    for width in (DESKTOP, PHONE):
        logged_in = {}
        for username, path, name in pages_to_check():
            if username not in logged_in:
                logged_in[username] = browse(username, width=width)
            page = logged_in[username]
            response = page.goto(url(page, path))
            assert response.ok, f"{path} as {username}: {response.status}"
            where = f"{path} as {username or 'visitor'} at {width}px"
            problems += [f"{where}: {violation}" for violation in serious_violations(page)]
            if width == PHONE:
                overflow = page.evaluate(OVERFLOW, [width, TOLERANCE])
                if overflow["scrollWidth"] > width + TOLERANCE:
                    wide = overflow["wide"]
                    problems.append(f"{where}: the page is {overflow['scrollWidth']}px wide: {wide}")
                problems += [f"{where}: a list cell wraps: {cell!r}" for cell in page.evaluate(BROKEN_CELLS)]
            shot(page, name)
    assert not problems, "\n".join(problems)
