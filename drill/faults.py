"""The faults, one after the other, against the running portal:

(a) PostgreSQL restarted (pg_ctl restart -m fast) while an import is being confirmed and while a step is
    being passed. To be sure the restart lands inside the request's transaction, the drill first locks the
    village's region row from its own connection: the request writes its rows, then waits for that lock
    (seen in pg_stat_activity) when it recounts the village's figures, and the restart ends it there. The
    user must get the 503 page that says the database is away, and the rows must be all or nothing; the
    same form sent again afterwards must then succeed, once.
(b) PostgreSQL stopped: /healthz answers 503 and a page the 503 page; started again: /healthz 200 and every
    gunicorn worker serves pages, gunicorn never restarted.
(c) A db_worker killed (SIGKILL) in the middle of a background job (the registration forms of a village,
    one PDF each): the job stays "running" with one attempt; once it counts as stalled (30 minutes without
    progress: the drill moves its last progress back rather than wait) its owner retries it from its page,
    and a new worker runs it to the end once: one file, every form in it, two attempts counted.
"""

import contextlib
import io
import json
import threading
import time
import zipfile
from dataclasses import dataclass

import openpyxl
from django.db import connections
from django.utils import translation

from config.database_errors import unavailable_message
from drill.browser import Browser, DrillError, Recorder
from drill.cluster import Cluster, wait_until
from drill.forms import post_forms
from drill.load import PASSWORD, spreadsheet, template_village, upload
from drill.portal import Portal

ANY = tuple(range(100, 600))


@dataclass
class Answer:
    status: int = 0
    text: str = ""
    error: str = ""


def _close_django() -> None:
    """The drill's own Django connections do not survive a restart: reconnect on next use."""
    for connection in connections.all():
        connection.close()


def _message() -> str:
    with translation.override("zh-hans"):
        return unavailable_message()


def _clear(answer: Answer) -> bool:
    """The 503 page that says the database is away (not the 500 page with its error reference)."""
    return answer.status == 503 and _message() in answer.text


def _during_restart(cluster: Cluster, dbname: str, village: str, send) -> tuple[Answer, bool, float]:
    """`send()` in a thread while the drill holds the village's region row; PostgreSQL restarted once the
    request waits for it. Returns the answer, whether the request was seen waiting, and the restart's
    seconds."""
    holder = cluster.connect(dbname)
    holder.execute("SELECT code FROM villages_region WHERE code = %s FOR UPDATE", [village])
    answer = Answer()

    def request():
        try:
            response = send()
            answer.status, answer.text = response.status, response.text
        except DrillError as error:
            answer.error = str(error)

    thread = threading.Thread(target=request, daemon=True)
    thread.start()
    me = holder.info.backend_pid

    def waiting() -> bool:
        with cluster.connect(dbname, autocommit=True) as probe:
            return bool(
                probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s", [me]
                ).fetchone()[0]
            )

    seen = wait_until(waiting, seconds=30, every=0.05) is not None
    started = time.monotonic()
    cluster.restart("fast")
    seconds = time.monotonic() - started
    thread.join(timeout=120)
    with contextlib.suppress(Exception):  # its server went away, as intended
        holder.close()
    _close_django()
    return answer, seen, seconds


def _outcome(found: int, wanted: int) -> str:
    return "none" if found == 0 else "all" if found == wanted else f"partial({found}/{wanted})"


def import_restart(cluster: Cluster, dbname: str, port: int, recorder: Recorder, shared) -> dict:
    """(a) An import confirmed while PostgreSQL restarts, then confirmed again."""
    browser = Browser(port, recorder)
    browser.login("yushu", PASSWORD)
    village = template_village(browser)
    content = spreadsheet(village, shared)
    numbers = _id_numbers(content)
    preview_path = upload(browser, content)
    preview = browser.get(preview_path)

    def confirm():
        return browser.post(preview_path, {}, token=preview.csrf(), expect=ANY)

    answer, seen, seconds = _during_restart(cluster, dbname, village, confirm)
    written = _count(cluster, dbname, "candidates_candidate", "id_number = ANY(%s)", numbers)
    preview = browser.get(preview_path)
    again = browser.post(preview_path, {}, token=preview.csrf(), expect=(302,))
    after = _count(cluster, dbname, "candidates_candidate", "id_number = ANY(%s)", numbers)
    return {
        "import_status": answer.status,
        "import_clear": _clear(answer),
        "import_waited": seen,
        "import_fault": _outcome(written, len(numbers)),
        "import_retry": _outcome(after, len(numbers)) if again.location == "/candidates/" else "refused",
        "restart_s": round(seconds, 1),
        "_answer": answer,
        "_numbers": numbers,
    }


