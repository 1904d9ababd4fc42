"""URL patterns of the mentoring app for training (namespace mentoring, joined in mentoring/urls.py)."""

urlpatterns = []
