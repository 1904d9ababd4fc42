"""What `make bench` measures, each as the server sees it (in-process test client, warm, median of 20)
or, for requests per second, as a client sees it (wrk against gunicorn with production settings)."""

import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.reference import summary_by_sql
from bench.setup import ROOT
from candidates.choices import Status
from candidates.models import Candidate
from mentoring.models import MentoringVisit
from reports.management.commands.seed_demo import PROVINCE_CANDIDATES
from reports.summary import default_year, summary
from villages.models import Region, Village

WARM_RUNS = 20
PROVINCE = "210000000000"
CITY = "210400000000"
CITY_ACTIVE = 5601
# The deepest list page measured: a province user's list of 110,000 people has about 2,200.
DEEP_PAGE = 2000
LIST_PAGE = 50


def load_demo(*, scale: str, candidates: int | None, reseed: bool) -> str:
    """The demo of `scale`, loaded unless the database already holds it at about that size."""
    wanted = CITY_ACTIVE if scale == "city" else candidates or PROVINCE_CANDIDATES
    villages = Village.objects.count()
    active = Candidate.objects.filter(status=Status.ACTIVE).count() if villages else 0
    province_loaded = villages > 10_000
    if not reseed and province_loaded == (scale == "province") and abs(active - wanted) <= 0.03 * wanted:
        return f"demo: reused ({villages:,} villages, {active:,} active candidates; --reseed loads it again)"
    out = io.StringIO()
    started = time.monotonic()
    call_command("seed_demo", scale=scale, candidates=candidates, force=True, stdout=out)
    return f"demo: loaded in {time.monotonic() - started:.0f} s\n" + "\n".join(
        line for line in out.getvalue().splitlines() if line.strip()
    )


def _client(username: str) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(User.objects.get(username=username))
    return client


def timed(client: Client, url: str, runs: int = WARM_RUNS) -> tuple[float, int]:
    """Median milliseconds of `runs` warm GETs of `url`, and the queries of one."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries)


def _median_ms(function, runs: int = WARM_RUNS) -> float:
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


@contextmanager
def undone():
    """Whatever the block writes is rolled back: the bench leaves its database as it found it."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


class _Undo(Exception):
    pass


