"""Permission-matrix rows of the dashboard (see tests/matrix/__init__.py).

`/reports/` without a region shows the user's own jurisdiction (an administrator's: the top of the tree);
mentors have no dashboard (DESIGN §8), so 403. Another region's code is a 404: the matrix names URLs
without query strings, so tests/reports/test_dashboard.py walks the regions.
"""

from tests.matrix.table import COUNTIES, TOWNSHIPS, only

PORTAL = {"reports:dashboard": only(TOWNSHIPS, COUNTIES, {"city", "admin"})}
ARGS = {}
ADMIN = {}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    """The dashboard reads the rollups of regions: no record of its own."""
    return {}
