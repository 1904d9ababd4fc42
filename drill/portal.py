"""The portal as production runs it, on the drill's cluster: gunicorn with config.settings.production and a
`manage.py db_worker`, both logging to files in the cluster's directory."""

import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from bench.setup import ROOT
from drill.cluster import free_port, wait_until

# A Redis database of its own: the drill's sessions and throttles never meet another process's.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/11"
WORKERS = 4


def environment(database_url: str) -> dict[str, str]:
    """What production reads (config/settings/production.py), for a portal on this machine."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("DRILL_SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": os.environ.get("DRILL_CACHE_URL", DEFAULT_CACHE_URL),
        # The drill's browser speaks to gunicorn as nginx would (X-Forwarded-Proto: https); the headers
        # production sets, HSTS and secure cookies, are as in production.
        "TRUSTED_PROXIES": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=quiet,
        text=True,
    )


class Portal:
    """gunicorn and one db_worker; `log_dir` keeps their output, which the drill reads for tracebacks."""

    def __init__(self, env: dict, log_dir: Path, *, workers: int = WORKERS):
        self.env, self.log_dir, self.workers = env, log_dir, workers
        self.port = free_port(8440)
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_starts = 0

    def start(self) -> None:
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.log_dir / "gunicorn.log", "ab"),  # noqa: SIM115 — the child keeps it
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait_until(self.answers, seconds=60) is None:
            raise RuntimeError(f"gunicorn did not answer on port {self.port} within 60 s (see gunicorn.log)")
        self.start_worker()

    def answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def start_worker(self) -> None:
        """A db_worker, as a supervisor (systemd's Restart=always) starts one."""
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.log_dir / "db_worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker_starts += 1

    def worker_alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def kill_worker(self) -> None:
        """SIGKILL: the worker's machine switched off mid-job; it finishes nothing."""
        if self.worker_alive():
            self.worker.send_signal(signal.SIGKILL)
        if self.worker is not None:
            self.worker.wait(timeout=10)

    def stop(self) -> None:
        for process in (self.worker, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.worker, self.server):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)

    def log_lines(self, name: str, marker: str) -> list[str]:
        path = self.log_dir / name
        if not path.exists():
            return []
        return [line for line in path.read_text(errors="replace").splitlines() if marker in line]
