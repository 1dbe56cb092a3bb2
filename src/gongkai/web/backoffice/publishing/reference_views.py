"""Back office of the publishing reference data: the error / sensitive-term dictionary (错敏词库)
with its "试一试" box, XLSX export and import, and the 主题分类 tree.

Publishing staff may look (drafters, reviewers, the confidentiality reviewer, administrators);
agency administrators (``manage_agency``) edit their agencies' terms; platform administrators
(superusers) edit the platform-wide terms and the topic classes. The views parse input and call
``ledger.publishing.services.reference``, which checks the same rules again and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.models import Agency, AuditEvent
from gongkai.core.permissions import has_perm, staff_required
from gongkai.core.scoping import agencies_for_user, staff_agency
from gongkai.ledger.publishing.errors import ActionRefused
from gongkai.ledger.publishing.models import TermRule, Topic
from gongkai.ledger.publishing.services.reference import (
    PLATFORM_LABEL,
    TERM_COLUMNS,
    can_edit_term_scope,
    can_edit_topics,
    term_findings,
    term_rule_create,
    term_rule_get_for_user,
    term_rule_set_active,
    term_rule_update,
    term_rules_export_xlsx,
    term_rules_for_user,
    term_rules_import_xlsx,
    term_scopes_for_user,
    topic_create,
    topic_set_active,
    topic_tree,
    topic_update,
    validate_term_pattern,
)
from gongkai.ledger.publishing.services.reference import topic_delete as topic_delete_service
from gongkai.ledger.publishing.services.reference import topic_move as topic_move_service
from gongkai.ledger.publishing.text import highlight

# Who may look at the reference pages (any one of these, or a platform administrator).
READERS = (
    "draft_publication",
    "review_publication",
    "final_review_publication",
    "confidentiality_review",
    "manage_agency",
)
PLATFORM = "platform"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_KEYS = ("q", "kind", "scope", "active", "page")
TRY_MAX = 20000


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def can_view_reference(user: Any) -> bool:
    return bool(user.is_superuser or any(has_perm(user, c) for c in READERS))


def reference_reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff who work on publications (or administer an agency) may view the reference data."""

    @staff_required()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_reference(request.user):
            raise PermissionDenied("您没有查看主动公开参考数据的权限")
        return view(request, *args, **kwargs)

    return wrapper


