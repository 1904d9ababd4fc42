"""Placeholder: being written."""

from django.http import HttpResponse


def objection_record(request, pk=None):
    return HttpResponse(status=501)


def objection_rule(request, pk=None):
    return HttpResponse(status=501)


def notice_list(request, pk=None):
    return HttpResponse(status=501)


def objection_submit(request, pk=None):
    return HttpResponse(status=501)
