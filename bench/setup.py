"""Django for the benchmarks, on their own database: BENCH_DATABASE_URL (default: the SQLite file
bench.sqlite3), because the benchmarks load the demo and so erase the database they run on."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_for_benchmarks() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

    import django

    django.setup()
