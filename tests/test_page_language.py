"""Every page of the permission matrix, for every role, speaks Chinese (issue 12, "Language, in the suite").

Each page a role may open (answering 200 with HTML) is rendered in zh-hans, and what a user sees of it must
hold no English word outside `ALLOWED`: the text outside <script>, <style> and <template> (an <option>'s
included), and the attributes shown (title, placeholder, alt, aria-label, the value of an <input> button).
A page about a record is rendered once per role, at the first place of the matrix where the role may open
it; a miss reads "page url: word «the text it is in»". Words of the records themselves (user names, pinyin
initials), codes, URLs, e-mail addresses and file names are not the portal's language and pass.

The pages come from the matrix's tables (tests/test_permission_matrix.py and tests/matrix/) with the
matrix's own records (its `_make_places`), so a new row there is checked here too.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import FailedLogin, User
from candidates.forms.certification import FileForm
from candidates.models import Candidate, Certification
from reports import rollups
from tests.factories import UserFactory
from tests.matrix.table import PLACE_NAMES, USERS
from tests.test_permission_matrix import (
    ADMIN,
    ADMIN_SITE,
    ADMIN_VIEWS,
    ADMINISTRATORS_ONLY,
    ARGS,
    PORTAL,
    VIEWS_OF,
    _admin_expectation,
    _admin_url,
    _make_places,
)

# Words a page in Chinese may show, and why.
ALLOWED = {
    # File formats and standard abbreviations, written so in Chinese too.
    "Excel",
    "PDF",
    "XLSX",
    "xlsx",
    "JSON",
    "ID",
    "IP",
    "MB",
    "CSV",
    "csv",
    "XLS",
    "xls",
    # In Django's own zh-hans help text of a password ("…例如单一登入或LDAP").
    "LDAP",
    # The language switch names each language in itself.
    "English",
}
# Alternative texts Django's admin writes in English, outside any catalogue, so no translation reaches them:
# its yes/no/unknown icons (`_boolean_icon`: alt="True") and the magnifier of its search bar
# (admin/search_form.html). The words beside them (the column, the "搜索" button) are Chinese.
ALLOWED_ALT = {"True", "False", "None", "Search"}

# Attributes a user sees (read aloud or shown on hovering); `value` only of an <input> button, which shows
# it (a <button> shows its content).
SHOWN_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "aria-description", "aria-placeholder"}
BUTTON_TYPES = {"submit", "button", "reset"}
NOT_SHOWN = {"script", "style", "template"}

# Not words: URLs, e-mail addresses, paths, file names (an upload's "a.xlsx") and masked values (a password
# hash's "gb****").
NOT_WORDS = re.compile(
    r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|(?<![\w/])/[\w\-./?=&%]+|\S*\*\*\S*"
    r"|[^\s·，。（）]+\.(?:xlsx|xls|csv|pdf|json)\b"
)
# A token of letters, digits and inner dots, hyphens or apostrophes; one with a digit is a code or a user
# name (210422000000, user3, md5), not a word.
TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[.'’-][A-Za-z0-9_]+)*")


class VisibleText(HTMLParser):
    """What a user sees of a page, as (where, text): the text nodes outside <script>, <style> and
    <template> ("text"), and the attributes shown ("alt", "title", …, "value" of an <input> button)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []
        self._hidden = 0  # depth inside elements never shown

    def handle_starttag(self, tag, attrs):
        if not self._hidden:
            for name, value in attrs:
                if value and name in SHOWN_ATTRIBUTES:
                    self.pieces.append((name, value))
            attributes = dict(attrs)
            if tag == "input" and attributes.get("type") in BUTTON_TYPES and attributes.get("value"):
                self.pieces.append(("value", attributes["value"]))
        if tag in NOT_SHOWN:
            self._hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in NOT_SHOWN:
            self._hidden -= 1

    def handle_endtag(self, tag):
        if tag in NOT_SHOWN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.pieces.append(("text", " ".join(data.split())))


def english_words(html: str, data_words=frozenset()) -> list[tuple[str, str]]:
    """(word, the text it is in) for each English word a user sees on the page, outside the allowlists
    and the words of the records themselves (`data_words`: user names, pinyin initials)."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    found = []
    for where, piece in parser.pieces:
        for token in TOKEN.findall(NOT_WORDS.sub(" ", piece)):
            if len(token) < 2 or re.search(r"\d", token) or not re.search(r"[A-Za-z]", token):
                continue
            if token in ALLOWED or token in data_words or (where == "alt" and token in ALLOWED_ALT):
                continue
            found.append((token, piece if where == "text" else f'{where}="{piece}"'))
    return found


def _data_words():
    """Words of the records themselves, not of the portal: user names and candidates' pinyin initials."""
    return set(User.objects.values_list("username", flat=True)) | set(
        Candidate.objects.values_list("name_initials", flat=True)
    )


# Downloads (workbooks, PDFs, JSON): not HTML, and slow to make; a page answering anything but HTML is
# skipped anyway.
DOWNLOAD = re.compile(r"_export$|_pdf$|:job_download$|:job_status$|:import_template$|^healthz$")


def _admin_row(model, view):
    return lambda user, place: _admin_expectation(user, model, view, place)


def _first_place(expect, user):
    return next((place for place in PLACE_NAMES if expect(user, place) == 200), None)


