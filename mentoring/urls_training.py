"""URL patterns of the mentoring app for training (namespace mentoring, joined in mentoring/urls.py)."""

from django.urls import path

from mentoring.views import training as views

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/export.xlsx", views.course_export, name="course_export"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/enrol/", views.enrolment_create, name="enrolment_create"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete, name="enrolment_complete"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/export.xlsx", views.cohort_export, name="cohort_export"),
    path("online/", views.online_learning_list, name="online_learning_list"),
    path("online/export.xlsx", views.online_learning_export, name="online_learning_export"),
    path("online/import/", views.online_import_upload, name="online_import_upload"),
    path("online/import/template.xlsx", views.online_import_template, name="online_import_template"),
    path("online/import/<int:pk>/", views.online_import_preview, name="online_import_preview"),
]
