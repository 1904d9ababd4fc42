import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#q2" * 12,
    "ALLOWED_HOSTS": "sanxiang.example.gov.cn",
    "DATABASE_URL": "postgres://sanxiang:secret@db.internal:5432/sanxiang",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    env["DATABASE_URL"] = "sqlite:///x.sqlite3"
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_refuses_a_cache_of_its_own_per_process():
    """Finding F7: with a per-process cache, each of four workers counted objections on its own."""
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    for cache_url in (None, "locmemcache://", "dummycache://"):
        if cache_url is None:
            env.pop("CACHE_URL", None)
        else:
            env["CACHE_URL"] = cache_url
        result = _manage("check", env=env)
        assert result.returncode != 0, cache_url
        assert "CACHE_URL" in result.stderr, cache_url


def test_production_refuses_a_trusted_proxy_that_is_no_address():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    env["TRUSTED_PROXIES"] = "nginx.internal"
    result = _manage("check", env=env)
    assert result.returncode != 0 and "nginx.internal" in result.stderr
