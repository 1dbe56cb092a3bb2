"""Annual report workspace: assemble, narrative, checks panel, sign-off, exports, trends."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.permissions import staff_required
from gongkai.core.scoping import agency_list_for_user, scope_to_user, staff_agency
from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord, YearCorrection
from gongkai.ledger.annual.narrative import FIGURE_CATALOGUE
from gongkai.rendering import MEDIA_TYPES, render_html_fragment
from gongkai.rendering import render as render_report
from gongkai.statutory.formats import SECTIONS, TABLE3_COLUMNS

EXPORT_FORMATS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "json": "JSON", "html": "HTML"}


def record_list_for_user(user):  # type: ignore[no-untyped-def]
    return scope_to_user(AnnualReportRecord.objects.select_related("agency"), user)


def record_get_for_user(*, user, record_id: int) -> AnnualReportRecord:  # type: ignore[no-untyped-def]
    try:
        return record_list_for_user(user).get(pk=record_id)
    except AnnualReportRecord.DoesNotExist:
        raise Http404("未找到该年度报告") from None


class AssembleForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)
    agency = forms.ChoiceField(label="机关")
    scope = forms.ChoiceField(label="范围", choices=AnnualReportRecord.Scope.choices)


class ImportForm(forms.Form):
    agency = forms.ChoiceField(label="机关")
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)
    published_on = forms.DateField(
        label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label="已发布的报告文件（PDF、DOCX、HTML 或 TXT）")


def _agency_choices(user):  # type: ignore[no-untyped-def]
    return [(str(a.pk), a.name) for a in agency_list_for_user(user)]


@staff_required("edit_annual_report")
def report_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = AssembleForm(
        initial={
            "year": today.year - 1,
            "scope": "agency",
            "agency": getattr(staff_agency(request.user), "pk", ""),
        }
    )
    form.fields["agency"].choices = _agency_choices(request.user)
    import_form = ImportForm(initial={"year": today.year - 2})
    import_form.fields["agency"].choices = form.fields["agency"].choices
    records = list(record_list_for_user(request.user))
    for record in records:
        record.deadline = services.deadline_for(record)
        record.days_left = (record.deadline - today).days
    return render(
        request,
        "backoffice/annual/list.html",
        {"records": records, "form": form, "import_form": import_form},
    )


@require_POST
@staff_required("edit_annual_report")
def report_assemble(request: HttpRequest) -> HttpResponse:
    form = AssembleForm(request.POST)
    form.fields["agency"].choices = _agency_choices(request.user)
    if not form.is_valid():
        messages.error(request, "请选择机关、年度和范围。")
        return redirect("backoffice:annual:list")
    agency = agency_list_for_user(request.user).get(pk=form.cleaned_data["agency"])
    try:
        record = services.annual_report_assemble(
            actor=request.user,
            agency=agency,
            year=form.cleaned_data["year"],
            scope=form.cleaned_data["scope"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("backoffice:annual:list")
    if record.changes:
        messages.success(
            request, f"已重新生成，{len(record.changes)} 处数据与上次不同（见下方“变化”）。"
        )
    else:
        messages.success(request, "已根据台账生成报告。")
    return redirect("backoffice:annual:detail", record.pk)


@require_POST
@staff_required("edit_annual_report")
def report_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    form.fields["agency"].choices = _agency_choices(request.user)
    if not form.is_valid():
        messages.error(request, "请选择机关、年度并上传文件。")
        return redirect("backoffice:annual:list")
    agency = agency_list_for_user(request.user).get(pk=form.cleaned_data["agency"])
    upload = form.cleaned_data["file"]
    try:
        record = services.annual_report_import(
            actor=request.user,
            agency=agency,
            year=form.cleaned_data["year"],
            data=upload.read(),
            filename=upload.name,
            published_on=form.cleaned_data["published_on"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("backoffice:annual:list")
    messages.success(request, f"已导入{record.year}年度报告，可用于跨年度检查。")
    return redirect("backoffice:annual:detail", record.pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您没有执行此操作的权限。"


def _drill_url(record: AnnualReportRecord, row: str, col: str) -> str | None:
    """The cases behind one cell of table 三 (the work list filtered by the same condition)."""
    try:
        base = reverse("backoffice:requests:list")
    except NoReverseMatch:
        return None
    params = {"t3year": record.year, "t3row": row, "t3col": col, "agency": record.agency_id}
    if record.scope == record.Scope.REGION:
        params["region"] = 1
    return f"{base}?{urlencode(params)}"


@staff_required("edit_annual_report")
def report_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = record_get_for_user(user=request.user, record_id=record_id)
    report = services.report_of(record)
    findings = services.record_findings(record)
    acknowledged = {a.finding_key: a for a in record.acknowledgements.all()}
    finding_rows = [
        {
            "finding": f,
            "key": services.finding_key(f),
            "ack": acknowledged.get(services.finding_key(f)),
        }
        for f in findings
    ]
    state = services.sign_off_state(record)
    layout = report.layout
    drill = [
        {
            "label": row.label,
            "cells": [
                {
                    "value": report.cell(row.key, col.key),
                    "url": _drill_url(record, row.key, col.key),
                }
                for col in TABLE3_COLUMNS
            ],
        }
        for row in layout.table3_rows
    ]
    narrative = services._narrative_state(record)
    sections = [
        {"number": spec.number, "heading": spec.heading, **narrative[str(spec.number)]}
        for spec in SECTIONS
    ]
    today = clock.today()
    deadline = services.deadline_for(record)
    return render(
        request,
        "backoffice/annual/detail.html",
        {
            "record": record,
            "report_html": render_html_fragment(report, include_style=False),
            "finding_rows": finding_rows,
            "errors": len(state.errors),
            "unacknowledged": len(state.unacknowledged),
            "can_sign": state.can_sign,
            "drill": drill,
            "columns": [c.label for c in TABLE3_COLUMNS],
            "sections": sections,
            "figure_catalogue": FIGURE_CATALOGUE.items(),
            "deadline": deadline,
            "days_left": (deadline - today).days,
            "drift": services.ledger_drift(record),
            "corrections": YearCorrection.objects.filter(
                agency=record.agency, year=record.year
            ).select_related("created_by"),
            "export_formats": EXPORT_FORMATS.items(),
            "can_head": request.user.has_perm("core.sign_annual_report"),
        },
    )


def _post_action(request: HttpRequest, record_id: int, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    record = record_get_for_user(user=request.user, record_id=record_id)
    try:
        version = int(request.POST.get("version", record.version))
    except ValueError:
        version = record.version
    try:
        note = action(record, version)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        if note:
            messages.success(request, note)
    return redirect("backoffice:annual:detail", record.pk)


@require_POST
@staff_required("edit_annual_report")
def report_reassemble(request: HttpRequest, record_id: int) -> HttpResponse:
    def act(record, version):  # type: ignore[no-untyped-def]
        fresh = services.annual_report_assemble(
            actor=request.user, agency=record.agency, year=record.year, scope=record.scope
        )
        return f"已重新生成，{len(fresh.changes)} 处数据发生变化。"

    return _post_action(request, record_id, act)


@require_POST
@staff_required("edit_annual_report")
def section_update(request: HttpRequest, record_id: int, number: int) -> HttpResponse:
    def act(record, version):  # type: ignore[no-untyped-def]
        services.annual_report_update_section(
            actor=request.user,
            record=record,
            number=number,
            template=request.POST.get("template", ""),
            frozen=request.POST.get("frozen") == "1",
            expected_version=version,
        )
        return "正文已保存。"

    return _post_action(request, record_id, act)


@require_POST
@staff_required("edit_annual_report")
def finding_acknowledge(request: HttpRequest, record_id: int) -> HttpResponse:
    def act(record, version):  # type: ignore[no-untyped-def]
        services.finding_acknowledge(
            actor=request.user,
            record=record,
            key=request.POST.get("key", ""),
            rule=request.POST.get("rule", ""),
            reason=request.POST.get("reason", ""),
        )
        return "已记录保留理由。"

    return _post_action(request, record_id, act)


@require_POST
@staff_required("edit_annual_report")
def report_transition(request: HttpRequest, record_id: int, action: str) -> HttpResponse:
    def act(record, version):  # type: ignore[no-untyped-def]
        if action == "review":
            services.annual_report_review(
                actor=request.user, record=record, expected_version=version
            )
            return "已提交，等待负责人签发。"
        if action == "sign":
            services.annual_report_sign(actor=request.user, record=record, expected_version=version)
            return "负责人已签发。"
        if action == "publish":
            services.annual_report_publish(
                actor=request.user, record=record, expected_version=version
            )
            return "年度报告已在门户网站发布。"
        if action == "return":
            services.annual_report_return_to_draft(
                actor=request.user,
                record=record,
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            return "已退回草稿。"
        raise Http404

    return _post_action(request, record_id, act)


@staff_required("edit_annual_report")
def report_export(request: HttpRequest, record_id: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    record = record_get_for_user(user=request.user, record_id=record_id)
    report = services.report_of(record)
    findings = services.record_findings(record) if fmt in ("xlsx",) else None
    return file_response(record, report, fmt, findings)


def file_response(record, report, fmt, findings=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    content = render_report(report, fmt, findings)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    name = f"{record.agency.name}{record.year}年政府信息公开工作年度报告.{fmt}"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@staff_required("edit_annual_report")
def trends(request: HttpRequest) -> HttpResponse:
    from gongkai.ledger.annual.trends import trend_series

    agency = staff_agency(request.user)
    agency_id = request.GET.get("agency") or (agency.pk if agency else None)
    agencies = agency_list_for_user(request.user)
    chosen = agencies.filter(pk=agency_id).first() if agency_id else agencies.first()
    series = trend_series(chosen) if chosen else None
    return render(
        request,
        "backoffice/annual/trends.html",
        {"agencies": agencies, "chosen": chosen, "series": series},
    )


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    from gongkai.rendering.html import stylesheet

    return stylesheet()


@cache_control(max_age=3600, public=True)
def report_css(request: HttpRequest) -> HttpResponse:
    """The rendering stylesheet for embedded reports (CSP forbids inline styles)."""
    return HttpResponse(_stylesheet(), content_type="text/css; charset=utf-8")
