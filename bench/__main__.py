"""The province-scale benchmark: `make bench` (or `python -m bench`). Prints figures; asserts nothing.

Runs on PostgreSQL only (production's database; SQLite's figures would say nothing about it), on its
own database, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sanxiang_bench, created
if missing), because loading the province demo erases the database it runs on. The province is loaded
once and reused while it matches the size asked (`--reseed` loads it again).

    python -m bench                       # the province, about 110,000 active candidates
    python -m bench --scale city          # Fushun alone, 5,601
    python -m bench --candidates 1000000  # the province at a million

The last line printed is `key=value` pairs (BENCHMARKS.md explains each).
"""

import argparse
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.setup import bench_database_url, django_for_benchmarks


def arguments():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province"], default="province")
    parser.add_argument("--candidates", type=int, default=None, help="active candidates in the province")
    parser.add_argument("--reseed", action="store_true", help="load the demo even if the database holds it")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections (default 8)")
    parser.add_argument("--skip-wrk", action="store_true", help="leave out the requests-per-second runs")
    return parser.parse_args()


def main():
    options = arguments()
    url = bench_database_url()
    # One key for this process and the gunicorn it starts: a session is valid only under its own key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    django_for_benchmarks(url)

    from django.core.management import call_command
    from django.db import connection

    from bench import measure

    print(f"database: PostgreSQL {connection.cursor().connection.info.server_version} ({url.split('@')[-1]})")
    print(f"machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, Python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    loaded = measure.load_demo(scale=options.scale, candidates=options.candidates, reseed=options.reseed)
    print(loaded)

    figures, rows = {}, []

    def record(label: str, key: str | None, value, unit: str, queries: int | None = None, note: str = ""):
        rows.append((label, value, unit, queries, note))
        if key:
            figures[key] = value

    found = measure.run_all(record, scale=options.scale)
    if not options.skip_wrk:
        measure.requests_per_second(
            record, url=url, county=found["county"], seconds=options.seconds, connections=options.connections
        )

    print()
    print(f"{'measure':<64} {'value':>12} {'unit':<8} {'queries':>7}  note")
    for label, value, unit, queries, note in rows:
        shown = (
            f"{value:,}" if not isinstance(value, float) else f"{value:.3f}" if value < 1 else f"{value:,.1f}"
        )
        print(f"{label:<64} {shown:>12} {unit:<8} {'' if queries is None else queries:>7}  {note}")
    print()
    print(" ".join(f"{key}={_plain(value)}" for key, value in figures.items()))


def _plain(value) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


if __name__ == "__main__":
    main()