def platform_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Topic classes are platform-wide: only platform administrators change them."""

    @staff_required()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit_topics(request.user):
            raise PermissionDenied("主题分类是全平台共用的数据，只能由平台管理员维护")
        return view(request, *args, **kwargs)

    return wrapper


ACTION_LABELS = {
    "created": "新增",
    "updated": "修改",
    "activated": "启用",
    "deactivated": "停用",
    "moved": "调整顺序",
}
FIELD_LABELS = {
    "scope": "适用范围",
    "kind": "类型",
    "pattern": "词语或正则表达式",
    "is_regex": "正则表达式",
    "suggestion": "建议",
    "blocking": "阻止发布",
    "is_active": "启用",
    "code": "代码",
    "name": "名称",
    "parent": "上级分类",
    "position": "排序",
    "order": "顺序",
    "direction": "方向",
}
_VALUE_LABELS = {**dict(TermRule.Kind.choices), "up": "上移", "down": "下移"}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "，".join(f"{k}→{v}" for k, v in value.items())
    return _VALUE_LABELS.get(value, str(value)) if isinstance(value, str) else str(value)


def _history(model: type, pk: int) -> list[dict[str, Any]]:
    """The audit events of one record, newest first, with Chinese labels."""
    events = AuditEvent.objects.filter(
        subject_type=model._meta.label_lower, subject_id=str(pk)
    ).order_by("-occurred_at", "-pk")[:30]
    rows = []
    for event in events:
        data = event.data or {}
        rows.append(
            {
                "event": event,
                "action": ACTION_LABELS.get(event.action.rsplit(".", 1)[-1], event.action),
                "note": data.get("note", ""),
                "before": [
                    (FIELD_LABELS.get(k, k), _shown(v)) for k, v in data.get("before", {}).items()
                ],
                "after": [
                    (FIELD_LABELS.get(k, k), _shown(v)) for k, v in data.get("after", {}).items()
                ],
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Forms (fields only; the services validate the rules)
# ---------------------------------------------------------------------------------------------


def _scope_value(agency: Agency | None) -> str:
    return PLATFORM if agency is None else str(agency.pk)


def _scope_choices(scopes: list[Agency | None]) -> list[tuple[str, str]]:
    return [
        (_scope_value(a), f"{PLATFORM_LABEL}（所有机关）" if a is None else a.name) for a in scopes
    ]


def _scope_from(value: str, scopes: list[Agency | None]) -> Agency | None:
    for agency in scopes:
        if _scope_value(agency) == value:
            return agency
    raise ValidationError("请选择适用范围")


class TermRuleForm(forms.Form):
    scope = forms.ChoiceField(label="适用范围")
    kind = forms.ChoiceField(label="类型", choices=TermRule.Kind.choices)
    pattern = forms.CharField(
        label="词语或正则表达式",
        max_length=200,
        help_text="按字面查找；勾选“按正则表达式匹配”后按 Python 正则表达式查找",
    )
    is_regex = forms.BooleanField(label="按正则表达式匹配", required=False)
    suggestion = forms.CharField(
        label="建议", max_length=200, required=False, help_text="发现时提示的修改建议"
    )
    blocking = forms.BooleanField(
        label="阻止送审和发布（不勾选则只提示）", required=False, initial=True
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, scopes: list[Agency | None] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scopes = scopes
        if scopes is None:
            del self.fields["scope"]
        else:
            self.fields["scope"].choices = _scope_choices(scopes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "pattern" in data:
            try:
                data["pattern"] = validate_term_pattern(
                    data["pattern"], is_regex=bool(data.get("is_regex"))
                )
            except ValidationError as exc:
                self.add_error("pattern", exc.messages[0])
        return data

    def agency(self) -> Agency | None:
        assert self.scopes is not None
        return _scope_from(self.cleaned_data["scope"], self.scopes)

    def service_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.fields if k != "scope"}


class TermTryForm(forms.Form):
    text = forms.CharField(
        label="待检查的文字",
        max_length=TRY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="粘贴标题、正文等文字，按送审和发布时的同一检查查找错敏词（只检查启用的词条）",
    )
    agency = forms.ChoiceField(label="按哪个机关的词库检查", required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        self.fields["agency"].choices = [("", f"仅{PLATFORM_LABEL}词条")] + [
            (str(a.pk), f"{a.name}（{PLATFORM_LABEL}词条和本机关词条）") for a in agencies
        ]

    def chosen_agency(self) -> Agency | None:
        value = self.cleaned_data.get("agency") or ""
        return next((a for a in self.agencies if str(a.pk) == value), None)


class TermImportForm(forms.Form):
    file = forms.FileField(
        label="XLSX 文件",
        help_text="表头：" + "、".join(c.header for c in TERM_COLUMNS) + "（可先导出一份作为模板）",
    )
    scope = forms.ChoiceField(
        label="未填“适用范围”的行导入到", help_text="表格中填了“适用范围”的行按表格导入"
    )

    def __init__(self, *args: Any, scopes: list[Agency | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scopes = scopes
        self.fields["scope"].choices = _scope_choices(scopes)


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.code} {obj.name}" + ("" if obj.is_active else "（已停用）")


class TopicForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60)
    code = forms.CharField(
        label="代码",
        max_length=20,
        required=False,
        help_text="如“05”（一级）或“05.03”（二级）；新增时留空则自动编号",
    )
    parent = ParentChoiceField(
        label="上级分类",
        required=False,
        queryset=Topic.objects.none(),
        empty_label="（无：作为一级分类）",
    )
    position = forms.IntegerField(
        label="排序", min_value=0, required=False, help_text="数字小的在前；新增时留空则排在最后"
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, topic: Topic | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Topic.objects.filter(parent__isnull=True).order_by("position", "code")
        if topic is not None:
            parents = parents.exclude(pk=topic.pk)
            self.fields["code"].required = True
            self.fields["code"].help_text = "如“05”（一级）或“05.03”（二级）"
            self.fields["position"].required = True
            self.fields["position"].help_text = "数字小的在前"
        self.fields["parent"].queryset = parents


# ---------------------------------------------------------------------------------------------
# 错敏词库
# ---------------------------------------------------------------------------------------------


def _terms_url(query: str = "") -> str:
    """The list's URL with the known filter keys of ``query`` (a query string) only."""
    params = QueryDict(query or "", mutable=True)
    kept = QueryDict("", mutable=True)
    for key in LIST_KEYS:
        value = params.get(key)
        if value:
            kept[key] = value
    url = reverse("backoffice:publishing:terms")
    return f"{url}?{kept.urlencode()}" if kept else url


