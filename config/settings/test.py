"""The test suite: same database choice as the rest (DATABASE_URL or embedded SQLite), fast hashing."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Static files come from the app and project folders; there is no collectstatic in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Jobs run inside the request that asks for them; "database" is the production queue, for the tests
# that start real workers (tests/test_jobs.py).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
