from django.contrib import admin
from django.urls import include, path

from config.views import healthz

handler500 = "config.views.server_error"

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("villages/", include("villages.urls")),
    path("candidates/", include("candidates.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("jobs/", include("jobs.urls")),
    path("notices/", include("candidates.urls_public")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]
