"""A read replica (issue 11): figures and exports read the replica, everything else the primary, and a user
who just wrote reads the primary everywhere (config.db_router).

The rules first, on any database (no replica needed); then a real streaming replica of the local PostgreSQL
(`pg_basebackup -R`, started on a free port for this module) whose replay is paused: another user's
dashboard and summary.json show the state before a change, the writer's own show it, a person's page always
shows it. Skipped with the reason where the machine cannot stream a replica (SQLite, no PostgreSQL server
binaries, pg_hba.conf refusing replication connections: `.ci/run` allows them).
"""

import copy
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from candidates.models import Candidate, Certification
from config.db_router import REPLICA, ReplicaRouter, note_write, reads_replica, replica_reads, wrote_recently
from config.middleware import PrimaryAfterWriteMiddleware
from tests.factories import CandidateFactory, UserFactory, VillageFactory, benxi_township

ROUTER = ReplicaRouter()


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def with_replica(monkeypatch, settings):
    """A "replica" alias in DATABASES (never connected to by these tests: they only ask the router)."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, {"ENGINE": "django.db.backends.postgresql", "NAME": "x"})


def reader() -> User:
    return User(pk=10**9 + 1, username="reader")


def writer() -> User:
    return User(pk=10**9 + 2, username="writer")


# The rules, on any database ----------------------------------------------------------------------------


def test_without_a_replica_every_read_goes_to_the_primary(fresh_cache, monkeypatch, settings):
    monkeypatch.delitem(settings.DATABASES, REPLICA, raising=False)  # the module's real one, on PostgreSQL
    with replica_reads(user=reader()):
        assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS
    assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS


def test_with_a_replica_only_reads_inside_replica_reads_go_there_and_writes_never(fresh_cache, with_replica):
    assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS
    with replica_reads(user=reader()):
        assert ROUTER.db_for_read(Candidate) == REPLICA
        assert ROUTER.db_for_write(Candidate) == DEFAULT_DB_ALIAS
    assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS
    assert ROUTER.allow_migrate(REPLICA, "candidates") is False
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "candidates") is not False


def test_a_user_who_just_wrote_reads_the_primary_and_the_others_still_the_replica(fresh_cache, with_replica):
    note_write(writer())
    with replica_reads(user=writer()):
        assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS
    with replica_reads(user=reader()):
        assert ROUTER.db_for_read(Candidate) == REPLICA


def test_the_stickiness_lasts_replica_sticky_seconds_and_zero_turns_it_off(
    fresh_cache, with_replica, settings
):
    settings.REPLICA_STICKY_SECONDS = 1
    note_write(writer())
    assert wrote_recently(writer())
    time.sleep(1.1)
    assert not wrote_recently(writer())
    settings.REPLICA_STICKY_SECONDS = 0
    note_write(writer())
    assert not wrote_recently(writer())


def test_a_transaction_on_the_primary_never_reads_the_replica(fresh_cache, with_replica, monkeypatch):
    # What transaction.atomic() sets; the real thing is shown on PostgreSQL below.
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", True)
    with replica_reads(user=reader()):
        assert ROUTER.db_for_read(Candidate) == DEFAULT_DB_ALIAS


def test_a_logged_in_users_post_makes_their_reads_sticky_and_a_get_or_an_anonymous_post_does_not(fresh_cache):
    middleware = PrimaryAfterWriteMiddleware(lambda request: None)
    for method, user, sticky in (("get", writer(), False), ("post", None, False), ("post", writer(), True)):
        request = getattr(RequestFactory(), method)("/")
        if user is not None:
            request.user = user
        middleware(request)
        assert wrote_recently(writer()) is sticky, method


def test_a_decorated_view_reads_the_replica_for_its_user(fresh_cache, with_replica):
    seen = reads_replica(lambda request: ROUTER.db_for_read(Candidate))
    request = RequestFactory().get("/")
    request.user = reader()
    assert seen(request) == REPLICA
    note_write(reader())
    assert seen(request) == DEFAULT_DB_ALIAS


# A real streaming replica -------------------------------------------------------------------------------


class StreamingReplica:
    """A hot standby of the local cluster on `port`, for this module; `sql()` asks it directly."""

    def __init__(self, *, port: int, primary: dict, dbname: str):
        self.port, self.primary, self.dbname = port, primary, dbname

    def sql(self, query: str, *params):
        where = self.primary | {"port": self.port, "dbname": self.dbname}
        with psycopg.connect(**where, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchone()[0]

    def catch_up(self, timeout: float = 60) -> None:
        """Wait until the replica has replayed everything the primary committed so far."""
        with psycopg.connect(**(self.primary | {"dbname": self.dbname}), autocommit=True) as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        while not self.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", str(target)):
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not replay up to {target} in {timeout} s")
            time.sleep(0.1)

    def pause(self) -> None:
        """Stop replaying: the primary's later commits reach the replica but are not applied."""
        self.sql("SELECT pg_wal_replay_pause()::text")

    def resume(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()::text")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_binaries(primary: dict) -> Path | None:
    """The directory of pg_ctl and pg_basebackup of the primary's major version, if installed."""
    with psycopg.connect(**primary, autocommit=True) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
    on_path = shutil.which("pg_ctl")
    for directory in (Path(f"/usr/lib/postgresql/{major}/bin"), Path(on_path).parent if on_path else None):
        if directory and (directory / "pg_ctl").exists() and (directory / "pg_basebackup").exists():
            return directory
    return None


# Settings a hot standby needs at least as high as its primary's, or it refuses to start.
AT_LEAST_PRIMARYS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


@pytest.fixture(scope="module")
def streaming_replica(request):
    """A streaming replica of the local cluster (with the test database in it), as connections["replica"]
    (Django's alias, on the test database); stopped and removed after the module."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL; this run uses {connection.vendor} (set DATABASE_URL=postgres://…)")
    request.getfixturevalue("django_db_setup")  # the test database exists before the cluster is copied
    db = connection.settings_dict
    primary = {
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "dbname": "postgres",
    }
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})
    bindir = _server_binaries(primary)
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (pg_ctl, pg_basebackup) of the server's version")
    # PostgreSQL refuses to run as root: as root, the replica runs as the postgres user.
    as_root = os.geteuid() == 0
    if as_root and not (shutil.which("runuser") and _user_exists("postgres")):
        pytest.skip("running as root, and no postgres user (or runuser) to start a replica as")
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    with psycopg.connect(**primary, autocommit=True) as conn:
        at_least = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in AT_LEAST_PRIMARYS}
    home = Path(tempfile.mkdtemp(prefix="sx-replica-"))  # /tmp: a directory the postgres user can reach
    if as_root:
        shutil.chown(home, "postgres", "postgres")

    def run(*args, timeout=600):
        return subprocess.run(
            [*run_as, *args], cwd=home, env=env, capture_output=True, text=True, timeout=timeout
        )

    data = home / "data"
    started = False
    try:
        backup = run(
            bindir / "pg_basebackup",
            *("-h", primary["host"], "-p", str(primary["port"]), "-U", primary["user"]),
            *("-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"),
        )
        if backup.returncode != 0:
            pytest.skip(f"pg_basebackup could not copy the cluster: {backup.stderr.strip()}")
        port = _free_port()
        (home / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (home / "pg_ident.conf").write_text("")
        if not (data / "postgresql.conf").exists():  # Debian keeps the primary's in /etc
            (data / "postgresql.conf").write_text("")
        with (data / "postgresql.auto.conf").open("a") as conf:  # after -R's primary_conninfo
            overrides = {
                "port": port,
                "listen_addresses": "127.0.0.1",
                "unix_socket_directories": str(home),
                "hba_file": str(home / "pg_hba.conf"),
                "ident_file": str(home / "pg_ident.conf"),
                "hot_standby": "on",
                "shared_buffers": "32MB",
                "ssl": "off",
                "archive_mode": "off",
                "logging_collector": "off",
                "external_pid_file": "",
                "cluster_name": "sx_replica_test",
                **at_least,
            }
            conf.writelines(f"{name} = '{value}'\n" for name, value in overrides.items())
        for path in (home / "pg_hba.conf", home / "pg_ident.conf", data / "postgresql.conf"):
            if as_root:
                shutil.chown(path, "postgres", "postgres")
        start = run(bindir / "pg_ctl", "-D", str(data), "-l", str(home / "log"), "-w", "-t", "120", "start")
        started = True
        if start.returncode != 0:
            log = (home / "log").read_text(errors="replace")[-2000:] if (home / "log").exists() else ""
            pytest.skip(f"the replica did not start: {start.stdout.strip()} {start.stderr.strip()} {log}")
        replica = StreamingReplica(port=port, primary=primary, dbname=db["NAME"])
        deadline = time.monotonic() + 60
        while True:
            try:
                if replica.sql("SELECT pg_is_in_recovery()"):
                    break
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                pytest.skip("the replica did not accept connections in recovery within 60 s")
            time.sleep(0.2)

        # Django's "replica" alias: the replica's port, the test database's name; a mirror of "default",
        # so that the test case neither creates nor flushes it (the primary's changes reach it by streaming).
        alias = copy.deepcopy(db) | {"HOST": "127.0.0.1", "PORT": str(port)}
        alias["TEST"] = alias["TEST"] | {"MIRROR": DEFAULT_DB_ALIAS}
        configured = connections.settings.get(REPLICA)  # DATABASE_REPLICA_URL's, a mirror of the primary here
        _forget_replica_connection()
        connections.settings[REPLICA] = alias
        try:
            yield replica
        finally:
            _forget_replica_connection()
            if configured is None:
                del connections.settings[REPLICA]
            else:
                connections.settings[REPLICA] = configured
    finally:
        if started:
            run(bindir / "pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", timeout=120)
        shutil.rmtree(home, ignore_errors=True)


def _forget_replica_connection() -> None:
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _in_certification(client: Client, township) -> int:
    response = client.get(reverse("reports:summary"), {"region": township.code})
    assert response.status_code == 200
    return response.json()["certification"]["in_progress_by_step"]["1"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_figures_read_the_replica_but_the_writer_and_every_other_page_read_the_primary(
    streaming_replica, fresh_cache
):
    township = benxi_township(41)
    village = VillageFactory(township=township)
    person = CandidateFactory(village=village, name="副本测试")
    clerk, colleague = UserFactory(jurisdiction=township), UserFactory(jurisdiction=township)
    clients = {}
    for user in (clerk, colleague):
        clients[user] = Client()
        clients[user].force_login(user)
    streaming_replica.catch_up()
    streaming_replica.pause()
    try:
        assert _in_certification(clients[colleague], township) == 0

        # The clerk nominates the person (step 1): committed on the primary, not yet replayed on the replica.
        response = clients[clerk].post(
            reverse("candidates:candidate_nominate", args=[person.pk]),
            {"track": "wealth_creator", "recommender": "village_organisation", "reason": "赤松茸种植大户"},
        )
        assert response.status_code == 302
        assert Certification.objects.filter(candidate=person).exists()

        # The colleague's figures come from the replica, which does not show it yet ...
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert _in_certification(clients[colleague], township) == 0
            dashboard = clients[colleague].get(reverse("reports:dashboard"), {"region": township.code})
            assert dashboard.context["total"]["in_certification"] == 0
        assert any("reports_rollup" in query["sql"] for query in on_replica.captured_queries)

        # ... the clerk's own come from the primary, with the change.
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert _in_certification(clients[clerk], township) == 1
            dashboard = clients[clerk].get(reverse("reports:dashboard"), {"region": township.code})
            assert dashboard.context["total"]["in_certification"] == 1
        assert on_replica.captured_queries == []

        # Any other page reads the primary, whoever asks: the colleague sees the person in certification.
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            page = clients[colleague].get(person.get_absolute_url())
            assert page.status_code == 200 and page.context["candidate"].certifications.exists()
            listed = clients[colleague].get(reverse("candidates:candidate_list"), {"q": person.name})
            assert [row.record.status for row in listed.context["table"].page.object_list] == ["certifying"]
        assert on_replica.captured_queries == []

        # An export is figures too: the colleague's reads the replica.
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert clients[colleague].get(reverse("candidates:candidate_export")).status_code == 200
        assert on_replica.captured_queries

        # Inside a transaction, even a replica-reading block reads the primary.
        with replica_reads(user=colleague):
            assert not Certification.objects.filter(candidate=person).exists()
            with transaction.atomic():
                assert Certification.objects.filter(candidate=person).exists()
    finally:
        streaming_replica.resume()

    # Replayed, the replica shows it to the colleague too.
    streaming_replica.catch_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert _in_certification(clients[colleague], township) == 1
    assert on_replica.captured_queries
