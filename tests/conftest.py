import io
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from accounts.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the city-scale demo, as `make run` shows it; tests roll back their changes."""
    with django_db_blocker.unblock():
        call_command("seed_demo", force=True, stdout=io.StringIO())


@contextmanager
def _rolled_back(django_db_blocker):
    """A transaction around the tests of a module or class, rolled back after its last test: records that a
    module- or class-scoped fixture writes in it are made once and seen by each of those tests, whose own
    changes roll back to a savepoint as usual (pytest-django keeps the connection open between tests for
    this). Not around transactional tests, which would commit and flush inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    with _rolled_back(django_db_blocker):
        yield


@pytest.fixture(scope="class")
def class_transaction(django_db_setup, django_db_blocker):
    with _rolled_back(django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def _portal_language():
    """Each test starts in the portal's language, as each request does: a test client's request in
    English leaves its language active in the thread, which must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_user(db):
    """A demo user by user name: `demo_user("qianjin")`."""
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def client_of(db):
    """A client logged in as a demo user (or any user): `client_of("xinbin")`."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
        return client

    return make


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL; this run uses {connection.vendor} (set DATABASE_URL=postgres://…)")
