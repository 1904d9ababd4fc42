"""The load-and-faults drill: `make drill` (or `python -m drill`). Prints figures; exits 1 when a check fails.

On a PostgreSQL cluster of its own (initdb into a temporary directory, a free port from 5440, removed at
the end, also after a failure or ctrl-C), so that it may restart and stop the database at will; the shared
server on 5432 is never touched. It loads the city demo, starts gunicorn with production settings and a
db_worker, and then:

1. load: 20 logged-in users of every role for a minute (reads, imports, the seven steps, visits, a job),
   then reports/invariants.py and the rows written against what the users were told;
2. faults: PostgreSQL restarted during an import and during a step, stopped and started under /healthz,
   a db_worker killed during a job;
3. backup and restore: pg_dump -Fc, pg_restore into a new database, every table compared.

The last line printed is `key=value` pairs (README, "Drill").
"""

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from drill.cluster import Cluster

DATABASE = "sanxiang_drill"


def arguments():
    parser = argparse.ArgumentParser(prog="python -m drill", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default 60)")
    parser.add_argument(
        "--think", type=float, default=0.5, help="longest pause between errands (default 0.5 s)"
    )
    parser.add_argument("--port", type=int, default=None, help="the cluster's port (default: free from 5440)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    return parser.parse_args()


def _interrupted(signum, frame):
    raise KeyboardInterrupt(signal.strsignal(signum))


def main():
    options = arguments()
    signal.signal(signal.SIGTERM, _interrupted)
    figures, rows, failures = {}, [], []

    def record(label: str, key: str | None, value, note: str = "", ok: bool = True):
        rows.append((label, value, note, ok))
        if key:
            figures[key] = value
        if not ok:
            failures.append(f"{label}: {value} {note}".strip())

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    started = time.monotonic()
    with Cluster(port=options.port) as cluster:
        print(
            f"cluster: PostgreSQL {cluster.sql('SHOW server_version').split()[0]}, "
            f"127.0.0.1:{cluster.port}, {cluster.root}"
        )
        cluster.create_database(DATABASE)
        env = _django(cluster.url(DATABASE))
        try:
            run_drill(cluster, env, options, record, figures)
        finally:
            _report(rows, figures, failures, time.monotonic() - started)
    sys.exit(1 if failures else 0)


def _django(url: str) -> dict:
    """Django in this process on the cluster, with the environment gunicorn and the worker get too."""
    from drill.portal import environment

    env = environment(url)
    os.environ.update(env)
    import django

    django.setup()
    return env


def run_drill(cluster: Cluster, env: dict, options, record, figures: dict) -> None:
    import redis

    from drill import checks, faults, load, restore
    from drill.browser import Recorder
    from drill.portal import Portal, manage

    step = time.monotonic()
    manage(env, "migrate", "--noinput")
    migrated = time.monotonic() - step
    manage(env, "seed_demo", "--force")
    print(
        f"demo: migrated in {migrated:.0f} s, city demo loaded in {time.monotonic() - step - migrated:.0f} s"
    )
    manage(env, "collectstatic", "--noinput", "-v0")
    redis.Redis.from_url(env["CACHE_URL"]).flushdb()  # the drill's own Redis database

    portal = Portal(env, cluster.root, workers=options.workers)
    portal.start()
    try:
        # 1. Load -----------------------------------------------------------------------------------
        marks = checks.Marks.now()
        recorder = Recorder()
        print(
            f"load: 20 users, {options.seconds:.0f} s, gunicorn {options.workers} workers on :{portal.port}"
        )
        counts = load.run(port=portal.port, seconds=options.seconds, think=options.think, recorder=recorder)
        timings = sorted(recorder.timings)
        record("requests", "requests", len(timings), f"{len(timings) / options.seconds:.1f}/s")
        record(
            "errors (5xx, unexpected 4xx, connection)", "errors", len(recorder.errors), ok=not recorder.errors
        )
        for error in recorder.errors[:5]:
            print(f"  error: {error}")
        record("median response", "p50_ms", round(statistics.median(timings)), "ms")
        record("95th percentile", "p95_ms", round(timings[int(0.95 * (len(timings) - 1))]), "ms")
        for what in (
            "imports",
            "rows imported",
            "steps passed",
            "notices published",
            "visits logged",
            "exports",
        ):
            record(f"  {what}", None, counts.get(what, 0))
        record(
            "  forms jobs done / asked",
            None,
            f"{counts.get('jobs done', 0)}/{counts.get('jobs', 0)}",
            ok=counts.get("jobs done", 0) == counts.get("jobs", 0),
        )
        steps = ", ".join(f"{n}: {counts.get(f'step {n} passed', 0)}" for n in range(1, 8))
        record("  steps passed by step", None, steps)
        violations = checks.rules()
        broken = {rule: found for rule, found in violations.items() if found}
        record(
            "invariants (reports/invariants.py)",
            "invariants",
            "ok" if not broken else "violated",
            "; ".join(f"{rule}: {found[:2]}" for rule, found in broken.items()),
            ok=not broken,
        )
        found, problems = checks.written(marks, counts)
        record(
            "rows written = what the users were told",
            "rows",
            "ok" if not problems else "differ",
            f"candidates {found['candidates']}, steps {found['steps']}, visits {found['visits']}, "
            f"notices {found['notices']}, certifications stepped {found['certifications_stepped']}"
            + ("; " + "; ".join(problems) if problems else ""),
            ok=not problems,
        )
        figures["imported"] = found["candidates"]
        figures["steps"] = found["steps"]

        # 2. Faults ---------------------------------------------------------------------------------
        recorder.recording = False  # the faults' own answers are judged one by one below
        faulted = Recorder()
        imported = faults.import_restart(cluster, DATABASE, portal.port, faulted, load_shared(recorder))
        answer = imported.pop("_answer")
        numbers = imported.pop("_numbers")
        record_restart(record, "import", "import confirmed", imported, answer, retried="all")
        record("    restart took", "restart_s", imported["restart_s"], "s")
        stepped = faults.step_restart(cluster, DATABASE, portal.port, faulted, numbers[0])
        record_restart(record, "step", "step passed", stepped, stepped.pop("_answer"), retried="once")
        restarts = _supervise(portal)
        down = faults.database_down(cluster, portal.port, faulted, options.workers)
        record(
            "(b) /healthz, database stopped",
            "healthz_down",
            down["healthz_down"],
            ok=down["healthz_down"] == 503,
        )
        record(
            "    a page, database stopped",
            "page_down",
            down["page_down"],
            "the 503 page" if down["page_down_clear"] else "",
            ok=down["page_down_clear"],
        )
        record(
            "    /healthz, database started again",
            "healthz_after",
            down["healthz_after"],
            f"after {down['recovery_s']} s",
            ok=down["healthz_after"] == 200,
        )
        record(
            "    pages served after, gunicorn not restarted",
            "pages_after",
            down["pages_after"],
            "all 200",
            ok=True,
        )
        restarts += _supervise(portal)
        record(
            "    db_worker exits when PostgreSQL goes away (restarted)",
            "worker_restarts",
            restarts,
            "as systemd's Restart=always would",
        )
        job = faults.killed_worker(cluster, DATABASE, portal.port, faulted, portal)
        record(
            "(c) job killed with its worker (SIGKILL) at",
            None,
            job["job_killed_at"],
            f"state {job['job_state_killed']}, attempts {job['job_attempts_killed']}",
        )
        record(
            "    retryable before 30 minutes / after",
            None,
            f"{job['job_retry_before_stalled']} / {job['job_retryable']}",
            ok=not job["job_retry_before_stalled"] and job["job_retryable"],
        )
        record(
            "    after Retry: state, attempts",
            None,
            f"{job['job_state']}, {job['job_attempts']}",
            ok=job["job_state"] == "done" and job["job_attempts"] == 2,
        )
        record("    runs to the end", "job_runs", job["job_runs"], ok=job["job_runs"] == 1)
        record(
            "    forms in its zip / forms asked",
            "job_files",
            job["job_files"],
            f"of {job['job_forms']}",
            ok=job["job_files"] == job["job_forms"],
        )
        figures["job_attempts"] = job["job_attempts"]
        record(
            "errors while recovering (after each fault)",
            "fault_errors",
            len(faulted.errors),
            "; ".join(faulted.errors[:3]),
            ok=not faulted.errors,
        )
    finally:
        portal.stop()

    # 3. Backup and restore -----------------------------------------------------------------------------
    from django.db import connections

    for connection in connections.all():
        connection.close()
    result = restore.backup_and_restore(cluster, DATABASE, cluster.root)
    record(
        "restore: tables compared",
        "restore_tables",
        result["restore_tables"],
        f"and {result['restore_sequences']} sequences",
    )
    record("restore: rows compared", "restore_rows", result["restore_rows"])
    record(
        "restore: tables differing",
        "restore_mismatches",
        result["restore_mismatches"],
        ", ".join(result["mismatched"]),
        ok=result["restore_mismatches"] == 0,
    )
    record("restore: dump size", "dump_mb", result["dump_mb"], "MB (pg_dump -Fc)")
    record("restore: pg_dump", "dump_s", result["dump_s"], "s")
    record("restore: pg_restore -j 2", "restore_s", result["restore_s"], "s")


def record_restart(record, kind: str, what: str, outcome: dict, answer, *, retried: str):
    """The four lines of a request caught by a restart of PostgreSQL (fault a): its answer, whether it
    waited inside its transaction, what it wrote, and what the same form sent again wrote."""
    clear = outcome[f"{kind}_clear"]
    shown = "the 503 page, 数据库暂时不可用" if clear else _shown(answer)
    status = outcome[f"{kind}_status"]
    record(f"(a) {what} during a restart: answer", f"{kind}_status", status, shown, ok=clear)
    waited = outcome[f"{kind}_waited"]
    record("    request caught inside its transaction", None, waited, ok=waited)
    wrote = outcome[f"{kind}_fault"]
    record("    rows written by it", f"{kind}_fault", wrote, ok=wrote in ("none", "all"))
    again = outcome[f"{kind}_retry"]
    record("    sent again after the restart", f"{kind}_retry", again, ok=again == retried)


def load_shared(recorder):
    """The import file's numbering, carried on after the load's (no ID number twice)."""
    from drill.load import Shared

    shared = Shared(recorder=recorder, port=0, deadline=0, think=0)
    shared.serial = 100_000
    return shared


def _supervise(portal) -> int:
    """Start the db_worker again if it exited (PostgreSQL away); 1 if it had to be."""
    time.sleep(1.5)  # the worker polls every half second
    if portal.worker_alive():
        return 0
    portal.start_worker()
    return 1


def _shown(answer) -> str:
    import re

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))[:120]
    return answer.error or text


def _report(rows, figures, failures, seconds: float) -> None:
    print()
    print(f"{'measure':<58} {'value':>12}  note")
    for label, value, note, ok in rows:
        print(f"{label:<58} {value!s:>12}  {'' if ok else 'FAILED '}{note}")
    print()
    print(
        f"drill: {seconds:.0f} s in all; "
        + ("every check held" if not failures else f"{len(failures)} checks FAILED")
    )
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
