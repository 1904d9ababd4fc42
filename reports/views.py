from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports.selectors import work_queue


@login_required
def home(request):
    """The work queue: what awaits the user in their jurisdiction, each item a link to act on it."""
    return render(request, "reports/home.html", {"queue": work_queue(user=request.user)})


def dynamic_management(request):
    """Placeholder: being written."""
    from django.http import HttpResponse

    return HttpResponse(status=501)