def _filters(request: HttpRequest) -> dict[str, str]:
    """The list's filters from the query string (unknown values are dropped)."""
    get = request.GET
    kind = get.get("kind", "")
    scope = get.get("scope", "")
    active = get.get("active", "")
    return {
        "q": get.get("q", "").strip()[:100],
        "kind": kind if kind in TermRule.Kind.values else "",
        "scope": scope if scope == PLATFORM or scope.isdigit() else "",
        "active": active if active in ("1", "0") else "",
    }


def _filtered_terms(user: Any, filters: dict[str, str]) -> QuerySet[TermRule]:
    qs = term_rules_for_user(user)
    if filters["q"]:
        qs = qs.filter(Q(pattern__icontains=filters["q"]) | Q(suggestion__icontains=filters["q"]))
    if filters["kind"]:
        qs = qs.filter(kind=filters["kind"])
    if filters["scope"] == PLATFORM:
        qs = qs.filter(agency__isnull=True)
    elif filters["scope"]:
        qs = qs.filter(agency_id=int(filters["scope"]))
    if filters["active"]:
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs.order_by(F("agency__path").asc(nulls_first=True), "kind", "pattern", "pk")


def _render_terms(
    request: HttpRequest,
    *,
    try_form: TermTryForm | None = None,
    try_result: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    filters = _filters(request)
    page = Paginator(_filtered_terms(user, filters), 50).get_page(request.GET.get("page"))
    scopes = term_scopes_for_user(user)
    platform_ok = None in scopes
    agency_ids = {a.pk for a in scopes if a is not None}
    rows = [
        (rule, platform_ok if rule.agency_id is None else rule.agency_id in agency_ids)
        for rule in page
    ]
    visible = list(agencies_for_user(user))
    if try_form is None:
        own = staff_agency(user)
        try_form = TermTryForm(
            agencies=visible, initial={"agency": str(own.pk) if own is not None else ""}
        )
    filter_query = QueryDict("", mutable=True)
    for key, value in filters.items():
        if value:
            filter_query[key] = value
    return render(
        request,
        "backoffice/publishing/terms.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "filter_query": filter_query.urlencode(),
            "back": request.GET.urlencode(),
            "kinds": TermRule.Kind.choices,
            "scope_options": [(PLATFORM, PLATFORM_LABEL)] + [(str(a.pk), a.name) for a in visible],
            "can_add": bool(scopes),
            "can_edit_platform": platform_ok,
            "try_form": try_form,
            "try_result": try_result,
            "import_form": TermImportForm(
                scopes=scopes, initial={"scope": _scope_value(_default_scope(user, scopes))}
            )
            if scopes
            else None,
        },
        status=status,
    )


def _default_scope(user: Any, scopes: list[Agency | None]) -> Agency | None:
    own = staff_agency(user)
    if own is not None and own in scopes:
        return own
    return scopes[0] if scopes else None


@reference_reader
def term_list(request: HttpRequest) -> HttpResponse:
    return _render_terms(request)


