from django.urls import path

from gongkai.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<slug:slug>/", views.agency_home, name="agency"),
]
