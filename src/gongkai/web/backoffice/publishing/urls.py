from django.urls import path

from gongkai.web.backoffice.publishing import views

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
]
