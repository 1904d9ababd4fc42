"""Permission-matrix rows of the PDFs: a person's registration form and a region's annual report (see
tests/matrix/__init__.py).

The form is the person's page on paper: whoever sees the person (a mentor their mentees only) gets it,
others a 404. The annual report without a region is the user's own jurisdiction's (an administrator's:
the top of the tree); mentors have no reports (DESIGN §8), so 403. Another region's code is a 404: the
matrix names URLs without query strings, so tests/reports/test_annual_pdf.py asks for one.
"""

from tests.matrix.table import COUNTIES, INSIDE_MENTEES, TOWNSHIPS, only, scoped

PORTAL = {
    "candidates:candidate_form_pdf": scoped(places=INSIDE_MENTEES),
    "reports:annual_pdf": only(TOWNSHIPS, COUNTIES, {"city", "admin"}),
}
ARGS = {"candidates:candidate_form_pdf": lambda objects: {"pk": objects["candidate"].pk}}
ADMIN = {}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    """The form is of the place's candidate the matrix already made; the report reads rollups."""
    return {}
