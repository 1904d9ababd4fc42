import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import FailedLogin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ROOT = Path(__file__).resolve().parent.parent.parent


def _login(username, password="fushun-demo", client=None, **headers):
    client = client or Client(**headers)
    return client.post(LOGIN, {"username": username, "password": password})


def _fail(username, times, **headers) -> list[int]:
    """Log in `times` with a wrong password; the statuses: 200 (wrong password), then 429 once locked."""
    return [_login(username, "wrong", **headers).status_code for _ in range(times)]


def test_a_demo_user_logs_in_and_lands_on_the_work_queue():
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "yushu", "password": "fushun-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"].username == "yushu"
    assert "榆树乡" in response.content.decode()


def test_the_login_page_is_in_chinese():
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "登录" in page and "用户名" in page


def test_a_wrong_password_says_so_in_chinese():
    response = Client().post(reverse("accounts:login"), {"username": "yushu", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logins_are_throttled_after_repeated_failures():
    client = Client()
    # The failure that reaches the limit is answered with the lock.
    assert _fail("yushu", 5) == [200, 200, 200, 200, 429]
    response = client.post(reverse("accounts:login"), {"username": "yushu", "password": "fushun-demo"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    other = Client().post(reverse("accounts:login"), {"username": "qianjin", "password": "fushun-demo"})
    assert other.status_code == 302


def test_a_locked_user_name_stays_locked_in_full_width_or_mixed_case_letters():
    """Finding F5: after qianjin was locked, ｑｉａｎｊｉｎ with the right password logged in."""
    _fail("qianjin", settings.AXES_FAILURE_LIMIT)
    for spelling in ("qianjin", "ｑｉａｎｊｉｎ", "Qianjin", "ｑianＪin", " qianjin "):
        response = _login(spelling)
        assert response.status_code == 429, spelling
        assert not response.wsgi_request.user.is_authenticated, spelling


def test_mixed_width_spellings_share_one_count_of_failures():
    """Each of four spellings got its own five tries; together they get five."""
    for spelling in ("qianjin", "ｑｉａｎｊｉｎ", "QIANJIN", "ｑianjin", "qianjin"):
        _fail(spelling, 1)
    assert FailedLogin.objects.get(username="qianjin").failures_since_start == settings.AXES_FAILURE_LIMIT
    assert _login("qianjin").status_code == 429


def test_the_admins_login_counts_and_locks_the_same_way():
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/admin/login/", {"username": "xinbin", "password": "wrong"})
    response = Client().post("/admin/login/", {"username": "xinbin", "password": "fushun-demo"})
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()


def test_a_lock_is_per_user_name_and_address_and_an_administrator_can_lift_it(client_of):
    _fail("yushu", settings.AXES_FAILURE_LIMIT)
    # A colleague in the same office (same address) and the same clerk elsewhere still log in.
    assert _login("yongling").status_code == 302
    assert _login("yushu", REMOTE_ADDR="10.8.0.7").status_code == 302
    lock = FailedLogin.objects.get(username="yushu")
    unlock = client_of("admin").post(
        reverse("admin:accounts_failedlogin_delete", args=[lock.pk]), {"post": "yes"}
    )
    assert unlock.status_code == 302
    assert _login("yushu").status_code == 302


@pytest.mark.parametrize("username", ["city", "xinbin", "yushu"])
def test_only_administrators_see_failed_logins(username, client_of):
    _fail("qianjin", 1)
    url = reverse("admin:accounts_failedlogin_changelist")
    assert client_of(username).get(url).status_code == 403
    assert client_of("admin").get(url).status_code == 200


# F7: behind a proxy, and across processes -------------------------------------------------------


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(settings):
    """Finding F7: behind nginx every client shared the proxy's address, so one person could lock
    anyone out."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.8.0.66"}
    clerk = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.8.0.12"}
    _fail("qianjin", settings.AXES_FAILURE_LIMIT, **attacker)
    assert _login("qianjin", **attacker).status_code == 429
    assert _login("qianjin", **clerk).status_code == 302
    assert FailedLogin.objects.get(username="qianjin").ip_address == "10.8.0.66"


def test_a_client_cannot_choose_its_address_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    _fail("qianjin", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="192.168.5.5")
    # A forged X-Forwarded-For from a client that is not the proxy is ignored.
    spoofed = _login("qianjin", REMOTE_ADDR="192.168.5.5", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert spoofed.status_code == 429


# A process of its own: its own memory (a per-process cache would count apart), the same database.
_WORKER = """
import json, os, sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
username, wrong, then_right = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
def login(password):
    return Client().post("/accounts/login/", {"username": username, "password": password}).status_code
statuses = [login("wrong") for _ in range(wrong)]
if then_right:
    statuses.append(login("fushun-demo"))
print(json.dumps(statuses))
"""


def _worker(database_url, username, wrong, then_right):
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", _WORKER, username, str(wrong), "1" if then_right else "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_four_processes_share_one_count_of_failures(postgresql_only):
    """Finding F7: four workers with per-process counters accepted 16 wrong passwords, and the right
    password still worked after 25 failures. Real processes on the real database."""
    user = UserFactory()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    limit = settings.AXES_FAILURE_LIMIT
    tried = [_worker(database_url, user.username, 2, then_right=False) for _ in range(4)]
    answered = [status for statuses in tried for status in statuses]
    # Wrong passwords are answered as such until the count reaches the limit, then with the lock.
    assert answered == [200] * (limit - 1) + [429] * (8 - limit + 1)
    for _ in range(4):
        assert _worker(database_url, user.username, 0, then_right=True) == [429]


def test_logging_out_takes_a_post(client_of):
    client = client_of("yushu")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("reports:home")).status_code == 302


def test_a_user_without_jurisdiction_sees_nothing(client_of):
    from tests.factories import UserFactory

    lost = UserFactory(jurisdiction=None)
    response = client_of(lost).get(reverse("villages:village_list"))
    assert response.context["table"].page.paginator.count == 0
