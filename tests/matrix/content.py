"""What the permission matrix reads in each response (tests/test_permission_matrix.py): the names of the
marker people it plants in each place, and every full ID card number and phone of any person on record.

A user must never read a marker of a place outside their jurisdiction (a mentor: of anyone but their
mentee), whatever the page: HTML, JSON, an Excel file (its XML), a PDF (its text), a zip of PDFs. A role
without `can_see_full_identity` never reads a whole ID number or phone, not even of its own people; a role
with it reads them only on the pages about one person that DESIGN §8 names, and only of people inside.
"""

import contextlib
import io
import json
import re
import urllib.parse
import zipfile

from pypdf import PdfReader

from tests.matrix.table import INSIDE

# The people the matrix makes in each place, by the key of the matrix's objects, and the letter their
# marker name carries: "标记甲后邓村" is the candidate of 后邓村.
PEOPLE = {
    "candidate": "甲",  # active; in 那家村 the demo mentor's mentee
    "promotable": "乙",  # active, with a promotion and an elimination proposed
    "prospect": "丙",
    "noticed": "丁",  # at step 6, their public notice running
    "reserve": "戊",  # a committee reserve of the village
}
# Every marker starts with this: the lists searched for it (`?q=标记`) show every marker a user may see.
MARKER_QUERY = "标记"


def marker(place: str, person: str) -> str:
    return f"{MARKER_QUERY}{PEOPLE[person]}{place}"


def markers_seen_by(user: str, *, public: bool = False) -> set[str]:
    """The marker names `user` may read. A mentor reads their mentee only (the candidate of 那家村); the
    public notice pages show anyone whose notice is running (丁), to everyone, by design (DESIGN §5)."""
    if user == "mentor":
        seen = {marker(place, "candidate") for place in INSIDE["mentor"]}
    else:
        seen = {marker(place, person) for place in INSIDE[user] for person in PEOPLE}
    if public:
        seen |= {marker(place, "noticed") for place in PLACES}
    return seen


PLACES = ("后邓村", "那家村", "椴子沟村", "本溪")
ALL_MARKERS = {marker(place, person) for place in PLACES for person in PEOPLE}

# Whole numbers, not inside a longer run of digits or letters (a token, a code of 12 digits and more).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def text_of(response) -> str:
    """What a user reads in `response`, whatever its kind, with URL-encoded text decoded as well."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return _text(body, response.get("Content-Type", ""))


def _text(body: bytes, content_type: str) -> str:
    if body.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if body.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(body))
        except zipfile.BadZipFile:
            return body.decode("latin-1")
        parts = []
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".csv", ".txt", ".pdf", ".json")):
                parts.append(_text(archive.read(name), ""))
        return "\n".join(parts)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        # JsonResponse writes Chinese as \uXXXX escapes: read it as the browser does.
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    if "%" in text:
        text += "\n" + urllib.parse.unquote(text)
    return text


class Identities:
    """Every ID card number and phone on record (today's and in the history of candidates), and the
    village of whom they are. Phones a mentor also has are left out: a mentor's phone is a work contact."""

    def __init__(self):
        from candidates.models import Candidate
        from mentoring.models import Mentor

        self.id_villages: dict[str, set[str]] = {}
        self.phone_villages: dict[str, set[str]] = {}
        rows = list(Candidate.objects.values_list("id_number", "phone", "village_id"))
        rows += list(Candidate.history.values_list("id_number", "phone", "village_id"))
        for id_number, phone, village in rows:
            self.id_villages.setdefault(id_number.upper(), set()).add(village)
            if phone:
                self.phone_villages.setdefault(phone, set()).add(village)
        for phone in Mentor.objects.exclude(phone="").values_list("phone", flat=True):
            self.phone_villages.pop(phone, None)

    def found_in(self, text: str) -> dict[str, set[str]]:
        """{whole number found: the villages of the people it is of}."""
        found = {}
        for number in _ID_NUMBER.findall(text):
            if number.upper() in self.id_villages:
                found[number] = self.id_villages[number.upper()]
        for phone in _PHONE.findall(text):
            if phone in self.phone_villages:
                found[phone] = self.phone_villages[phone]
        return found


# The pages about one person that show the whole numbers to the roles that may see them, each view logged
# (DESIGN §8: the detail page; its edit form, its registration form on paper, and its record, history and
# versions in the admin are that page too). Everywhere else, lists and exports above all: masked.
FULL_IDENTITY_VIEWS = {
    "candidates:candidate_detail",
    "candidates:candidate_edit",
    "candidates:candidate_form_pdf",
    "admin:candidates_candidate_change",
    "admin:candidates_candidate_history",
    "admin:candidates_candidate_simple_history",
    "admin:candidates_historicalcandidate_change",
}


class Reader:
    """Reads responses as one user does and lists what that user must not read there."""

    def __init__(self, identities: Identities, places: dict, *, full_identity: dict[str, bool]):
        self.identities = identities
        self.place_of_village = {objects["village"].pk: place for place, objects in places.items()}
        self.full_identity = full_identity  # {user: can_see_full_identity}
        self.seen: dict[str, set[str]] = {}  # {user: marker names read so far}
        self.shown_at: dict[tuple[str, str], set[str]] = {}  # {(user, url): marker names read there}

    def problems(self, user: str, view: str, text: str, *, url: str = "") -> list[str]:
        public = view.startswith("notices:")
        allowed = markers_seen_by(user, public=public)
        shown = {name for name in ALL_MARKERS if name in text}
        self.seen.setdefault(user, set()).update(shown)
        self.shown_at[user, url] = shown
        found = [f"outside marker {name}" for name in sorted(shown - allowed)]
        for number, villages in self.identities.found_in(text).items():
            if not self.full_identity[user]:
                found.append(f"whole number {number} to a role that may not see one")
            elif view not in FULL_IDENTITY_VIEWS:
                found.append(f"whole number {number} outside a person's page")
            elif user != "admin" and not any(self.place_of_village.get(v) in INSIDE[user] for v in villages):
                found.append(f"whole number {number} of a person outside")
        return found
