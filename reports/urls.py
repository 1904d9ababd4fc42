from django.urls import path

from reports import views, views_dashboard, views_exports, views_pdf

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views_dashboard.dashboard, name="dashboard"),
    path("reports/dynamic/", views.dynamic_management, name="dynamic_management"),
    path("reports/dynamic/export.xlsx", views_exports.dynamic_export, name="dynamic_export"),
    path("reports/figures.xlsx", views_exports.figures_export, name="figures_export"),
    path("reports/summary.json", views.summary_json, name="summary"),
    path("reports/annual.pdf", views_pdf.annual_pdf, name="annual_pdf"),
]
