from django.urls import path

from gongkai.web.backoffice.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/upload/", views.batch_upload, name="batch_upload"),
    path("batches/<int:batch_id>/start/", views.batch_start, name="batch_start"),
    path("batches/<int:batch_id>/recheck/", views.batch_recheck, name="batch_recheck"),
    path("batches/<int:batch_id>/reread/", views.batch_reread, name="batch_reread"),
    path("batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/findings.xlsx", views.batch_export, name="batch_export"),
    path("reports/<int:item_id>/", views.item_detail, name="item"),
    path("reports/<int:item_id>/confirm/", views.item_confirm, name="item_confirm"),
    path("reports/<int:item_id>/register/", views.item_register, name="item_register"),
    path("reports/<int:item_id>/published-on/", views.item_published_on, name="item_published_on"),
    path("reports/<int:item_id>/requeue/", views.item_requeue, name="item_requeue"),
    path("reports/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/sync/", views.body_sync, name="body_sync"),
    path("bodies/<int:body_id>/active/", views.body_active, name="body_active"),
    path("aggregate/", views.aggregate, name="aggregate"),
    path("aggregate/export.xlsx", views.aggregate_export, name="aggregate_export"),
]
