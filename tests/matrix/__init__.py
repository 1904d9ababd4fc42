"""Rows of the permission matrix (tests/test_permission_matrix.py) for the features of the mentoring app,
one module per feature, so that each feature's pages and objects sit together.

Each module defines:
- `PORTAL`: {url name: {user: status} or function (user, place) -> status}, as in the matrix;
- `ARGS`: {url name: function (objects of a place) -> URL kwargs};
- `ADMIN`: {"app.model": rights(...)} and optionally `PROGRAMME_MODELS` (read by everyone);
- optionally `POST`: for URLs that take only a POST (405 to a GET), who may send one, as `PORTAL`;
- `objects(place, village, found) -> dict`: the records of the place its rows need (`found` holds
  what the matrix already made: "candidate" (a mentee of the demo mentor in 那家村), "village", …).
"""

from tests.matrix import jobs, mentors, reports_dashboard, reports_exports, reports_pdf, support, training

FEATURES = (mentors, training, support, reports_dashboard, jobs, reports_exports, reports_pdf)
