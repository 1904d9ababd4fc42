"""Placeholder: being written."""

from django.http import HttpResponse


def certification_detail(request, pk=None):
    return HttpResponse(status=501)


def notice_publish(request, pk=None):
    return HttpResponse(status=501)
