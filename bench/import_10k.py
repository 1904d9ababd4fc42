"""Benchmark of the Excel import: 10,000 valid rows, checked, then imported; then a file of 330,000
junk rows (finding F6), previewed and reloaded. Prints figures; asserts nothing.

    python -m bench.import_10k            # or: python bench/import_10k.py

Runs on BENCH_DATABASE_URL like `python -m bench` (default: the SQLite file bench.sqlite3), loading the
city demo there first if it lacks it. Each run nominates 10,000 new people in the villages of 榆树乡
(demo user `yushu`); their ID numbers continue where the previous run stopped, so runs can repeat.
`measure_import` is what `python -m bench` calls.
"""

import datetime
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.apps import apps

from bench.setup import django_for_benchmarks

if not apps.ready:  # run as a script; `python -m bench` sets Django up on its database first
    django_for_benchmarks()

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from accounts.models import User
from candidates import imports
from candidates.choices import Education, PoliticalStatus, Recommender, Source
from candidates.identity import synthetic_id_number
from candidates.models import Candidate
from villages.models import Village

ROWS = 10_000
# Born in 新宾满族自治县, like most people of 榆树乡.
AREA = "210422"


def labels(choices) -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for label in choices.labels]


def id_numbers(count: int) -> list[str]:
    """`count` valid ID numbers that no candidate has yet, born in AREA."""
    numbers, n = [], 0
    while len(numbers) < count:
        batch = [
            synthetic_id_number(
                AREA, datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 400), i % 400, i % 3 != 0
            )
            for i in range(n, n + count)
        ]
        taken = set(Candidate.objects.filter(id_number__in=batch).values_list("id_number", flat=True))
        numbers += [number for number in batch if number not in taken]
        n += count
    return numbers[:count]


def build_workbook(user, rows: int = ROWS) -> bytes:
    """An .xlsx of `rows` valid rows, as openpyxl writes it (inline strings: slower to read than Excel's)."""
    villages = list(Village.objects.visible_to(user).values_list("pk", flat=True))
    education, political, source, recommender = (
        labels(Education),
        labels(PoliticalStatus),
        labels(Source),
        labels(Recommender),
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(imports.HEADERS)
    for n, number in enumerate(id_numbers(rows)):
        sheet.append(
            [
                f"测试{n}",
                "男" if int(number[16]) % 2 else "女",
                "满族" if n % 4 == 0 else "汉族",
                number,
                f"139{n % 10**8:08d}",
                education[n % len(education)],
                political[n % len(political)],
                source[n % len(source)],
                villages[n % len(villages)],
                "食用菌",
                round(3 + n % 50 / 10, 1),
                recommender[n % len(recommender)],
                "带头发展特色产业，带动农户增收",
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def measure_import(user, rows: int = ROWS) -> tuple[int, float]:
    """(rows, seconds) of importing a workbook of `rows` new people into `user`'s villages as the pages
    do it: the preview's check, then the confirmation's check and write. The workbook is built first,
    untimed; past settings.IMPORT_MAX_ROWS the limit is lifted."""
    with (
        translation.override("zh-hans"),
        override_settings(IMPORT_MAX_ROWS=max(rows, settings.IMPORT_MAX_ROWS)),
    ):
        content = build_workbook(user, rows)
        batch = imports.batch_store(by=user, uploaded_file=SimpleUploadedFile("bench.xlsx", content))
        started = time.perf_counter()
        preview = imports.batch_preview(by=user, batch=batch)
        assert not preview.errors, preview.errors[:5]
        created = imports.candidates_import(by=user, batch=batch)
        seconds = time.perf_counter() - started
    return created, seconds


def main():
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="yushu").exists():
        call_command("seed_demo", force=True, stdout=io.StringIO())
    user = User.objects.get(username="yushu")
    with translation.override("zh-hans"):
        content = build_workbook(user)
        print(f"workbook: {ROWS:,} rows, {len(content) / 1024 / 1024:.1f} MB")
        batch = imports.batch_store(by=user, uploaded_file=SimpleUploadedFile("bench.xlsx", content))

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            preview = imports.batch_preview(by=user, batch=batch)
        checked = time.perf_counter() - started
        assert not preview.errors, preview.errors[:5]
        print(f"read and check (the preview):       {checked:6.1f} s  {len(queries):3d} queries")

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            created = imports.candidates_import(by=user, batch=batch)
        imported = time.perf_counter() - started
        print(f"confirm: check again and write all: {imported:6.1f} s  {len(queries):3d} queries")
        print(f"created {created:,} candidates and certifications, with their history rows")
        print(f"import_rows_per_s: {created / (checked + imported):,.0f}")


JUNK_ROWS = 330_000


def junk_workbook() -> bytes:
    """The probe's hostile file: the template's headers, then JUNK_ROWS rows of nonsense."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(imports.HEADERS)
    for n in range(JUNK_ROWS):
        sheet.append([f"垃圾{n}", "?", "?", f"x{n}", "?", "?", "?", "?", "?"])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def junk():
    user = User.objects.get(username="yushu")
    content = junk_workbook()
    print(f"junk workbook: {JUNK_ROWS:,} rows, {len(content) / 1024 / 1024:.1f} MB")
    batch = imports.batch_store(by=user, uploaded_file=SimpleUploadedFile("junk.xlsx", content))
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with translation.override("zh-hans"):
        started = time.perf_counter()
        preview = imports.batch_preview(by=user, batch=batch)
        first = time.perf_counter() - started
        started = time.perf_counter()
        imports.batch_preview(by=user, batch=batch)
        reload = time.perf_counter() - started
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    print(f"preview of the junk file:           {first:6.1f} s  peak memory +{growth:.0f} MB")
    print(f"reload of that preview:             {reload:6.3f} s")
    print(f"  {preview.errors[0].message}")


if __name__ == "__main__":
    main()
    junk()
