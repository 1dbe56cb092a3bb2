from django.urls import path

from gongkai.web.portal.requests import views

app_name = "requests"
urlpatterns = [
    path("", views.choose_agency, name="choose_agency"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
    path("track/letters/<int:letter_id>.pdf", views.letter, name="letter"),
    path("track/files/<int:attachment_id>/", views.released_file, name="released_file"),
    path("track/forget/", views.forget, name="forget"),
    path("<slug:slug>/", views.apply, name="apply"),
]
