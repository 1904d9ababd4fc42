"""What the journeys of tests/browser/test_journey_*.py share besides support.py: the top bar, and how a
page sits in a phone's window."""

# How far the page reaches past the window, and for each list box the width of its table and of the box (a
# list wider than the screen scrolls sideways in its box; the page itself does not).
LAYOUT = """() => ({
  pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
  boxes: [...document.querySelectorAll('.table-responsive')].map(box => [box.scrollWidth, box.clientWidth]),
})"""

# The lines of a cell's text: its boxes sorted from the top, a box starting below the bottom of the line
# before starting a new line (a badge's box, taller than the text beside it, stays on its line).
LINES = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const boxes = [...range.getClientRects()].filter(r => r.width > 0).sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const box of boxes) {
    if (box.top >= bottom - 1) { lines += 1; bottom = box.bottom; }
    else { bottom = Math.max(bottom, box.bottom); }
  }
  return lines;
}"""


def go(page, label: str) -> None:
    """Follow a link of the top bar, opening its menu first where the window is too narrow to show it."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("#portal-nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def assert_fits_a_phone(page) -> list[tuple[int, int]]:
    """The page is no wider than the window; returns (table width, box width) of each list box."""
    layout = page.evaluate(LAYOUT)
    assert layout["pageOverflow"] <= 2, layout
    return [tuple(box) for box in layout["boxes"]]


def lines_of(cell) -> int:
    """How many lines the text of a table cell (a locator) takes; 0 when it is empty."""
    return cell.evaluate(LINES)


def broken_cells(cells) -> list[str]:
    """The texts of the cells (a locator) that take more than one line."""
    return [cell.inner_text() for cell in cells.all() if lines_of(cell) > 1]
