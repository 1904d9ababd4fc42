"""The portal's URLs and one page that fails, for the tests of the 500 page (tests/test_error_pages.py)."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as portal

__all__ = ["handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("a bug the tests plant")


urlpatterns = [path("fails/", fails), *portal]
