from django.urls import include, path

from gongkai.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<slug:slug>/", views.agency_home, name="agency"),
    path("apply/", include("gongkai.web.portal.requests.urls")),
    path("info/", include("gongkai.web.portal.publishing.urls")),
    path("messages/", include("gongkai.web.portal.messages.urls")),
    path("reports/", include("gongkai.web.portal.annual.urls")),
]
