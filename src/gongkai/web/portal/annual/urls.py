from django.urls import path

from gongkai.web.portal.annual import views

app_name = "annual"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:record_id>/", views.report_detail, name="detail"),
    path("<int:record_id>/download/<str:fmt>/", views.report_download, name="download"),
]
