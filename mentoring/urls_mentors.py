"""URL patterns of the mentoring app for mentors, visits and assessments (joined in mentoring/urls.py)."""

from django.urls import path

from mentoring.views import mentors as views

urlpatterns = [
    path("", views.home, name="home"),
    path("mentors/export.xlsx", views.mentor_export, name="mentor_export"),
    path("mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/leave/", views.mentor_leave, name="mentor_leave"),
    path("candidates/<int:pk>/mentor/", views.mentor_assign, name="mentor_assign"),
    path("candidates/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("candidates/<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export.xlsx", views.visit_export, name="visit_export"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/export.xlsx", views.assessment_export, name="assessment_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
]
