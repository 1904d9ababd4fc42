"""The public notice page (/notices/): no login; public fields only."""

from django.urls import path

from candidates.views import notices

app_name = "notices"
urlpatterns = [
    path("", notices.notice_list, name="notice_list"),
    path("<int:pk>/object/", notices.objection_submit, name="objection_submit"),
]
