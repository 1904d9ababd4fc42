from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

from accounts.forms import LoginForm, login_username


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """City staff land on their dashboard (DESIGN §7), the work queue one click away; the others on
        their work queue. A `next` page still wins."""
        if self.request.user.is_authenticated and self.request.user.is_city_staff:
            return resolve_url("reports:dashboard")
        return super().get_default_redirect_url()


def locked_out(request, response=None, credentials=None):
    """The answer to a login while its user name and address are locked (django-axes' lockout callable):
    the login page saying why, with status 429. The admin's login gets the same page."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, initial={"username": login_username(request, credentials)})
    message = _(
        "Too many failed logins. Wait %(minutes)d minutes and try again, or ask an administrator."
    ) % {"minutes": minutes}
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429)