def _pages(user, places, target, failed_login, step_7):
    """(label, url) of every page of the matrix that `user` may open."""
    for name, row in PORTAL.items():
        if DOWNLOAD.search(name):
            continue
        if callable(row):
            place = _first_place(row, user)
            if place is not None:
                yield name, reverse(name, kwargs=ARGS[name](places[place]))
        elif row[user] == 200:
            kwargs = ARGS[name](places["本溪"]) if name in ARGS else {}
            yield name, reverse(name, kwargs=kwargs)
    # Step 7 in progress: the county chooses the mentor from a list (its blank choice was in English).
    if user in ("xinbin", "admin"):
        yield "certification at step 7", step_7.get_absolute_url()
    for model in ADMIN:
        for view in VIEWS_OF.get(model, ADMIN_VIEWS):
            if model == "accounts.user":
                if user == "admin":
                    yield (
                        f"admin {model} {view}",
                        _admin_url(model, view, None if view in ("changelist", "add") else target),
                    )
                continue
            if view in ("changelist", "add"):
                if _admin_expectation(user, model, view, None) == 200:
                    yield f"admin {model} {view}", _admin_url(model, view)
                continue
            place = _first_place(_admin_row(model, view), user)
            if place is not None:
                yield f"admin {model} {view} {place}", _admin_url(model, view, places[place][model])
    if user == "admin":
        yield "admin password of a user", reverse("admin:auth_user_password_change", args=[target.pk])
        for model, views in ADMINISTRATORS_ONLY.items():
            for view, allowed in views.items():
                if allowed:
                    obj = None if view in ("changelist", "add") else failed_login
                    yield f"admin {model} {view}", _admin_url(model, view, obj)
    for name, row in ADMIN_SITE.items():
        if row is not None and row[user] == 200 and name not in ("admin:autocomplete", "admin:jsi18n"):
            yield name, reverse(name)
    if user not in ("anonymous", "mentor"):
        for app in sorted({model.split(".")[0] for model in ADMIN}):
            if app != "accounts" or user == "admin":  # users and failed logins: administrators only
                yield f"admin app {app}", reverse("admin:app_list", args=[app])


@pytest.fixture(scope="module")
def matrix(module_transaction, django_db_blocker):
    """The permission matrix's records, made once for the module (as its own `places` fixture does), a
    failed login for the administrators' page of them, and the demo's certification at step 7 in 新宾."""
    with django_db_blocker.unblock():
        with rollups.batch():
            places = _make_places()
        # A user for the administrators' user pages: one of the demo's would make deleting it list
        # thousands of records it touched, which takes seconds.
        target = UserFactory()
        failed_login = FailedLogin.objects.create(
            username="qianjin",
            ip_address="10.0.0.9",
            user_agent="x",
            failures_since_start=5,
            http_accept="*/*",
        )
        step_7 = Certification.objects.filter(
            step=7, state="in_progress", candidate__village__region__code__startswith="210422"
        ).first()
        assert step_7 is not None, "the demo has no certification at step 7 in 新宾 any more"
        return places, target, failed_login, step_7, frozenset(_data_words())


def _misses(client, pages, data_words):
    """Open each page; list the English words on those answering 200 with HTML."""
    misses, seen = [], 0
    for label, url in pages:
        response = client.get(url)
        if (
            response.status_code != 200
            or response.streaming
            or not response["Content-Type"].startswith("text/html")
        ):
            continue
        seen += 1
        for word, piece in english_words(response.content.decode(), data_words):
            misses.append(f"{label} {url}: {word} «{piece[:100]}»")
    return misses, seen


@pytest.mark.parametrize("user", USERS)
def test_every_page_speaks_chinese(user, matrix, client_of):
    places, target, failed_login, step_7, data_words = matrix
    client = client_of(None if user == "anonymous" else user)
    misses, seen = _misses(client, _pages(user, places, target, failed_login, step_7), data_words)
    assert seen, f"{user}: no page answered"
    assert not misses, f"{user}: English in {len(misses)} places:\n" + "\n".join(dict.fromkeys(misses))


def test_the_check_sees_what_a_user_sees():
    page = """<html><head><title>名单</title><style>.x{color:red}</style>
    <script>var Label = "x";</script></head>
    <body><h1>培养对象 list</h1><a href="/candidates/export.xlsx" title="Download">导出 Excel</a>
    <input type="submit" value="Save"><input type="text" value="typed by someone" name="q">
    <button name="language" value="en">English</button><img src="a.svg" alt="True"><img alt="Chart">
    <select><option value="">- Select an option -</option><option>新宾满族自治县</option></select>
    <p>qianjin 210422000000 user3 md5 gb******** admin@example.org https://example.org/a</p></body></html>"""
    found = {word for word, _ in english_words(page, frozenset({"qianjin"}))}
    assert found == {"list", "Download", "Save", "Chart", "Select", "an", "option"}


def test_the_check_catches_an_untranslated_blank_choice(matrix, client_of, monkeypatch):
    """The bug that made this test: step 7's mentor list offered Django's "- Select an option -", which
    Django's zh-hans catalogue lacks. Without the portal's translation (as if its entry were lost), the
    certification page fails the check."""
    *_, step_7, data_words = matrix
    # What the blank choice reads without the portal's catalogue entry (config.forms.BLANK_CHOICE_LABEL).
    monkeypatch.setattr(FileForm.base_fields["mentor"], "empty_label", "- Select an option -")
    misses, seen = _misses(client_of("xinbin"), [("step 7", step_7.get_absolute_url())], data_words)
    assert seen == 1
    assert any(" Select «- Select an option -»" in miss for miss in misses), misses
