"""The load: 20 logged-in users of every role replaying their working day against gunicorn for a minute.

Each user logs in through the login form, then loops until the time is up: pages of their role (the work
queue, the candidate list with filters and a name search, a person's page, the villages, the dashboard,
summary.json, the Excel export), and the writes of their role, each through the page's own POST form:
township officials import a small spreadsheet of new people and confirm it, then take the nominations
through steps 1–4; county reviewers approve (step 5), publish notices, pass ended notices (step 6) and file
(step 7) with a mentor; the mentor logs visits. Two users never work on the same person at once (a claim
shared by the threads), so every pass they send is a step taken.

What was written is counted here, from the answers the users saw; the drill compares the counts with the
rows in the database afterwards.
"""

import datetime
import io
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field

import openpyxl
from django.utils import translation

from candidates.identity import synthetic_id_number
from candidates.imports.columns import HEADERS
from drill.browser import Browser, DrillError, Recorder, links
from drill.forms import post_forms

PASSWORD = "fushun-demo"
# Accounts and how many of the 20 users log in as each (a township office has more than one clerk).
USERS = {
    "yushu": 3,
    "yongling": 3,
    "yingemen": 2,
    "qianjin": 2,
    "xinbin": 3,
    "qingyuan": 2,
    "mentor": 2,
    "city": 2,
    "admin": 1,
}
TOWNSHIP = {"yushu", "yongling", "yingemen", "qianjin"}
COUNTY = {"xinbin", "qingyuan"}
TOWNSHIP_STEPS, COUNTY_STEPS = (1, 2, 3, 4), (5, 6, 7)
ROWS_PER_IMPORT = 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# People of the drill are born in 西城区, Beijing: no demo record has such an ID number.
AREA = "110102"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "志强", "秀英", "桂兰", "海涛", "春梅", "立新", "玉珍", "永福", "丽华", "德明", "凤霞"]
SEARCHES = ["王", "李", "张", "刘", "陈"]
LIST_FILTERS = [
    "status=active&sort=name",
    "overdue=1",
    "committee=1",
    "reserve=secretary",
    "step=3",
    "stage=party_member",
    "source=grower&page=2",
]
# Villages of 抚顺县 and 清原 (5 and 7 people): the city prints their registration forms during the load.
PRINTED_VILLAGES = ["210421100214", "210423102201"]
_CANDIDATE = r'href="/candidates/(\d+)/"'
_CERTIFICATION = r'href="(/candidates/certifications/\d+/)"'
_ALERT = re.compile(r'<div class="alert alert-danger[^>]*>(.*?)</div>', re.S)


@dataclass
class Shared:
    """What the users' threads share: the recorder, the claims, the counts of what they wrote."""

    recorder: Recorder
    port: int
    deadline: float
    think: float
    claimed: set = field(default_factory=set)
    waiting: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    serial: int = 0
    certifications: set = field(default_factory=set)
    printed: set = field(default_factory=set)
    jobs: list = field(default_factory=list)

    def claim(self, key) -> bool:
        with self.lock:
            if key in self.claimed or key in self.waiting:
                return False
            self.claimed.add(key)
            return True

    def release(self, key, *, wait: bool = False) -> None:
        with self.lock:
            self.claimed.discard(key)
            if wait:
                self.waiting.add(key)

    def next_serial(self) -> int:
        with self.lock:
            self.serial += 1
            return self.serial

    def time_left(self) -> bool:
        return time.monotonic() < self.deadline


def run(*, port: int, seconds: float, think: float, recorder: Recorder) -> dict:
    """The load for `seconds`; returns the counts of what the users wrote."""
    shared = Shared(recorder=recorder, port=port, deadline=0.0, think=think)
    users = [name for name, n in USERS.items() for _ in range(n)]
    browsers = []
    for name in users:  # logged in first: the minute measures the working day, not 20 logins at once
        browser = Browser(port, recorder)
        browser.login(name, PASSWORD)
        browsers.append((name, browser))
    shared.deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_user, args=(name, browser, shared, n), daemon=True)
        for n, (name, browser) in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    recorder.counts["certifications touched"] = len(shared.certifications)
    recorder.counts["jobs done"] = finish_jobs(shared.jobs)
    return dict(recorder.counts)


def _user(name: str, browser: Browser, shared: Shared, n: int) -> None:
    """One errand per turn, chosen by the role's weights, then a moment's pause."""
    rng = random.Random(n)
    errands = _errands(name)
    if _print_forms in errands:  # city staff print their forms first, so the worker runs under the load
        errands.pop(_print_forms)
        try:
            _print_forms(name, browser, shared, rng)
        except DrillError:
            pass
        except Exception as error:
            shared.recorder.error(f"{name}: drill failure {error!r}")
    while shared.time_left():
        errand = rng.choices(list(errands), weights=list(errands.values()))[0]
        try:
            errand(name, browser, shared, rng)
        except DrillError:
            pass  # recorded as an error where it happened; the user goes on with the next errand
        except Exception as error:  # a bug of the drill's own is an error, never silent
            shared.recorder.error(f"{name}: drill failure {error!r}")
        time.sleep(rng.uniform(0, shared.think))


