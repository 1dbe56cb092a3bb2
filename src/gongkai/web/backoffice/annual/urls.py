from django.urls import path

from gongkai.web.backoffice.annual import views

app_name = "annual"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("assemble/", views.report_assemble, name="assemble"),
    path("import/", views.report_import, name="import"),
    path("trends/", views.trends, name="trends"),
    path("report.css", views.report_css, name="css"),
    path("<int:record_id>/", views.report_detail, name="detail"),
    path("<int:record_id>/reassemble/", views.report_reassemble, name="reassemble"),
    path("<int:record_id>/sections/<int:number>/", views.section_update, name="section"),
    path("<int:record_id>/acknowledge/", views.finding_acknowledge, name="acknowledge"),
    path("<int:record_id>/<str:action>/", views.report_transition, name="transition"),
    path("<int:record_id>/export/<str:fmt>/", views.report_export, name="export"),
]
