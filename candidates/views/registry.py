"""Placeholder: being written."""

from django.http import HttpResponse


def candidate_list(request, pk=None):
    return HttpResponse(status=501)


def candidate_create(request, pk=None):
    return HttpResponse(status=501)


def candidate_export(request, pk=None):
    return HttpResponse(status=501)


def candidate_detail(request, pk=None):
    return HttpResponse(status=501)


def candidate_edit(request, pk=None):
    return HttpResponse(status=501)


def candidate_nominate(request, pk=None):
    return HttpResponse(status=501)