def _errands(name: str) -> dict:
    if name in TOWNSHIP:
        return {_import: 3, _township_steps: 4, _reads: 3}
    if name in COUNTY:
        return {_county_steps: 6, _reads: 4}
    if name == "mentor":
        return {_visit: 5, _reads: 5}
    if name == "city":
        return {_print_forms: 1, _reads: 1}
    return {_reads: 1}


def _township_steps(name, browser, shared, rng) -> None:
    _steps(browser, shared, TOWNSHIP_STEPS, rng)


def _county_steps(name, browser, shared, rng) -> None:
    _steps(browser, shared, COUNTY_STEPS, rng)


# Reads -----------------------------------------------------------------------------------------------


def _reads(name: str, browser: Browser, shared: Shared, rng: random.Random) -> None:
    """A few pages: the work queue or a filtered list, a search and a person, and one more of the role's."""
    listing = browser.get(rng.choice(["/", f"/candidates/?{rng.choice(LIST_FILTERS)}"]))
    found = browser.get(f"/candidates/?q={rng.choice(SEARCHES)}")
    people = links(found, _CANDIDATE) or links(listing, _CANDIDATE)
    if people:
        browser.get(f"/candidates/{rng.choice(people)}/")
    pages = ["/villages/", "/villages/reserves/", "/mentoring/visits/", "/reports/dynamic/", "/mentoring/"]
    if name != "mentor":  # mentors have no dashboard (403 by design)
        pages += ["/reports/", "/reports/summary.json", "/reports/summary.json", "export"]
    page = rng.choice(pages)
    if page == "export":
        answer = browser.get(f"/candidates/export.xlsx?{rng.choice(['q=王', 'status=active', 'overdue=1'])}")
        if not answer.body.startswith(b"PK"):
            raise DrillError(f"GET /candidates/export.xlsx: not a workbook ({answer.status})")
        shared.recorder.add("exports")
    else:
        browser.get(page)


# Imports ---------------------------------------------------------------------------------------------


