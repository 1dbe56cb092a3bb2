from django.urls import include, path

from gongkai.web.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("audit/", views.audit_log, name="audit_log"),
    # One URL module per work area (each owns its views and templates).
    path("requests/", include("gongkai.web.backoffice.requests.urls")),
    path("appeals/", include("gongkai.web.backoffice.appeals.urls")),
    path("publishing/", include("gongkai.web.backoffice.publishing.urls")),
    path("messages/", include("gongkai.web.backoffice.messages.urls")),
    path("annual/", include("gongkai.web.backoffice.annual.urls")),
    path("oversight/", include("gongkai.web.backoffice.oversight.urls")),
    path("calendar/", include("gongkai.web.backoffice.calendar.urls")),
    path("security/", include("gongkai.web.backoffice.security.urls")),
]
