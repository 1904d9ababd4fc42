from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/dynamic/", views.dynamic_management, name="dynamic_management"),
    path("reports/summary.json", views.summary_json, name="summary"),
]
