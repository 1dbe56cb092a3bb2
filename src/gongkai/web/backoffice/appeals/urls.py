from django.urls import path

from gongkai.web.backoffice.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/<str:kind>/", views.appeal_create, name="create"),
    path("<str:kind>/<int:pk>/", views.appeal_detail, name="detail"),
]
