"""The supervising office's pages: batches, intake, progress, dashboard, report, register,
regional aggregate. Views parse input and call selectors/services; nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.core.permissions import staff_required
from gongkai.oversight import selectors, services, tasks
from gongkai.oversight.aggregate import region_figures
from gongkai.oversight.charts import bar_chart
from gongkai.oversight.engine import (
    SEVERITY_ZH,
    AuditRow,
    finding_from_dict,
    rule_title,
)
from gongkai.oversight.export import findings_workbook
from gongkai.oversight.intake import DEFAULT_LIMITS
from gongkai.oversight.models import AuditItem, ReportingBody
from gongkai.rendering import MEDIA_TYPES, render_html_fragment, render_xlsx
from gongkai.statutory.report import AnnualReport

XLSX = MEDIA_TYPES["xlsx"]


def oversight_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Back-office login, then: only the supervising office and the region's administrators."""

    @staff_required()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_oversee(request.user):
            raise PermissionDenied("只有政务公开办和本区域管理员可以审查年度报告。")
        return view(request, *args, **kwargs)

    return wrapper


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您没有执行此操作的权限。"


def _region(request: HttpRequest) -> Agency:
    raw = request.POST.get("region") or request.GET.get("region")
    if raw:
        return selectors.region_get_for_user(user=request.user, region_id=_int(raw))
    region = selectors.default_region(request.user)
    if region is None:
        raise PermissionDenied("您的账号没有对应的区域。")
    return region


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("参数有误") from None


