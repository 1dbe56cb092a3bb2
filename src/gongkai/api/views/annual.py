"""Annual reports (年度报告): list, one report as ``AnnualReport`` JSON, and assembling a year's
report from the ledger (``services.annual_report_assemble``). Scoped like the back office's
annual pages: the user's agencies, ``edit_annual_report``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.api import serializers as s
from gongkai.api.views.base import ERRORS, ApiView, paginate
from gongkai.core.scoping import agencies_for_user, scope_to_user
from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord

TAG = ["年度报告"]
NO_AGENCY = "未找到该机关"


def record_list_for_user(user: Any) -> QuerySet[AnnualReportRecord]:
    return scope_to_user(AnnualReportRecord.objects.select_related("agency"), user)


def record_get_for_user(*, user: Any, record_id: int) -> AnnualReportRecord:
    try:
        return record_list_for_user(user).get(pk=record_id)
    except AnnualReportRecord.DoesNotExist:
        raise Http404("未找到该年度报告") from None


class AnnualReportList(ApiView):
    required = ("edit_annual_report",)

    @extend_schema(
        tags=TAG,
        summary="年度报告列表",
        parameters=[s.AnnualFilterSerializer],
        responses={200: s.AnnualReportSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = s.AnnualFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = record_list_for_user(request.user).filter(**filters.validated_data)
        return paginate(
            self,
            request,
            qs.order_by("-year", "agency__path", "scope", "origin", "pk"),
            lambda page: (
                s.AnnualReportSummarySerializer(page, many=True, context={"request": request}).data
            ),
        )


class AnnualReportDetail(ApiView):
    required = ("edit_annual_report",)

    @extend_schema(
        tags=TAG,
        summary="一份年度报告（AnnualReport JSON）",
        responses={200: s.AnnualReportDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        record = record_get_for_user(user=request.user, record_id=pk)
        return Response(s.AnnualReportDetailSerializer(record, context={"request": request}).data)


class AnnualReportAssemble(ApiView):
    required = ("edit_annual_report",)

    @extend_schema(
        tags=TAG,
        summary="根据台账生成（或重新生成）年度报告草稿",
        request=s.AnnualAssembleSerializer,
        responses={200: s.AnnualReportDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = s.AnnualAssembleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        agency = agencies_for_user(request.user).filter(pk=d["agency"]).first()
        if agency is None:  # missing and not yours alike
            raise serializers.ValidationError({"agency": [NO_AGENCY]})
        record = services.annual_report_assemble(
            actor=request.user, agency=agency, year=d["year"], scope=d["scope"]
        )
        return Response(s.AnnualReportDetailSerializer(record, context={"request": request}).data)
