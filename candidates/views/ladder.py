"""Placeholder: being written."""

from django.http import HttpResponse


def party_milestones(request, pk):
    return HttpResponse(status=501)


def promotion_propose(request, pk):
    return HttpResponse(status=501)


def promotion_detail(request, pk):
    return HttpResponse(status=501)


def elimination_propose(request, pk):
    return HttpResponse(status=501)


def elimination_list(request):
    return HttpResponse(status=501)


def elimination_detail(request, pk):
    return HttpResponse(status=501)