def _report_css() -> str | None:
    try:
        return reverse("backoffice:annual:css")
    except NoReverseMatch:
        return None


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class BatchForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=2008, max_value=2100)
    title = forms.CharField(label="名称", max_length=120, required=False)
    include_platform = forms.BooleanField(
        label="包括平台上各机关生成的报告（无需上传）", required=False, initial=True
    )
    department_deadline = forms.DateField(
        label="部门、乡镇发布期限（留空按次年1月31日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    government_deadline = forms.DateField(
        label="本级政府发布期限（留空按次年3月31日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt,.md,.zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(label="报告文件或 ZIP 压缩包（PDF、DOCX、HTML、TXT）")
    body = forms.ChoiceField(label="报告主体（留空则按文件名自动匹配）", required=False)
    published_on = forms.DateField(
        label="发布日期（留空则读取文件中的落款日期）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class BodyForm(forms.Form):
    name = forms.CharField(label="机关名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=ReportingBody.Kind.choices)
    level = forms.ChoiceField(
        label="层级", choices=Agency.Level.choices, initial=Agency.Level.COUNTY
    )
    has_rulemaking_power = forms.BooleanField(label="有规章制定权", required=False)


def _body_choices(user: Any, region: Agency, *, blank: bool = True) -> list[tuple[str, str]]:
    choices = [("", "——")] if blank else []
    choices += [
        (str(b.pk), b.name)
        for b in selectors.body_list_for_user(user, region=region).filter(is_active=True)
    ]
    return choices


# ---------------------------------------------------------------------------------------------
# Batches
# ---------------------------------------------------------------------------------------------


@oversight_required
def batch_list(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    batches = list(
        selectors.batch_list_for_user(request.user)
        .filter(region=region)
        .order_by("-created_at", "-id")
    )
    for batch in batches:
        batch.progress = selectors.progress_of(batch)
    form = BatchForm(initial={"year": clock.today().year - 1, "include_platform": True})
    return render(
        request,
        "backoffice/oversight/list.html",
        {
            "region": region,
            "regions": selectors.regions_for_user(request.user),
            "batches": batches,
            "form": form,
            "bodies": selectors.body_list_for_user(request.user, region=region)
            .filter(is_active=True)
            .count(),
        },
    )


@require_POST
@oversight_required
def batch_create(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写报告年度。")
        return redirect(f"{reverse('backoffice:oversight:list')}?region={region.pk}")
    data = form.cleaned_data
    try:
        batch = services.batch_create(
            actor=request.user,
            region=region,
            year=data["year"],
            title=data["title"],
            include_platform=data["include_platform"],
            department_deadline=data["department_deadline"],
            government_deadline=data["government_deadline"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect(f"{reverse('backoffice:oversight:list')}?region={region.pk}")
    messages.success(request, f"已创建“{batch.title}”。请上传各机关的报告文件，然后开始检查。")
    return redirect("backoffice:oversight:batch", batch.pk)


def _item_lines(items: list[AuditItem]) -> list[dict[str, Any]]:
    return [
        {
            "item": i,
            "name": str(i.body) if i.body else (i.name_hint or i.filename),
            "rules": list(dict.fromkeys(f["rule"] for f in i.findings or ())),
        }
        for i in items
    ]


@oversight_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    dashboard = selectors.batch_dashboard(batch)
    upload = UploadForm()
    upload.fields["body"].choices = _body_choices(request.user, batch.region)
    chart = ""
    if dashboard.rules:
        chart = bar_chart(
            [(f"{r.rule} {r.title}", r.agencies) for r in dashboard.rules[:12]],
            title="各规则涉及的机关数",
            unit="个",
            ident="rules-chart",
        )
    return render(
        request,
        "backoffice/oversight/batch.html",
        {
            "batch": batch,
            "dash": dashboard,
            "lines": _item_lines(dashboard.items),
            "other_lines": _item_lines(dashboard.other_years),
            "progress": selectors.progress_of(batch),
            "upload": upload,
            "rules_chart": chart,
            "limits": DEFAULT_LIMITS,
        },
    )


@never_cache
@oversight_required
def batch_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    tasks.ensure_running(batch)
    return JsonResponse(selectors.progress_of(batch))


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The uploaded files' names and bytes; a file over the limit is read only up to the
    limit (plus one byte), so the intake refuses it without holding it in memory."""
    limits = DEFAULT_LIMITS
    out = []
    for f in request.FILES.getlist("files"):
        cap = limits.archive_bytes if f.name.lower().endswith(".zip") else limits.file_bytes
        out.append((f.name, f.read(cap + 1)))
    return out


@require_POST
@oversight_required
def batch_upload(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    form = UploadForm(request.POST, request.FILES)
    form.fields["body"].choices = _body_choices(request.user, batch.region)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect("backoffice:oversight:batch", batch.pk)
    body = None
    if form.cleaned_data["body"]:
        body = selectors.body_get_for_user(
            user=request.user, body_id=_int(form.cleaned_data["body"]), region=batch.region
        )
    try:
        result = services.batch_add_files(
            actor=request.user,
            batch=batch,
            uploads=_uploads(request),
            body=body,
            published_on=form.cleaned_data["published_on"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("backoffice:oversight:batch", batch.pk)
    if result.added:
        text = f"已加入 {len(result.added)} 份报告。"
        if result.to_confirm:
            text += f"其中 {result.to_confirm} 份的机关名称需要确认。"
        messages.success(request, text)
    for name, where in result.duplicates:
        messages.warning(request, f"《{name}》{where}，未重复加入。")
    for rejected in result.rejected:
        messages.error(request, f"《{rejected.name}》：{rejected.reason}")
    return redirect("backoffice:oversight:batch", batch.pk)


def _batch_action(
    request: HttpRequest, batch_id: int, action: Callable[..., Any], ok: str
) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    try:
        action(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, ok)
    return redirect("backoffice:oversight:batch", batch.pk)


@require_POST
@oversight_required
def batch_start(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_action(request, batch_id, services.batch_start, "已开始检查，进度见下方。")


@require_POST
@oversight_required
def batch_recheck(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_action(
        request, batch_id, services.batch_recheck, "已按最新信息重新运行检查规则。"
    )


@require_POST
@oversight_required
def batch_reread(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_action(request, batch_id, services.batch_reread, "已重新开始读取全部文件。")


def audit_rows(items: list[AuditItem]) -> list[AuditRow]:
    rows = []
    for i in items:
        report = i.report or {}
        rows.append(
            AuditRow(
                file=i.filename,
                agency=str(i.body) if i.body else (report.get("agency") or i.name_hint),
                year=i.year,
                format_version=report.get("format_version", ""),
                source_kind=i.source_kind,
                published_on=i.published_on,
                deadline=None,
                late_days=i.late_days,
                error_code=i.error_code if i.status == AuditItem.Status.UNREADABLE else "",
                error=i.error_message if i.status == AuditItem.Status.UNREADABLE else "",
                findings=[finding_from_dict(f) for f in i.findings or ()],
                previous=i.previous_label,
                notes=["机关名称待确认"] if i.needs_confirmation else [],
            )
        )
    return rows


@oversight_required
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get_for_user(user=request.user, batch_id=batch_id)
    dash = selectors.batch_dashboard(batch)
    data = findings_workbook(
        audit_rows(dash.items + dash.other_years),
        title=f"{batch.region.name}{batch.year}年度政府信息公开工作年度报告审查结果（{batch.title}）",
        missing=[b.name for b in dash.missing],
    )
    return _xlsx(data, f"{batch.title}-问题清单.xlsx")


# ---------------------------------------------------------------------------------------------
# One report
# ---------------------------------------------------------------------------------------------


@oversight_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    findings = [finding_from_dict(f) for f in item.findings or ()]
    report_html = ""
    if item.report:
        report = AnnualReport.from_dict(item.report)
        report_html = render_html_fragment(report, include_style=False, prefix="ov")
    candidate_ids = {c["id"] for c in item.candidates or ()}
    return render(
        request,
        "backoffice/oversight/item.html",
        {
            "item": item,
            "batch": item.batch,
            "findings": [
                {
                    "f": f,
                    "d": d,
                    "title": rule_title(f.rule),
                    "severity": SEVERITY_ZH.get(str(f.severity), ""),
                }
                for f, d in zip(findings, item.findings or (), strict=True)
            ],
            "report_html": report_html,
            "report_css": _report_css(),
            "source_text": services.item_source_text(item) if item.is_done else "",
            "bodies": [
                (value, label)
                for value, label in _body_choices(request.user, item.batch.region, blank=False)
                if not value or int(value) not in candidate_ids
            ],
            "body_form": BodyForm(
                initial={"name": (item.report or {}).get("agency") or item.name_hint}
            ),
        },
    )


def _item_action(
    request: HttpRequest, item_id: int, act: Callable[[AuditItem], str]
) -> HttpResponse:
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    try:
        ok = act(item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, ok)
    return redirect("backoffice:oversight:item", item.pk)


@require_POST
@oversight_required
def item_confirm(request: HttpRequest, item_id: int) -> HttpResponse:
    def act(item: AuditItem) -> str:
        chosen = request.POST.get("body")
        if chosen == "other":
            chosen = request.POST.get("other_body")
        body = selectors.body_get_for_user(
            user=request.user, body_id=_int(chosen), region=item.batch.region
        )
        services.item_confirm_body(actor=request.user, item=item, body=body)
        return f"已确认为{body.name}的报告。"

    return _item_action(request, item_id, act)


@require_POST
@oversight_required
def item_register(request: HttpRequest, item_id: int) -> HttpResponse:
    form = BodyForm(request.POST)

    def act(item: AuditItem) -> str:
        if not form.is_valid():
            raise ValidationError("请填写机关名称、类型和层级。")
        data = form.cleaned_data
        services.item_register_body(
            actor=request.user, item=item, name=data["name"], kind=data["kind"], level=data["level"]
        )
        return f"已将“{data['name']}”登记到报告主体名录，并确认为其报告。"

    return _item_action(request, item_id, act)


@require_POST
@oversight_required
def item_published_on(request: HttpRequest, item_id: int) -> HttpResponse:
    raw = (request.POST.get("published_on") or "").strip()

    def act(item: AuditItem) -> str:
        try:
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValidationError("日期格式应为 年-月-日。") from None
        services.item_set_published_on(actor=request.user, item=item, published_on=day)
        return "已更新发布日期并重新检查。"

    return _item_action(request, item_id, act)


@require_POST
@oversight_required
def item_requeue(request: HttpRequest, item_id: int) -> HttpResponse:
    def act(item: AuditItem) -> str:
        services.item_requeue(actor=request.user, item=item)
        return "已重新排队检查。"

    return _item_action(request, item_id, act)


@require_POST
@oversight_required
def item_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    batch_id = item.batch_id
    try:
        services.item_remove(actor=request.user, item=item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("backoffice:oversight:item", item.pk)
    messages.success(request, f"已从批次中移除《{item.filename}》。")
    return redirect("backoffice:oversight:batch", batch_id)


# ---------------------------------------------------------------------------------------------
# Register of reporting bodies
# ---------------------------------------------------------------------------------------------


@oversight_required
def body_list(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = BodyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                body = services.body_create(actor=request.user, region=region, **data)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, f"已登记“{body.name}”。")
                return redirect(f"{reverse('backoffice:oversight:bodies')}?region={region.pk}")
        else:
            messages.error(request, "请填写机关名称、类型和层级。")
    return render(
        request,
        "backoffice/oversight/bodies.html",
        {
            "region": region,
            "bodies": selectors.body_list_for_user(request.user, region=region),
            "form": form,
        },
    )


@require_POST
@oversight_required
def body_sync(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    try:
        added = services.register_sync_platform(actor=request.user, region=region)
    except PermissionDenied as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            f"已从平台登记 {len(added)} 个机关。" if added else "平台上的机关都已在名录中。",
        )
    return redirect(f"{reverse('backoffice:oversight:bodies')}?region={region.pk}")


@require_POST
@oversight_required
def body_active(request: HttpRequest, body_id: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, body_id=body_id)
    active = request.POST.get("active") == "1"
    services.body_set_active(actor=request.user, body=body, active=active)
    messages.success(
        request, f"“{body.name}”{'恢复为' if active else '已不再列为'}应报送年度报告的机关。"
    )
    return redirect(f"{reverse('backoffice:oversight:bodies')}?region={body.region_id}")


# ---------------------------------------------------------------------------------------------
# Regional aggregate
# ---------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year")
    if not raw:
        return clock.today().year - 1
    year = _int(raw)
    if not 2008 <= year <= clock.today().year:
        raise Http404("年度有误")
    return year


@oversight_required
def aggregate(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    year = _year(request)
    figures = region_figures(region=region, year=year)
    chart = ""
    bars = [(c.body.name, c.applications or 0) for c in figures.included]
    if bars:
        chart = bar_chart(
            sorted(bars, key=lambda b: -b[1]),
            title=f"{year}年各机关本年新收政府信息公开申请数",
            unit="件",
            ident="applications-chart",
        )
    return render(
        request,
        "backoffice/oversight/aggregate.html",
        {
            "region": region,
            "regions": selectors.regions_for_user(request.user),
            "year": year,
            "years": range(clock.today().year, max(2019, clock.today().year - 8), -1),
            "figures": figures,
            "report_html": render_html_fragment(figures.report, include_style=False, prefix="agg")
            if figures.report
            else "",
            "report_css": _report_css(),
            "findings": [
                {
                    "f": f,
                    "title": rule_title(f.rule),
                    "severity": SEVERITY_ZH.get(str(f.severity), ""),
                }
                for f in figures.findings
            ],
            "chart": chart,
        },
    )


@oversight_required
def aggregate_export(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    year = _year(request)
    figures = region_figures(region=region, year=year)
    if figures.report is None:
        raise Http404("该年度还没有可汇总的报告")
    data = render_xlsx(figures.report, list(figures.findings))
    return _xlsx(data, f"{region.name}{year}年度汇总数据.xlsx")
