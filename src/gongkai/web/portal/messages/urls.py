from django.urls import path

from gongkai.web.portal.messages import views

app_name = "messages"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("new/", views.message_new, name="new"),
    path("thanks/", views.message_thanks, name="thanks"),
    path("<int:pk>/", views.message_detail, name="detail"),
]
