from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from villages.selectors import focus_region


@login_required
def home(request):
    """The start page: who the user is and where they work, with the way into their region."""
    return render(request, "reports/home.html", {"region": focus_region(user=request.user, code=None)})
