"""Whether a request wrote to the database (tests/test_permission_matrix.py): the SQL it ran, and a cheap
fingerprint of every model's table taken around a whole series of requests.

The session table is left out: logging a test client in, and any request, may touch the session.
"""

import hashlib
import re
from contextlib import contextmanager

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

IGNORED_TABLES = {"django_session"}
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)

# Fields whose change without a new row the fingerprint sees: the state of people and their workflows,
# and who may do what. (A changed row of another table shows in the SQL a request ran.)
WATCHED_FIELDS = {
    "candidates.candidate": ("name", "phone", "village_id", "status", "stage", "tier"),
    "candidates.certification": ("state", "step"),
    "candidates.promotion": ("state",),
    "candidates.elimination": ("state",),
    "candidates.objection": ("status",),
    "mentoring.mentorassignment": ("end_date",),
    "mentoring.assessment": ("total", "confirmed_at"),
    "accounts.user": ("role", "jurisdiction_id", "is_active", "is_superuser", "password"),
    "villages.committeeseat": ("term_end",),
    "villages.reserve": ("status",),
}


def _tables():
    """(table, its highest key in SQL): numbers by value, other keys (UUIDs) as text."""
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in IGNORED_TABLES:
            pk = quote(meta.pk.column)
            numeric = meta.pk.get_internal_type() in (
                "AutoField",
                "BigAutoField",
                "IntegerField",
                "BigIntegerField",
            )
            yield meta.db_table, f"CAST(MAX({pk}) AS TEXT)" if numeric else f"MAX(CAST({pk} AS TEXT))"


def fingerprint() -> dict:
    """Row count and highest key of every model's table (one query), and a digest of the watched fields."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*), {top} FROM {quote(table)}" for table, top in sorted(set(_tables()))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = {table: (count, str(top)) for table, count, top in cursor.fetchall()}
    for label, fields in WATCHED_FIELDS.items():
        model = apps.get_model(label)
        present = [f for f in fields if f.removesuffix("_id") in {x.name for x in model._meta.fields}]
        digest = hashlib.sha1()
        for row in model._default_manager.order_by("pk").values_list("pk", *present):
            digest.update(repr(row).encode())
        found[f"{label} fields"] = digest.hexdigest()
    return found


def differences(before: dict, after: dict) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in sorted(after)
        if before.get(key) != after[key]
    ]


@contextmanager
def writes():
    """Collects the tables the requests inside wrote to: `with writes() as written: ...; written()`."""
    with CaptureQueriesContext(connection) as captured:
        yield lambda: sorted(
            {
                match.group(1) if (match := _TABLE.match(query["sql"])) else query["sql"][:60]
                for query in captured.captured_queries
                if _WRITE.match(query["sql"])
            }
            - IGNORED_TABLES
        )