def spreadsheet(village_code: str, shared: Shared, rows: int = ROWS_PER_IMPORT) -> bytes:
    """A valid import file (DESIGN §9's columns) of `rows` new people of `village_code`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for _ in range(rows):
        serial = shared.next_serial()
        male = serial % 2 == 1
        born = datetime.date(1986, 1, 1) + datetime.timedelta(days=serial // 400)
        name = SURNAMES[serial % len(SURNAMES)] + GIVEN[serial % len(GIVEN)]
        sheet.append(
            [
                name,
                "男" if male else "女",
                "汉族",
                synthetic_id_number(AREA, born, serial % 400, male),
                f"139{serial:08d}",
                "高中",
                "群众",
                "种养大户",
                village_code,
                "食用菌",
                8.5,
                "村党组织",
                "带头种植食用菌，带动农户增收",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_village(browser: Browser) -> str:
    """The village of the import template's example row: one of the user's own."""
    template = browser.get("/candidates/import/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(template.body), read_only=True).worksheets[0]
    headers, example = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    return str(example[headers.index("村代码")])


def upload(browser: Browser, content: bytes) -> str:
    """Upload a file on the import page; the path of its preview."""
    page = browser.get("/candidates/import/")
    sent = browser.upload(
        "/candidates/import/",
        {},
        {"file": ("drill.xlsx", XLSX, content)},
        token=page.csrf(),
    )
    if not re.fullmatch(r"/candidates/import/\d+/", sent.location):
        raise DrillError(f"upload went to {sent.location!r}")
    return sent.location


def _import(name: str, browser: Browser, shared: Shared, rng: random.Random) -> None:
    preview_path = upload(browser, spreadsheet(template_village(browser), shared))
    preview = browser.get(preview_path)
    confirmed = browser.post(preview_path, {}, token=preview.csrf())
    if confirmed.location != "/candidates/":
        raise DrillError(f"{name}: the import was not confirmed ({confirmed.location!r})")
    browser.get("/candidates/")
    shared.recorder.add("imports")
    shared.recorder.add("rows imported", ROWS_PER_IMPORT)


# Certification steps -------------------------------------------------------------------------------


def _steps(browser: Browser, shared: Shared, steps: tuple[int, ...], rng: random.Random) -> None:
    """Claim one person at one of `steps` and take their certification as far as the role may."""
    for step in rng.sample(steps, len(steps)):
        listing = browser.get(f"/candidates/?step={step}&sort=name")
        for candidate in links(listing, _CANDIDATE):
            if not shared.claim(candidate):
                continue
            wait = False
            try:
                wait = _advance(browser, shared, candidate, steps)
            finally:
                shared.release(candidate, wait=wait)
            return


def _advance(browser: Browser, shared: Shared, candidate: str, steps: tuple[int, ...]) -> bool:
    """Pass step after step while the role may; True when the person waits for something else (a notice
    running), so that nobody claims them again during the drill."""
    person = browser.get(f"/candidates/{candidate}/")
    certifications = links(person, _CERTIFICATION)
    if not certifications:
        return True
    path = max(certifications, key=lambda p: int(p.strip("/").split("/")[-1]))
    page = browser.get(path)
    while shared.time_left():
        form = next((f for f in post_forms(page.text) if "expected_step" in f.fields), None)
        if form is None:
            return False  # filed, rejected, or at a step of another role
        step = int(form.fields["expected_step"])
        if step not in steps:
            return False
        passing = form.button("pass")
        if passing is None:
            return True
        if passing[2]:  # disabled: the notice is missing or still runs
            if step == 6 and _no_notice_yet() in page.text:
                _publish_notice(browser, shared, path, page)
            return True
        fields = _fill(step, form)
        fields["decision"] = "pass"
        answer = browser.post(path, fields, token=page.csrf(), expect=(302, 200))
        if answer.status == 200:
            refusal = _ALERT.search(answer.text)
            reason = re.sub(r"<[^>]+>|\s+", " ", refusal.group(1)).strip() if refusal else "no message"
            shared.recorder.error(f"POST {path} step {step}: refused: {reason[:160]}")
            return True
        shared.recorder.add(f"step {step} passed")
        shared.recorder.add("steps passed")
        with shared.lock:
            shared.certifications.add(path)
        page = browser.get(answer.location)
    return False


def _fill(step: int, form) -> dict:
    fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    today = datetime.date.today().isoformat()
    if step == 2:
        for name in form.checkboxes:  # the official checked each standard with the person
            fields[name] = "on"
    elif step == 3:
        fields |= {"meeting_date": today, "meeting_decision": "同意推荐", "votes_for": 41, "votes_total": 45}
    elif step == 4:
        fields |= {
            "vetting_talks": "个别谈话8人",
            "vetting_visits": "走访群众12户",
            "vetting_opinions": "群众认可",
        }
    elif step == 5:
        fields["opinion"] = "同意"
    elif step == 7:
        mentors = [value for value in form.selects.get("mentor", []) if value]
        fields |= {"filed_on": fields.get("filed_on") or today, "mentor": mentors[0] if mentors else ""}
    return fields


def _no_notice_yet() -> str:
    """The blocker the page shows before a notice is published, as the Chinese page words it."""
    with translation.override("zh-hans"):
        return translation.gettext("Publish the public notice first.")


def _publish_notice(browser: Browser, shared: Shared, path: str, page) -> None:
    """The county publishes the notice from today; the person then waits out its working days."""
    action = path + "notice/"
    browser.post(action, {"start_date": datetime.date.today().isoformat()}, token=page.csrf(), referer=path)
    shared.recorder.add("notices published")


# A background job ------------------------------------------------------------------------------------


def _print_forms(name: str, browser: Browser, shared: Shared, rng: random.Random) -> None:
    """Once per user: the registration forms of one village's people, a job for the db_worker; the user
    follows its page until it is done (the drill waits for the last ones after the minute)."""
    with shared.lock:
        if name in shared.printed:
            return
        shared.printed.add(name)
    listing = browser.get(f"/candidates/?region={rng.choice(PRINTED_VILLAGES)}")
    form = next(f for f in post_forms(listing.text) if f.action.startswith("/jobs/registration-forms/"))
    asked = browser.post(form.action, {}, token=listing.csrf())
    if not re.fullmatch(r"/jobs/\d+/", asked.location):
        raise DrillError(f"the forms job was not created ({asked.location!r})")
    browser.get(asked.location)
    with shared.lock:
        shared.jobs.append((browser, asked.location))
    shared.recorder.add("jobs")


def finish_jobs(shared_jobs: list, seconds: float = 180) -> int:
    """Follow each job's status until it is done; how many were done in time."""
    done = 0
    deadline = time.monotonic() + seconds
    for browser, path in shared_jobs:
        while time.monotonic() < deadline:
            status = json.loads(browser.get(f"{path}status.json").body)
            if status["finished"]:
                done += status["state"] == "done"
                break
            time.sleep(0.5)
    return done


# Mentoring visits ------------------------------------------------------------------------------------


def _visit(name: str, browser: Browser, shared: Shared, rng: random.Random) -> None:
    home = browser.get("/mentoring/")
    mentees = links(home, r'href="/candidates/(\d+)/"')
    if not mentees:
        listing = browser.get("/candidates/?status=active")
        mentees = links(listing, _CANDIDATE)
    candidate = rng.choice(mentees)
    path = f"/mentoring/candidates/{candidate}/visits/new/"
    page = browser.get(path)
    form = next(f for f in post_forms(page.text) if "date" in f.fields)
    kinds = [value for value in form.selects.get("form", []) if value]
    fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    fields |= {
        "form": rng.choice(kinds),
        "content": "了解合作社经营情况",
        "problems": "缺少冷库",
        "follow_up": "协调乡里",
    }
    answer = browser.post(path, fields, token=page.csrf())
    if answer.location != f"/candidates/{candidate}/":
        raise DrillError(f"the visit was not logged ({answer.location!r})")
    browser.get(answer.location)
    browser.recorder.add("visits logged")
