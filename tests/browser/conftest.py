"""Real-browser tests: Playwright for Python driving Debian's Chromium against `live_server`.

Playwright's own browsers are never installed: `.ci/run` installs Debian's `chromium` and the CJK fonts;
without /usr/bin/chromium these tests are skipped with the reason. Each journey saves screenshots of
its key pages under test-artifacts/browser/ (ignored by git), named by page and window width.

The live server answers from another thread, so the tests are transactional: the database holds what
they commit and is flushed after each. Each test therefore loads the demo first (`seed_demo`, ~12 s).
"""

import io
import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command

from tests.browser.support import DESKTOP, PASSWORD, PHONE

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def chromium(monkeypatch):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; the ORM calls beside it (loading the
    # demo, reading what a journey wrote) are plain blocking calls, which Django would otherwise refuse
    # there. Set, and the browser started, for one test at a time: its event loop would be seen by the
    # tests after it, and `check --deploy` (tests/test_deploy.py) refuses the setting.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_server(live_server, transactional_db):
    """The live server, with the city-scale demo in its (freshly flushed) database, and an empty cache.

    The flush also erased what data migrations wrote, which seed_demo keeps rather than loads: the default
    selection standards (candidates/0003), without which step 2 of a certification can never pass."""
    import_module("candidates.migrations.0003_default_selection_standards").create_defaults(apps, None)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    # And a fresh cache, as after a deploy: the objections other tests of this process filed from 127.0.0.1
    # count against the public form's limit per address (candidates/views/notices.py).
    cache.clear()
    return live_server


@pytest.fixture
def browse(chromium, demo_server):
    """`browse("yushu", width=390)`: a new browser context at that width, logged in as the demo user
    through the login form (None: an anonymous visitor); returns its page."""
    contexts = []

    def open_page(username=None, *, width=DESKTOP):
        context = chromium.new_context(
            viewport={"width": width, "height": 900 if width > PHONE else 844},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = demo_server.url  # for `url(page, "/candidates/")`
        page.width = width
        if username:
            page.goto(f"{demo_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.press("input[name=password]", "Enter")
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    yield open_page
    for context in contexts:
        context.close()
