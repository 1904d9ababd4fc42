import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


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
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "yushu", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "yushu", "password": "fushun-demo"})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    other = Client().post(reverse("accounts:login"), {"username": "qianjin", "password": "fushun-demo"})
    assert other.status_code == 302


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
