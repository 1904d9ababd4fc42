"""Permission-matrix rows of the Excel exports of the lists and of the figures workbook (see
tests/matrix/__init__.py). Each export is scoped like its list, which every signed-in user may open; the
figures workbook is the dashboard's, which mentors do not have."""

from tests.matrix.table import USERS, everyone

PORTAL = {
    "villages:village_export": everyone(200),
    "villages:reserve_shortfall_export": everyone(200),
    "candidates:elimination_export": everyone(200),
    "reports:dynamic_export": everyone(200),
    "reports:figures_export": {u: 302 if u == "anonymous" else 403 if u == "mentor" else 200 for u in USERS},
}
ARGS = {}
ADMIN = {}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    """The exports read the records the matrix already makes."""
    return {}
