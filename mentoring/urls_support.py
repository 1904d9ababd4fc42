"""URL patterns of the mentoring app for support and contributions (namespace mentoring, joined in
mentoring/urls.py)."""

from django.urls import path

from mentoring.views import contributions, support

urlpatterns = [
    path("support/", support.support_list, name="support_list"),
    path("support/export.xlsx", support.support_export, name="support_export"),
    path("candidates/<int:pk>/support/new/", support.support_create, name="support_create"),
    path("policies/", support.policy_list, name="policy_list"),
    path("policies/export.xlsx", support.policy_export, name="policy_export"),
    path("collective-projects/", contributions.collective_project_list, name="collective_project_list"),
    path(
        "collective-projects/export.xlsx",
        contributions.collective_project_export,
        name="collective_project_export",
    ),
    path(
        "candidates/<int:pk>/collective-projects/new/",
        contributions.collective_project_create,
        name="collective_project_create",
    ),
    path("contributions/", contributions.contribution_list, name="contribution_list"),
    path("contributions/export.xlsx", contributions.contribution_export, name="contribution_export"),
    path(
        "candidates/<int:pk>/contributions/new/",
        contributions.contribution_create,
        name="contribution_create",
    ),
    path("awards/", contributions.award_list, name="award_list"),
    path("awards/export.xlsx", contributions.award_export, name="award_export"),
    path("candidates/<int:pk>/awards/new/", contributions.award_create, name="award_create"),
]