def run_all(record, *, scale: str) -> dict:
    """Everything measured in process; returns what the requests-per-second runs reuse."""
    watcher = _client("province" if scale == "province" else "city")
    region = PROVINCE if scale == "province" else CITY
    prefix = region[:2] if scale == "province" else region[:4]
    year = default_year()

    ms, queries = timed(watcher, f"/reports/summary.json?region={region}&year={year}")
    record(f"summary.json, {Region.objects.get(code=region).name}", "summary_ms", round(ms, 2), "ms", queries)
    portal = summary(region=Region.objects.get(code=region), year=year)
    reference = summary_by_sql(prefix, year)
    same = all(portal[part] == reference[part] for part in reference)
    sql_ms = _median_ms(lambda: summary_by_sql(prefix, year))
    with CaptureQueriesContext(connection) as statements:
        summary_by_sql(prefix, year)
    record(
        "the same figures by hand-written SQL on the base tables",
        "summary_sql_ms",
        round(sql_ms, 1),
        "ms",
        len(statements),
        "same figures" if same else "FIGURES DIFFER",
    )
    record("summary_ms / summary_sql_ms", "summary_ratio", round(ms / sql_ms, 4), "")

    county = (
        Candidate.objects.filter(village__region__code__startswith=prefix)
        .values("village__region__parent__parent")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    county_code, county_rows = county["village__region__parent__parent"], county["n"]
    # Page 50, or the county's last full page: a short last page would flatter the figure.
    page = max(1, min(LIST_PAGE, county_rows // 50))
    ms, queries = timed(watcher, f"/candidates/?region={county_code}&sort=name&page={page}")
    record(
        f"candidate list, county {county_code} ({county_rows:,} people), page {page}, by name",
        "list_ms",
        round(ms, 1),
        "ms",
        queries,
    )
    figures_queries = queries
    record("queries of that list page", "list_queries", figures_queries, "")
    total = Candidate.objects.filter(village__region__code__startswith=prefix).count()
    deep = min(DEEP_PAGE, -(-total // 50))
    ms, queries = timed(watcher, f"/candidates/?sort=name&page={deep}")
    record(
        f"candidate list, whole region ({total:,} people), page {deep}, by name",
        "list_deep_ms",
        round(ms, 1),
        "ms",
        queries,
    )
    ms, queries = timed(watcher, f"/candidates/?region={CITY}&sort=name&page={LIST_PAGE}")
    record(f"candidate list, city {CITY}, page {LIST_PAGE}, by name", None, round(ms, 1), "ms", queries)

    longest = (
        MentoringVisit.objects.filter(candidate__village__region__code__startswith=prefix)
        .values("candidate")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("candidate", "n")
        .first()
    )
    ms, queries = timed(watcher, f"/candidates/{longest[0]}/")
    record(
        f"candidate detail, {longest[1]} mentoring visits on the timeline",
        "detail_ms",
        round(ms, 1),
        "ms",
        queries,
    )
    record("queries of that detail page", "detail_queries", queries, "")
    ms, queries = timed(watcher, f"/reports/?region={region}&year={year}")
    record("dashboard of the whole region", "dashboard_ms", round(ms, 1), "ms", queries)

    from bench.export import measure_export, measure_import

    rows, seconds = measure_export(watcher, region)
    record(
        f"candidate export, {rows:,} rows",
        "export_rows_per_s",
        round(rows / seconds),
        "rows/s",
        None,
        f"{seconds:.1f} s",
    )
    with undone():
        township = User.objects.get(username="yushu")
        rows, seconds = measure_import(township, rows=10_000)
    record(
        f"import of a {rows:,}-row spreadsheet, checked and written",
        "import_rows_per_s",
        round(rows / seconds),
        "rows/s",
        None,
        f"{seconds:.1f} s, rolled back after",
    )
    return {"county": county_code}


def requests_per_second(record, *, url: str, county: str, seconds: int, connections: int) -> None:
    """wrk against gunicorn (production settings, 2 workers) on the list, the dashboard and a bare view."""
    wrk = shutil.which("wrk")
    if not wrk:
        record("requests per second: wrk is not installed (apt-get install wrk)", None, 0, "")
        return
    client = _client("province" if Village.objects.count() > 10_000 else "city")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
        "SECURE_SSL_REDIRECT": "False",
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        _wait_for(port)
        region = PROVINCE if Village.objects.count() > 10_000 else CITY
        pages = {
            "rps_list": f"/candidates/?region={county}&sort=name",
            "rps_dashboard": f"/reports/?region={region}",
            "rps_hello": "/bench/hello/",
        }
        measured = {}
        for key, path in pages.items():
            rate, errors = _wrk(wrk, f"http://127.0.0.1:{port}{path}", session, seconds, connections)
            measured[key] = rate
            record(
                f"requests/s, {path} ({connections} connections, {seconds} s)",
                key,
                round(rate, 1),
                "req/s",
                None,
                f"{errors} errors",
            )
        record(
            "rps_list / rps_hello",
            "rps_ratio_list",
            round(measured["rps_list"] / measured["rps_hello"], 3),
            "",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wrk(wrk: str, url: str, session: str, seconds: int, connections: int) -> tuple[float, int]:
    headers = [f"Cookie: sessionid={session}", "Accept-Language: zh-hans", "X-Forwarded-Proto: https"]
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    # A short warm-up, so each worker has its connection and its templates loaded.
    subprocess.run([*command[:2], "-c2", "-d2s", *command[4:], url], capture_output=True, check=True)
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec:")))
    # "Non-2xx or 3xx responses: 12" and "Socket errors: connect 0, read 0, write 0, timeout 3".
    errors = sum(
        int(word.strip(","))
        for line in out.splitlines()
        if line.strip().startswith(("Non-2xx", "Socket errors"))
        for word in line.split(":", 1)[1].split()
        if word.strip(",").isdigit()
    )
    return rate, errors


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {seconds} s")
