from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("backoffice/", include("gongkai.web.backoffice.urls")),
    path("api/", include("gongkai.api.urls")),
    path("", include("gongkai.web.portal.urls")),
]
