from django.urls import path

from gongkai.web.backoffice.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.year_view, name="year"),
    path("days/", views.day_set, name="day_set"),
    path("days/delete/", views.day_delete, name="day_delete"),
    path("confirm/", views.year_confirm, name="confirm"),
]