@require_POST
@reference_reader
def term_try(request: HttpRequest) -> HttpResponse:
    """Check pasted text with the publishing workflow's own dictionary check (nothing stored)."""
    form = TermTryForm(request.POST, agencies=list(agencies_for_user(request.user)))
    result = None
    if form.is_valid():
        text = form.cleaned_data["text"]
        agency = form.chosen_agency()
        findings = term_findings(text, agency=agency)
        result = {
            "agency": agency,
            "findings": findings,
            "blocking": sum(1 for f in findings if f.term.blocking),
            "segments": highlight(text, findings),
        }
    return _render_terms(request, try_form=form, try_result=result)


@reference_reader
def terms_export(request: HttpRequest) -> HttpResponse:
    """The terms the list shows (with its filters) as XLSX, in the layout the import reads."""
    rules = _filtered_terms(request.user, _filters(request))
    name = f"错敏词库-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(term_rules_export_xlsx(rules), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_POST
@staff_required("manage_agency")
def terms_import(request: HttpRequest) -> HttpResponseRedirect:
    scopes = term_scopes_for_user(request.user)
    form = TermImportForm(request.POST, request.FILES, scopes=scopes)
    target = _terms_url(request.POST.get("back", ""))
    if not scopes:
        raise PermissionDenied("您没有维护错敏词的权限")
    if not form.is_valid():
        messages.error(request, "导入失败：请选择 XLSX 文件和适用范围。")
        return redirect(target)
    upload = form.cleaned_data["file"]
    try:
        result = term_rules_import_xlsx(
            actor=request.user,
            stream=upload,
            filename=upload.name,
            default_agency=_scope_from(form.cleaned_data["scope"], scopes),
        )
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, f"导入失败：{_error_text(exc)}")
    else:
        messages.success(request, f"已从 {upload.name} 导入错敏词：{result}。")
    return redirect(target)


@staff_required("manage_agency")
def term_new(request: HttpRequest) -> HttpResponse:
    scopes = term_scopes_for_user(request.user)
    if not scopes:
        raise PermissionDenied("您没有维护错敏词的权限")
    initial_scope = request.GET.get("scope") or _scope_value(_default_scope(request.user, scopes))
    form = TermRuleForm(request.POST or None, scopes=scopes, initial={"scope": initial_scope})
    if request.method == "POST" and form.is_valid():
        try:
            rule = term_rule_create(
                actor=request.user, agency=form.agency(), **form.service_fields()
            )
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已添加{rule.get_kind_display()}“{rule.pattern}”。")
            return redirect(_terms_url(f"scope={_scope_value(rule.agency)}"))
    return render(
        request,
        "backoffice/publishing/term_form.html",
        {"form": form, "rule": None, "back": request.GET.get("back", "")},
    )


def _term_for_edit(request: HttpRequest, pk: int) -> TermRule:
    rule = term_rule_get_for_user(user=request.user, rule_id=pk)
    if not can_edit_term_scope(request.user, rule.agency):
        if rule.agency is None:
            raise PermissionDenied("全平台词条只能由平台管理员修改")
        raise PermissionDenied(f"您没有修改“{rule.agency.name}”词条的权限")
    return rule


@staff_required("manage_agency")
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _term_for_edit(request, pk)
    initial = {name: getattr(rule, name) for name in TermRuleForm.base_fields if name != "scope"}
    form = TermRuleForm(request.POST or None, scopes=None, initial=initial)
    back = request.POST.get("back") or request.GET.get("back", "")
    if request.method == "POST" and form.is_valid():
        try:
            term_rule_update(actor=request.user, rule=rule, **form.service_fields())
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "词条已保存。")
            return redirect(_terms_url(back))
    return render(
        request,
        "backoffice/publishing/term_form.html",
        {
            "form": form,
            "rule": rule,
            "scope_label": rule.agency.name if rule.agency else PLATFORM_LABEL,
            "history": _history(TermRule, rule.pk),
            "back": back,
        },
    )


