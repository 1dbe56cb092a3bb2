"""What every API view shares: token authentication, the back office's permissions, throttling,
JSON only, and the error responses documented once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api.permissions import StaffCodenames
from gongkai.api.serializers import ProblemSerializer

ERRORS = {
    400: OpenApiResponse(ProblemSerializer, description="数据有误，或当前状态不允许（中文说明）"),
    401: OpenApiResponse(ProblemSerializer, description="缺少接口令牌，或令牌无效、已过期、已吊销"),
    403: OpenApiResponse(ProblemSerializer, description="没有权限"),
    404: OpenApiResponse(ProblemSerializer, description="不存在或不在本人可见范围内（两者相同）"),
    429: OpenApiResponse(ProblemSerializer, description="请求过于频繁"),
}


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "页码无效。"


class ApiView(GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [StaffCodenames]
    pagination_class = Pages
    # codenames per HTTP method, read by ``StaffCodenames`` (see gongkai.api.permissions)
    required: dict[str, tuple[str, ...]] | tuple[str, ...] = ()
    required_any: dict[str, tuple[str, ...]] | tuple[str, ...] = ()


def paginate(
    view: APIView,
    request: Request,
    queryset: QuerySet[Any],
    serialize: Callable[[list[Any]], Any],
) -> Response:
    paginator = Pages()
    page = paginator.paginate_queryset(queryset, request, view=view)  # a bad page: 404
    return paginator.get_paginated_response(serialize(list(page or [])))
