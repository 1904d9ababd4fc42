"""The drill's own PostgreSQL cluster: initdb into a temporary directory, started on a free port with its
socket in that directory, restarted and stopped at will, removed at the end (also after a failure or
ctrl-C). The shared server on 5432, which other processes use, is never touched.

As root, the cluster belongs to the `postgres` user (PostgreSQL refuses to run as root); otherwise to the
current user. Its superuser is called postgres either way, and it trusts local connections.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

BINARIES = Path(os.environ.get("DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))
FIRST_PORT = 5440


class Cluster:
    """A private PostgreSQL cluster on 127.0.0.1:`port`; `with Cluster() as cluster:` removes it after."""

    def __init__(self, *, port: int | None = None):
        self.port = port or free_port(FIRST_PORT)
        self.root = Path(tempfile.mkdtemp(prefix="sanxiang-drill-"))
        self.data = self.root / "data"
        self.log = self.root / "postgresql.log"
        self.owner = _owner()
        self.started = False

    # Life ---------------------------------------------------------------------------------------------

    def __enter__(self) -> "Cluster":
        try:
            self.init()
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def init(self) -> None:
        if self.owner:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        self._run(
            BINARIES / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# sanxiang drill\n"
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "max_connections = 100\nfsync = on\nlog_min_messages = warning\n"
            )

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-t", "60", "-l", self.log)
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-w", "-t", "60", "-m", mode)
        self.started = False

    def restart(self, mode: str = "fast") -> None:
        self._pg_ctl("restart", "-w", "-t", "60", "-m", mode, "-l", self.log)
        self.started = True

    def remove(self) -> None:
        """Stop the cluster (immediately) and delete its directory; safe to call twice."""
        if self.data.exists():
            with contextlib.suppress(Exception):  # removing must go on
                self._pg_ctl("stop", "-w", "-t", "30", "-m", "immediate", check=False)
        self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    # Use ----------------------------------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", **kwargs) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5, **kwargs
        )

    def sql(self, query: str, *params, dbname: str = "postgres"):
        """The first column of the first row (None without rows), autocommit."""
        with self.connect(dbname, autocommit=True) as conn:
            cursor = conn.execute(query, params or None)
            row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None

    def create_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}"')
        self.sql(f'CREATE DATABASE "{name}"')

    def answers(self) -> bool:
        try:
            self.sql("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    def tool(self, name: str, *args, **kwargs) -> subprocess.CompletedProcess:
        """Run a client program of the same version (pg_dump, pg_restore) as the drill's own user."""
        return subprocess.run(
            [BINARIES / name, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args],
            check=True,
            capture_output=True,
            **kwargs,
        )

    # Inside -------------------------------------------------------------------------------------------

    def _pg_ctl(self, *args, check: bool = True) -> None:
        self._run(BINARIES / "pg_ctl", "-D", self.data, *args, check=check)

    def _run(self, *command, check: bool = True) -> None:
        command = [str(part) for part in command]
        if self.owner:
            command = ["runuser", "-u", self.owner.pw_name, "--", *command]
        # The server started by pg_ctl keeps no descriptor of ours: its output goes to the log file.
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=self.root, stdin=subprocess.DEVNULL, timeout=120
        )
        if check and done.returncode:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{log}")


def _owner() -> pwd.struct_passwd | None:
    """The user the cluster runs as when we are root (PostgreSQL refuses root), else None: ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root, the drill needs a `postgres` user to own its cluster") from None


def free_port(first: int) -> int:
    """The first port from `first` on which nothing listens and that we can bind."""
    for port in range(first, first + 200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port from {first}")


def wait_until(condition, *, seconds: float, every: float = 0.1) -> float | None:
    """Seconds until `condition()` held, or None if it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(every)
    return None