@require_POST
@staff_required("manage_agency")
def term_active(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    rule = _term_for_edit(request, pk)
    target = _terms_url(request.POST.get("back", ""))
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        messages.error(request, "请选择停用或启用。")
        return redirect(target)
    try:
        term_rule_set_active(actor=request.user, rule=rule, active=wanted == "1")
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, _error_text(exc))
    else:
        verb = "启用" if wanted == "1" else "停用（不再检查，可随时重新启用）"
        messages.success(request, f"词条“{rule.pattern}”已{verb}。")
    return redirect(target)


# ---------------------------------------------------------------------------------------------
# 主题分类
# ---------------------------------------------------------------------------------------------


def _topics_url(topic: Topic | None = None) -> str:
    url = reverse("backoffice:publishing:topics")
    return f"{url}#topic-{topic.pk}" if topic is not None else url


@reference_reader
def topic_list(request: HttpRequest) -> HttpResponse:
    tree = topic_tree()
    return render(
        request,
        "backoffice/publishing/topics.html",
        {
            "tree": tree,
            "count": sum(1 + len(children) for _, children in tree),
            "can_edit": can_edit_topics(request.user),
        },
    )


@platform_admin_required
def topic_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = Topic.objects.filter(pk=int(parent_id), parent__isnull=True).first()
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = topic_create(
                actor=request.user,
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                position=data["position"],
                is_active=data["is_active"],
            )
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已添加主题分类“{topic.label}”（代码 {topic.code}）。")
            return redirect(_topics_url(topic))
    return render(request, "backoffice/publishing/topic_form.html", {"form": form, "topic": None})


@platform_admin_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("parent"), pk=pk)
    initial = {
        "name": topic.name,
        "code": topic.code,
        "parent": topic.parent,
        "position": topic.position,
        "is_active": topic.is_active,
    }
    form = TopicForm(request.POST or None, topic=topic, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = topic_update(
                actor=request.user,
                topic=topic,
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                position=data["position"],
                is_active=data["is_active"],
            )
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"主题分类“{topic.label}”已保存。")
            return redirect(_topics_url(topic))
    used = topic.publications.count()
    children = topic.children.count()
    return render(
        request,
        "backoffice/publishing/topic_form.html",
        {
            "form": form,
            "topic": topic,
            "used": used,
            "children": children,
            "can_delete": not used and not children,
            "history": _history(Topic, topic.pk),
        },
    )


@require_POST
@platform_admin_required
def topic_active(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    topic = get_object_or_404(Topic.objects.select_related("parent"), pk=pk)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        messages.error(request, "请选择停用或启用。")
        return redirect(_topics_url(topic))
    try:
        topic = topic_set_active(actor=request.user, topic=topic, active=wanted == "1")
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, _error_text(exc))
    else:
        if wanted == "1":
            messages.success(request, f"主题分类“{topic.label}”已启用。")
        else:
            used = topic.publications.count()
            messages.success(
                request,
                f"主题分类“{topic.label}”已停用：新信息不能再选用，门户网站不再列出"
                + (f"；已使用该分类的 {used} 条信息保留原分类" if used else "")
                + "。",
            )
    return redirect(_topics_url(topic))


@require_POST
@platform_admin_required
def topic_move(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    topic = get_object_or_404(Topic, pk=pk)
    try:
        topic_move_service(
            actor=request.user, topic=topic, direction=request.POST.get("direction", "")
        )
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已调整“{topic.name}”的顺序。")
    return redirect(_topics_url(topic))


@require_POST
@platform_admin_required
def topic_delete(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    topic = get_object_or_404(Topic.objects.select_related("parent"), pk=pk)
    edit_url = reverse("backoffice:publishing:topic_edit", args=[topic.pk])
    if request.POST.get("confirm") != "1":
        messages.error(request, "请勾选“确认删除”后再删除。")
        return redirect(edit_url)
    label = topic.label
    try:
        topic_delete_service(actor=request.user, topic=topic)
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, _error_text(exc))
        return redirect(edit_url)
    messages.success(request, f"主题分类“{label}”已删除。")
    return redirect(_topics_url())
