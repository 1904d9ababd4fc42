import unicodedata

from django.contrib.auth.forms import AuthenticationForm

from config.forms import prepare_fields


def login_username(request, credentials=None) -> str:
    """The user name a login attempt is counted under (django-axes' AXES_USERNAME_CALLABLE).

    Login normalises the name it is given (NFKC: ｑｉａｎｊｉｎ is qianjin), so the count must key on
    the same normalised name, case folded, or each spelling would get its own tries (finding F5).
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(raw or "")).strip().casefold()


class LoginForm(AuthenticationForm):
    """The login form in the portal's look; django-axes counts failures and locks (ASVS 2.2.1)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        prepare_fields(self)
