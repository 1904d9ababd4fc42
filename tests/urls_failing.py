"""The portal's URLs and pages that fail, for the 500 and 503 pages (tests/test_error_pages.py)."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as portal

__all__ = ["handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("a bug the tests plant")


def database_away(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("fails/", fails), path("database-away/", database_away), *portal]
