"""URL patterns of the mentoring app for mentors (namespace mentoring, joined in mentoring/urls.py)."""

urlpatterns = []
