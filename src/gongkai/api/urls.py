"""``/api/``: the REST API (docs/api.md), its OpenAPI document, and the token pages
(one's own; the administrators' ``tokens/all/``)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from gongkai.api.views import annual, applications, publications, tokens

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("tokens/", tokens.token_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("tokens/all/", tokens.token_admin_page, name="tokens-admin"),
    path(
        "tokens/all/<int:token_id>/revoke/",
        tokens.token_admin_revoke,
        name="tokens-admin-revoke",
    ),
    path(
        "tokens/all/users/<int:user_id>/revoke/",
        tokens.token_admin_revoke_user,
        name="tokens-admin-revoke-user",
    ),
    path("applications/", applications.ApplicationList.as_view(), name="application-list"),
    path(
        "applications/<int:pk>/",
        applications.ApplicationDetail.as_view(),
        name="application-detail",
    ),
    *[
        path(
            f"applications/<int:pk>/{action.value.replace('_', '-')}/",
            view.as_view(),
            name=f"application-{action.value.replace('_', '-')}",
        )
        for action, view in applications.ACTION_VIEWS.items()
    ],
    path("annual-reports/", annual.AnnualReportList.as_view(), name="annual-report-list"),
    path(
        "annual-reports/assemble/",
        annual.AnnualReportAssemble.as_view(),
        name="annual-report-assemble",
    ),
    path(
        "annual-reports/<int:pk>/",
        annual.AnnualReportDetail.as_view(),
        name="annual-report-detail",
    ),
    path("publications/", publications.PublicationList.as_view(), name="publication-list"),
    path(
        "publications/<int:pk>/",
        publications.PublicationDetail.as_view(),
        name="publication-detail",
    ),
]
