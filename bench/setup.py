"""Django for the benchmarks, on their own database: BENCH_DATABASE_URL, because the benchmarks load the
demo and so erase the database they run on."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sanxiang_bench"


def bench_database_url() -> str:
    """The PostgreSQL database of `make bench`, created if missing; SQLite is refused, with why."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench measures the portal on PostgreSQL, production's database; "
            f"BENCH_DATABASE_URL is {url!r}.\n"
            f"Set BENCH_DATABASE_URL to a PostgreSQL database it may erase (default {DEFAULT_URL})."
        )
    import psycopg

    server, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        sys.exit(f"make bench cannot reach PostgreSQL at {server.split('@')[-1]}: {error}")
    return url


def django_for_benchmarks(url: str | None = None) -> None:
    """Django set up on `url` (default: BENCH_DATABASE_URL, or the SQLite file bench.sqlite3 for the
    single-figure scripts such as bench/import_10k.py)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url or os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

    import django

    django.setup()
