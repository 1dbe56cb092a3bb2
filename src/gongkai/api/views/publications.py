"""Publications (主动公开), read-only: what the portal shows, found through the publishing app's
one public selector (published, on this platform, of an active agency) — never a draft, a
scheduled, withdrawn or in-review item. Imported lazily: the API does not depend on the
publishing app at import time."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.api import serializers as s
from gongkai.api.views.base import ERRORS, ApiView, paginate

TAG = ["主动公开"]


class PublicationList(ApiView):
    @extend_schema(
        tags=TAG,
        summary="已发布的主动公开信息",
        parameters=[s.PublicationFilterSerializer],
        responses={200: s.PublicationSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        from gongkai.ledger.publishing.selectors import publication_list_public

        filters = s.PublicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        d = filters.validated_data
        qs = publication_list_public().select_related("agency")
        if d.get("agency"):
            qs = qs.filter(agency__slug=d["agency"])
        if d.get("year"):
            qs = qs.filter(published_at__year=d["year"])
        if d.get("q"):
            qs = qs.filter(title__icontains=d["q"])
        return paginate(
            self,
            request,
            qs,
            lambda page: (
                s.PublicationSummarySerializer(page, many=True, context={"request": request}).data
            ),
        )


class PublicationDetail(ApiView):
    @extend_schema(
        tags=TAG,
        summary="一条已发布的主动公开信息",
        responses={200: s.PublicationDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        from gongkai.ledger.publishing.selectors import publication_get_public

        publication = publication_get_public(pk)
        return Response(
            s.PublicationDetailSerializer(publication, context={"request": request}).data
        )
