from django.urls import path

from gongkai.web.backoffice.security import views

app_name = "security"
urlpatterns = [
    path("", views.totp_page, name="totp"),
    path("totp/start/", views.totp_start, name="totp_start"),
    path("totp/confirm/", views.totp_confirm, name="totp_confirm"),
    path("totp/cancel/", views.totp_cancel, name="totp_cancel"),
    path("totp/disable/", views.totp_disable, name="totp_disable"),
    path("login/verify/", views.login_verify, name="login_verify"),
]
