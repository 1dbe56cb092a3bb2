from django.urls import path

from gongkai.web.portal.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("agencies/<slug:slug>/", views.agency_catalogue, name="agency_catalogue"),
    path("agencies/<slug:slug>/guide/", views.guide, name="guide"),
    path("agencies/<slug:slug>/feed.xml", views.feed, name="agency_feed"),
    path("feed.xml", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", views.sitemap_pages, name="sitemap_pages"),
    path("sitemap-<int:year>-<int:part>.xml", views.sitemap_part, name="sitemap_part"),
]
