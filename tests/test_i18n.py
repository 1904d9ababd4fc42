"""Every user-facing string is translatable and the zh-hans catalogue is complete and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ("accounts", "villages", "candidates", "mentoring", "reports", "config", "templates")


def test_the_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_the_catalogue_holds_every_string_of_the_sources(tmp_path):
    """makemessages on a copy of the sources finds nothing the committed catalogue lacks."""
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(tmp_path),
        },
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    assert not fresh - committed, (
        f"strings missing from the catalogue (run `make messages`): {fresh - committed}"
    )


def test_the_compiled_catalogue_is_current():
    """Django, reading the compiled .mo, translates every entry as the .po says."""
    stale = []
    with translation.override("zh-hans"):
        for entry in polib.pofile(str(PO)):
            if entry.obsolete or entry.msgid_plural:
                continue
            got = (
                translation.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else translation.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                stale.append(entry.msgid)
    assert not stale, f"compile the catalogue (`make messages`): {stale[:10]}"


@pytest.mark.django_db
def test_pages_are_chinese_unless_the_user_switches_to_english():
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "登录" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page and "登录" not in page


@pytest.mark.django_db
def test_an_empty_choice_is_offered_in_chinese_where_django_has_no_translation(client_of):
    """Django 6.1's "- Select an option -" (a choice field's blank) is missing from Django's zh-hans
    catalogue; step 7's mentor list showed it in English."""
    from candidates.models import Certification

    certification = Certification.objects.filter(
        step=7, state="in_progress", candidate__village__region__code__startswith="210422"
    ).first()
    page = client_of("xinbin").get(certification.get_absolute_url()).content.decode()
    assert "Select an option" not in page
    assert "- 请选择 -" in page
