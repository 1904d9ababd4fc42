"""URL patterns of the mentoring app for support (namespace mentoring, joined in mentoring/urls.py)."""

urlpatterns = []
