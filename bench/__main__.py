"""Benchmarks at province scale: `make bench` (or `python -m bench`). Prints figures; asserts nothing.

Runs on its own database, BENCH_DATABASE_URL (default: an SQLite file bench.sqlite3), because
loading the province demo erases the database it runs on.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.setup import django_for_benchmarks

django_for_benchmarks()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from villages.models import Village  # noqa: E402

RUNS = 5


def measure(client, url):
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries)


def main():
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale="province", force=True, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    print(f"seed_demo --scale province: {seconds:.1f} s, {Village.objects.count():,} villages")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    city = Client()
    city.force_login(User.objects.get(username="city"))
    township = Client()
    township.force_login(User.objects.get(username="yushu"))
    cases = [
        ("village list, administrator (whole province), page 1", admin, "/villages/"),
        ("village list, administrator, sorted by stars, page 100", admin, "/villages/?sort=-stars&page=100"),
        ("village list, city staff, filtered to four stars", city, "/villages/?stars=4"),
        ("village list, township official", township, "/villages/"),
        ("region page, province (14 cities)", admin, "/villages/210000000000/"),
        ("region page, city of Fushun (7 counties)", city, "/villages/210400000000/"),
        ("village page", township, "/villages/210422202201/"),
    ]
    print(f"{'page':<58} {'median ms':>10} {'queries':>8}")
    for label, client, url in cases:
        ms, queries = measure(client, url)
        print(f"{label:<58} {ms:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
