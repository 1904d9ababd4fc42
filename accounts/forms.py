from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.forms import style_widgets

# Failed logins allowed per user name and address before the login is locked for a while.
LOGIN_FAILURE_LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCK_SECONDS = getattr(settings, "LOGIN_LOCK_SECONDS", 15 * 60)


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing further attempts after repeated failures (ASVS 2.2.1)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        style_widgets(self)

    def _throttle_key(self):
        username = (self.data.get("username") or "").strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return f"login-failures:{address}:{username}"

    def clean(self):
        key = self._throttle_key()
        if cache.get(key, 0) >= LOGIN_FAILURE_LIMIT:
            raise ValidationError(
                _("Too many failed logins. Wait %(minutes)d minutes and try again, or ask an administrator.")
                % {"minutes": LOGIN_LOCK_SECONDS // 60},
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            cache.add(key, 0, LOGIN_LOCK_SECONDS)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, LOGIN_LOCK_SECONDS)
            raise
