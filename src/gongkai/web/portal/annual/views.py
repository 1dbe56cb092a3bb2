"""Published annual reports on the portal: list, read online, download."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.rendering import render_html_fragment
from gongkai.statutory.report import AnnualReport
from gongkai.web.backoffice.annual.views import EXPORT_FORMATS, file_response


def published_reports():  # type: ignore[no-untyped-def]
    """The only way the portal finds annual reports: published ones of active agencies."""
    return AnnualReportRecord.objects.filter(
        status=AnnualReportRecord.Status.PUBLISHED,
        agency__is_active=True,
        published_data__isnull=False,
    ).select_related("agency")


def _get(record_id: int) -> AnnualReportRecord:
    try:
        return published_reports().get(pk=record_id)
    except AnnualReportRecord.DoesNotExist:
        raise Http404("未找到该年度报告") from None


def report_list(request: HttpRequest) -> HttpResponse:
    reports = published_reports().order_by("-year", "agency__path")
    slug = request.GET.get("agency")
    if slug:
        reports = reports.filter(agency__slug=slug)
    return render(request, "portal/annual/list.html", {"reports": reports})


def report_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(record_id)
    report = AnnualReport.from_dict(record.published_data)
    return render(
        request,
        "portal/annual/detail.html",
        {
            "record": record,
            "report_html": render_html_fragment(report, include_style=False),
            "export_formats": EXPORT_FORMATS.items(),
        },
    )


def report_download(request: HttpRequest, record_id: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    record = _get(record_id)
    return file_response(record, AnnualReport.from_dict(record.published_data), fmt)
