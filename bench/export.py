"""Benchmark of the candidate export: the Excel file of one region's candidates, written by the view
through the Django test client and read to its last byte. Prints figures; asserts nothing.

    python -m bench.export [REGION_CODE] [USERNAME]     # default: 210400000000 (抚顺市), city

Runs on BENCH_DATABASE_URL like `python -m bench`, loading the city demo there first if it lacks it.
`python -m bench` calls `measure_export`, and `measure_import` (of bench/import_10k.py) from here.
"""

import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.apps import apps

from bench.setup import django_for_benchmarks

if not apps.ready:  # run as a script; `python -m bench` sets Django up on its database first
    django_for_benchmarks()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User
from bench.import_10k import measure_import
from reports.exports import XLSX

__all__ = ["measure_export", "measure_import"]

# Past settings.EXPORT_MAX_ROWS rows the page hands the export to a background job, which writes the same
# file with the same functions; the measurement lifts the limit so that the request writes it.
NO_LIMIT = 10**9


def exported_rows(content: bytes) -> int:
    """The rows of people in an export: the rows of its sheet but the header."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = next(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
        return archive.read(sheet).count(b"<row ") - 1


def measure_export(client_or_user, region_code: str) -> tuple[int, float]:
    """(rows, seconds) of the candidate export of the region `region_code` (12 digits) as a logged-in
    client, or a user (logged in here), gets it: the request and the whole response, server-side."""
    if isinstance(client_or_user, Client):
        client = client_or_user
    else:
        client = Client()
        client.force_login(client_or_user)
    url = f"{reverse('candidates:candidate_export')}?region={region_code}"
    with override_settings(EXPORT_MAX_ROWS=NO_LIMIT):
        started = time.perf_counter()
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        seconds = time.perf_counter() - started
    assert response.status_code == 200 and response["Content-Type"] == XLSX, (url, response.status_code)
    return exported_rows(content), seconds


def main():
    region = sys.argv[1] if len(sys.argv) > 1 else "210400000000"
    username = sys.argv[2] if len(sys.argv) > 2 else "city"
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username=username).exists():
        call_command("seed_demo", force=True, stdout=io.StringIO())
    user = User.objects.get(username=username)
    measure_export(user, region)  # a first request warms the caches up
    rows, seconds = measure_export(user, region)
    print(f"candidate export of {region} as {username}: {rows:,} rows in {seconds:.2f} s")
    print(f"export_rows_per_s: {rows / seconds:,.0f}")


if __name__ == "__main__":
    main()
