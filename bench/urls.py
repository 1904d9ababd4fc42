"""The portal's URLs and `/bench/hello/`: a login-required view that does nothing else, the baseline of
rps_ratio_list (what the framework, the middleware and the session cost before any page of ours)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as portal


@login_required
def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *portal]
