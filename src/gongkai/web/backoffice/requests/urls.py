from django.urls import path

from gongkai.web.backoffice.requests import admin_views, reports, views

app_name = "requests"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.application_register, name="register"),
    path("tables/", reports.tables, name="tables"),
    path("export/", reports.export_xlsx, name="export"),
    path("import/", reports.import_xlsx, name="import"),
    path("letter-templates/", admin_views.letter_templates, name="letter_templates"),
    path("letter-templates/<str:kind>/", admin_views.letter_template_edit, name="letter_template"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/do/<str:action>/", views.application_action, name="action"),
    path("<int:pk>/letters/<int:letter_id>.<str:fmt>", views.letter_download, name="letter"),
    path("<int:pk>/draft.<str:fmt>", views.draft_letter, name="draft_letter"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
