from tests.browser.support import PHONE, serious_violations, shot, url


def test_the_login_page_in_chromium(browse):
    page = browse(None, width=PHONE)
    page.goto(url(page, "/accounts/login/"))
    assert "登录" in page.content()
    shot(page, "login")
    assert not serious_violations(page)
