from django.urls import path

from candidates.views import certification, imports, ladder, notices, pdf, registry

app_name = "candidates"
urlpatterns = [
    path("", registry.candidate_list, name="candidate_list"),
    path("new/", registry.candidate_create, name="candidate_create"),
    path("export.xlsx", registry.candidate_export, name="candidate_export"),
    path("<int:pk>/", registry.candidate_detail, name="candidate_detail"),
    path("<int:pk>/form.pdf", pdf.candidate_form_pdf, name="candidate_form_pdf"),
    path("<int:pk>/edit/", registry.candidate_edit, name="candidate_edit"),
    path("<int:pk>/nominate/", registry.candidate_nominate, name="candidate_nominate"),
    path("<int:pk>/party/", ladder.party_milestones, name="candidate_party"),
    path("<int:pk>/promote/", ladder.promotion_propose, name="promotion_propose"),
    path("<int:pk>/eliminate/", ladder.elimination_propose, name="elimination_propose"),
    path("promotions/<int:pk>/", ladder.promotion_detail, name="promotion_detail"),
    path("eliminations/", ladder.elimination_list, name="elimination_list"),
    path("eliminations/export.xlsx", ladder.elimination_export, name="elimination_export"),
    path("eliminations/<int:pk>/", ladder.elimination_detail, name="elimination_detail"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("certifications/<int:pk>/", certification.certification_detail, name="certification_detail"),
    path("certifications/<int:pk>/notice/", certification.notice_publish, name="notice_publish"),
    path("certifications/<int:pk>/objections/new/", notices.objection_record, name="objection_record"),
    path("objections/<int:pk>/rule/", notices.objection_rule, name="objection_rule"),
]
