from django.urls import path

from gongkai.web.backoffice.messages import views

app_name = "messages"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/reply/", views.message_reply, name="reply"),
    path("<int:pk>/close/", views.message_close, name="close"),
    path("<int:pk>/publish/", views.message_publish, name="publish"),
]
