from django.urls import path

from gongkai.web.backoffice.publishing import reference_views, views

app_name = "publishing"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_new, name="new"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/submit/", views.publication_submit, name="submit"),
    path("<int:pk>/review/", views.publication_review, name="review"),
    path("<int:pk>/publish-now/", views.publication_publish_now, name="publish_now"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="withdraw"),
    path("<int:pk>/validity/", views.publication_validity, name="validity"),
    path("<int:pk>/channels/", views.publication_channels, name="channels"),
    path("<int:pk>/links/", views.publication_links, name="links"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("checks/", views.checks, name="checks"),
    path("settings/", views.agency_settings, name="settings"),
    path("registers/", views.registers, name="registers"),
    path("registers/<int:pk>/", views.register_edit, name="register_edit"),
    path("figures/", views.figures, name="figures"),
    path("figures/<int:year>/", views.figures, name="figures_year"),
    path("figures/<int:year>/import/", views.figures_import, name="figures_import"),
    path("table2/", views.table2, name="table2"),
    path("table2/<int:year>/", views.table2, name="table2_year"),
    # reference data: 错敏词库 and 主题分类
    path("terms/", reference_views.term_list, name="terms"),
    path("terms/try/", reference_views.term_try, name="terms_try"),
    path("terms/export/", reference_views.terms_export, name="terms_export"),
    path("terms/import/", reference_views.terms_import, name="terms_import"),
    path("terms/new/", reference_views.term_new, name="term_new"),
    path("terms/<int:pk>/", reference_views.term_edit, name="term_edit"),
    path("terms/<int:pk>/active/", reference_views.term_active, name="term_active"),
    path("topics/", reference_views.topic_list, name="topics"),
    path("topics/new/", reference_views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", reference_views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/active/", reference_views.topic_active, name="topic_active"),
    path("topics/<int:pk>/move/", reference_views.topic_move, name="topic_move"),
    path("topics/<int:pk>/delete/", reference_views.topic_delete, name="topic_delete"),
]
