"""Reads that may come from a streaming replica (DATABASE_REPLICA_URL), and the rules that keep them honest.

Only pages that show figures or write files of many rows (the dashboard, summary.json, the annual PDF, the
Excel exports and the export job) read the replica, and only inside `replica_reads`: those pages answer
just as well a second late, and they are the heavy ones. Everything else, every write, and every read
inside a transaction reads the primary, so a form, a list or a person's page never shows less than was
just saved. A user who wrote something (any POST, PUT, PATCH or DELETE) reads the primary on every page for
settings.REPLICA_STICKY_SECONDS after it: a replica a moment behind must not hide one's own change.
"""

import contextvars
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Set inside `replica_reads`, for the request (or job) in this thread or task only.
_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _wrote_key(user_pk) -> str:
    return f"replica:wrote:{user_pk}"


def note_write(user) -> None:
    """Remember that `user` just wrote: their reads go to the primary for REPLICA_STICKY_SECONDS.

    Kept in the cache, which production shares between processes, so that every web process and worker
    and every browser the user is logged in on see it.
    """
    if user is not None and user.is_authenticated and settings.REPLICA_STICKY_SECONDS > 0:
        cache.set(_wrote_key(user.pk), True, timeout=settings.REPLICA_STICKY_SECONDS)


def wrote_recently(user) -> bool:
    """Whether `user` wrote within the last REPLICA_STICKY_SECONDS (a cache read)."""
    return user is not None and user.is_authenticated and bool(cache.get(_wrote_key(user.pk)))


@contextmanager
def replica_reads(*, user):
    """Inside, ORM reads go to the replica if there is one and `user` has not written recently.

    `user` is evaluated first, so that the session and the user (a fresh login the replica may not have
    yet) are read from the primary.
    """
    use_replica = replica_configured() and not wrote_recently(user)
    token = _reading_replica.set(use_replica)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_replica(view):
    """A view whose reads may come from the replica (`replica_reads` for the requesting user); put it
    under `@login_required`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads(user=request.user):
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """DATABASE_ROUTERS: the replica for reads inside `replica_reads` (not in a transaction), else the
    primary. Harmless without a replica: every answer is then "default"."""

    def db_for_read(self, model, **hints):
        # A transaction on the primary reads what it is about to change, or what it has just written.
        if _reading_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema through replication; it is never migrated itself.
        return False if db == REPLICA else None
