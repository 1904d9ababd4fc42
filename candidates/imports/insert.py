"""Inserting thousands of new records with their history rows: COPY on PostgreSQL, bulk_create elsewhere.

Why not bulk_create everywhere: Django writes a bulk insert as one INSERT … VALUES with a placeholder per
value, compiled and quoted value by value in Python, and it cannot use PostgreSQL's array form (UNNEST)
for a candidate, whose village key points at a village keyed by its region. 10,000 candidates and their
certifications, with a history row each, took about 8 s that way; COPY takes a fraction of a second.

On PostgreSQL the primary keys are drawn from the table's sequence first (a certification needs its
candidate's key; a history row needs its record's), then the records and their history rows are copied
in. The history rows are those django-simple-history's `bulk_history_create` writes: every tracked field,
"+" (created), the user, no change reason, the time of the insert.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import connections, router
from django.db.models import CharField, Model, TextField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

# Inserts by bulk_create go by this many rows (well below every database's parameter limit).
BATCH = 1000
# A history row's own columns after the record's: when, why (no reason given), "+" (created), by whom.
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user")


def create_with_history(objs: Sequence[Model], model: type[Model], *, by) -> None:
    """Insert the unsaved `objs` of `model` and a history row for each by `by`, in the caller's
    transaction; each object gets its primary key. A duplicate raises django.db.IntegrityError."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        bulk_create_with_history(objs, model, batch_size=BATCH, default_user=by)
        return
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            # What bulk_create does first: a key to a record saved just before (the candidate of a
            # certification) is copied from that record; an unsaved one raises ValueError.
            obj._prepare_related_fields_for_save(operation_name="create_with_history")
            obj.pk = pk
        # Text goes to psycopg as it is: Django's preparation of a text field only makes it a str, which
        # every text of these records (a choice too) already is; a fifth of the time went there.
        prepared = [not isinstance(field, CharField | TextField) for field in fields]
        rows = [
            [
                field.get_db_prep_save(value, connection) if prepare else value
                for field, prepare, value in zip(
                    fields, prepared, [field.pre_save(obj, True) for field in fields], strict=True
                )
            ]
            for obj in objs
        ]
        _copy(cursor, model, fields, rows)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = get_history_manager_for_model(model).model
            position = {field.attname: index for index, field in enumerate(fields)}
            tracked = [position[field.attname] for field in history.tracked_fields]
            names = [field.name for field in history.tracked_fields] + list(HISTORY_COLUMNS)
            columns = [history._meta.get_field(name) for name in names]
            created = [timezone.now(), None, "+", by.pk]
            _copy(cursor, history, columns, ([*(row[i] for i in tracked), *created] for row in rows))
    for obj in objs:
        obj._state.adding, obj._state.db = False, using


def _copy(cursor, model: type[Model], fields, rows) -> None:
    """COPY `rows` (values of `fields`, in order) into the table of `model`."""
    quote = cursor.db.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