def step_restart(cluster: Cluster, dbname: str, port: int, recorder: Recorder, id_number: str) -> dict:
    """(a) A step passed while PostgreSQL restarts, then passed again: recorded once. The person is one
    the import fault nominated (step 1)."""
    browser = Browser(port, recorder)
    browser.login("yushu", PASSWORD)
    with cluster.connect(dbname, autocommit=True) as conn:
        pk, village = conn.execute(
            "SELECT t.id, c.village_id FROM candidates_certification t JOIN candidates_candidate c "
            "ON c.id = t.candidate_id WHERE c.id_number = %s",
            [id_number],
        ).fetchone()
    path = f"/candidates/certifications/{pk}/"
    page = browser.get(path)
    form = next(f for f in post_forms(page.text) if "expected_step" in f.fields)
    fields = {"expected_step": form.fields["expected_step"], "decision": "pass", "opinion": ""}
    before = _count(cluster, dbname, "candidates_certificationstep", "certification_id = %s", pk)

    def send():
        return browser.post(path, fields, token=page.csrf(), expect=ANY)

    answer, seen, seconds = _during_restart(cluster, dbname, village, send)
    written = _count(cluster, dbname, "candidates_certificationstep", "certification_id = %s", pk) - before
    step_now = cluster.sql("SELECT step FROM candidates_certification WHERE id = %s", pk, dbname=dbname)
    page = browser.get(path)
    again = browser.post(path, fields, token=page.csrf(), expect=(302,))
    after = _count(cluster, dbname, "candidates_certificationstep", "certification_id = %s", pk) - before
    step_after = cluster.sql("SELECT step FROM candidates_certification WHERE id = %s", pk, dbname=dbname)
    return {
        "step_status": answer.status,
        "step_clear": _clear(answer),
        "step_waited": seen,
        "step_fault": (
            "none" if written == 0 and step_now == 1 else "all" if written == 1 else f"partial({written})"
        ),
        "step_retry": (
            "once" if after == 1 and step_after == 2 and again.location == path else f"{after} rows"
        ),
        "restart_s": round(seconds, 1),
        "_answer": answer,
    }


def database_down(cluster: Cluster, port: int, recorder: Recorder, workers: int) -> dict:
    """(b) /healthz and a page while PostgreSQL is stopped, and after it is started again."""
    browser = Browser(port, recorder)
    browser.login("city", PASSWORD)
    cluster.stop("fast")
    try:
        health = browser.get("/healthz", expect=ANY)
        page = browser.get("/candidates/", expect=ANY)
        page_answer = Answer(page.status, page.text)
    finally:
        started = time.monotonic()
        cluster.start()
    _close_django()

    def healthy() -> bool:
        try:
            return browser.get("/healthz", expect=ANY).status == 200
        except DrillError:
            return False

    back = wait_until(healthy, seconds=60, every=0.2)
    recovered = time.monotonic() - started
    # Every gunicorn worker must have reconnected: a few rounds of pages, all 200.
    served = 0
    for _ in range(workers * 3):
        for path in ("/", "/candidates/", "/reports/summary.json"):
            browser.get(path)
            served += 1
    return {
        "healthz_down": health.status,
        "page_down": page_answer.status,
        "page_down_clear": _clear(page_answer),
        "healthz_after": 200 if back is not None else 503,
        "recovery_s": round(recovered, 1),
        "pages_after": served,
    }


def killed_worker(cluster: Cluster, dbname: str, port: int, recorder: Recorder, portal: Portal) -> dict:
    """(c) A worker killed in the middle of a job; the job stalled, retried, run once."""
    if not portal.worker_alive():
        portal.start_worker()
    browser = Browser(port, recorder)
    browser.login("yushu", PASSWORD)
    village = template_village(browser)
    listing = browser.get(f"/candidates/?region={village}")
    form = next(f for f in post_forms(listing.text) if f.action.startswith("/jobs/registration-forms/"))
    asked = browser.post(form.action, {}, token=listing.csrf())
    job_path = asked.location
    pk = int(job_path.strip("/").split("/")[-1])

    def status() -> dict:
        return json.loads(browser.get(f"/jobs/{pk}/status.json").body)

    if wait_until(lambda: status()["done"] >= 2, seconds=120, every=0.2) is None:
        raise DrillError(f"job {pk} made no progress within 120 s")
    portal.kill_worker()
    killed = status()
    state, attempts = _job(cluster, dbname, pk)
    retry_before = killed["can_retry"]
    # Thirty minutes without progress, as the drill cannot wait them: the job's last move, moved back.
    cluster.sql(
        "UPDATE jobs_job SET updated_at = updated_at - interval '31 minutes' WHERE id = %s", pk, dbname=dbname
    )
    stalled = status()
    portal.start_worker()
    page = browser.get(job_path)
    browser.post(f"/jobs/{pk}/retry/", {}, token=page.csrf(), referer=job_path)
    started = time.monotonic()
    if wait_until(lambda: status()["finished"], seconds=300, every=0.5) is None:
        raise DrillError(f"job {pk} did not finish after its retry")
    seconds = time.monotonic() - started
    final = status()
    state_after, attempts_after = _job(cluster, dbname, pk)
    download = browser.get(f"/jobs/{pk}/download/")
    forms_in_zip = len(zipfile.ZipFile(io.BytesIO(download.body)).namelist())
    runs = cluster.sql(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL' "
        "AND args_kwargs -> 'args' -> 0 = to_jsonb(%s::int)",
        pk,
        dbname=dbname,
    )
    return {
        "job_forms": final["total"],
        "job_killed_at": f"{killed['done']}/{killed['total']}",
        "job_state_killed": state,
        "job_attempts_killed": attempts,
        "job_retry_before_stalled": retry_before,
        "job_retryable": stalled["can_retry"],
        "job_state": state_after,
        "job_attempts": attempts_after,
        "job_runs": runs,
        "job_files": forms_in_zip,
        "job_retry_s": round(seconds, 1),
    }


def _job(cluster: Cluster, dbname: str, pk: int) -> tuple[str, int]:
    with cluster.connect(dbname, autocommit=True) as conn:
        return conn.execute("SELECT state, attempts FROM jobs_job WHERE id = %s", [pk]).fetchone()


def _count(cluster: Cluster, dbname: str, table: str, where: str, value) -> int:
    return cluster.sql(f"SELECT count(*) FROM {table} WHERE {where}", value, dbname=dbname)


def _id_numbers(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("身份证号")
    return [str(row[column]) for row in rows[1:]]
