"""Permission-matrix rows of a mentoring feature (see tests/matrix/__init__.py)."""

PORTAL = {}
ARGS = {}
ADMIN = {}
PROGRAMME_MODELS = set()


def objects(place, village, found) -> dict:
    return {}
