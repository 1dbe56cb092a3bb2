"""Back office of proactive disclosure: drafting, the 三审三校 workflow, checks, registers and
the figures behind table 二. Views parse input and call services / action objects; they never
set a status themselves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.core.permissions import has_perm, staff_required
from gongkai.core.scoping import agencies_for_user, agency_get_for_user, staff_agency
from gongkai.ledger.messages.selectors import message_year_figures
from gongkai.ledger.publishing import actions, selectors
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.models import LinkCheck, Publication, RegisterEntry
from gongkai.ledger.publishing.services import (
    MonthValues,
    attachment_add,
    attachment_remove,
    figures_import_xlsx,
    figures_set_month,
    publication_check_links,
    publication_create,
    publication_findings,
    publication_set_channels,
    publication_set_validity,
    publication_update,
    register_entry_create,
    register_entry_update,
)
from gongkai.ledger.publishing.services.checks import publication_texts
from gongkai.ledger.publishing.text import highlight
from gongkai.statutory.formats import LAYOUT_2021
from gongkai.web.backoffice.publishing.forms import (
    AttachmentForm,
    ChannelsForm,
    ColumnForm,
    FiguresImportForm,
    PublicationForm,
    RegisterEntryForm,
    ReviewForm,
    SettingsForm,
    ValidityForm,
    VersionForm,
    WithdrawForm,
    YearFiguresForm,
)

Status = Publication.Status


def _detail(pk: int) -> HttpResponseRedirect:
    return redirect("backoffice:publishing:detail", pk=pk)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


# ---------------------------------------------------------------------------------------------
# Lists, create, edit
# ---------------------------------------------------------------------------------------------


@staff_required()
def publication_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab") or "tasks"
    if tab == "tasks":
        qs = selectors.publication_tasks_for_user(user)
    else:
        qs = selectors.publication_list_for_user(user)
        status = request.GET.get("status")
        if status in Status.values:
            qs = qs.filter(status=status)
    query = (request.GET.get("q") or "").strip()
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(index_number__contains=query))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/publishing/list.html",
        {
            "page": page,
            "tab": tab,
            "query": query,
            "status": request.GET.get("status", ""),
            "statuses": Status.choices,
            "can_draft": has_perm(user, "draft_publication"),
        },
    )


@staff_required("draft_publication")
def publication_new(request: HttpRequest) -> HttpResponse:
    form = PublicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            publication = publication_create(
                actor=request.user,
                channels=form.cleaned_data["channels"],
                other_channels=form.cleaned_data["other_channels"],
                **form.service_fields(),
            )
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "草稿已保存。")
            return _detail(publication.pk)
    return render(request, "backoffice/publishing/form.html", {"form": form, "publication": None})


@staff_required("draft_publication")
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    if not publication.is_editable:
        messages.error(
            request, f"当前状态为“{publication.get_status_display()}”，只有草稿可以修改。"
        )
        return _detail(pk)
    if request.method == "POST":
        form = PublicationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                publication_update(
                    actor=request.user,
                    publication=publication,
                    expected_version=form.cleaned_data["version"] or 0,
                    channels=form.cleaned_data["channels"],
                    other_channels=form.cleaned_data["other_channels"],
                    **form.service_fields(),
                )
            except StaleVersion as exc:
                form.add_error(None, str(exc))
                return render(
                    request,
                    "backoffice/publishing/form.html",
                    {"form": form, "publication": publication, "stale": True},
                    status=409,
                )
            except (ValidationError, ActionRefused) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, "修改已保存。")
                return _detail(pk)
    else:
        form = PublicationForm(initial=PublicationForm.initial_for(publication), user=request.user)
    return render(
        request, "backoffice/publishing/form.html", {"form": form, "publication": publication}
    )


# ---------------------------------------------------------------------------------------------
# Detail and the workflow steps
# ---------------------------------------------------------------------------------------------


def _review_state(publication: Publication, user: Any) -> tuple[type | None, str]:
    """The pending review level and, if this user cannot take it, why not."""
    action_class = actions.review_action_for(publication)
    if action_class is None:
        return None, ""
    probe = action_class(publication, actor=user, decision=actions.RETURN, comment="-")
    try:
        probe.check()
    except (ActionRefused, StaleVersion) as exc:
        return action_class, str(exc)
    return action_class, ""


@staff_required()
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    publication = selectors.publication_get_for_user(user=user, publication_id=pk)
    findings = publication_findings(publication)
    texts = publication_texts(publication)
    highlighted = [
        (field, highlight(text, [f for f in findings if f.field == field]))
        for field, text in texts.items()
        if text and any(f.field == field for f in findings)
    ]
    review_class, review_blocked = _review_state(publication, user)
    submit = actions.SubmitAction(publication, actor=user)
    withdraw = actions.WithdrawAction(publication, actor=user, reason="-")
    publish_now = actions.PublishScheduledAction(publication, actor=user)
    can_draft = has_perm(user, "draft_publication") or user.is_superuser
    version = {"version": publication.version}
    return render(
        request,
        "backoffice/publishing/detail.html",
        {
            "publication": publication,
            "findings": findings,
            "highlighted": highlighted,
            "interpretation_warning": selectors.interpretation_warning_for_draft(publication),
            "steps": publication.review_steps.select_related("reviewer"),
            "attachments": publication.attachments.all(),
            "channels": publication.channels.all(),
            "link_checks": publication.link_checks.all(),
            "interpretations": publication.interpretations.all(),
            "review_class": review_class,
            "review_blocked": review_blocked,
            "review_form": ReviewForm(initial=version)
            if review_class and not review_blocked
            else None,
            "can_submit": submit.is_available(),
            "submit_form": VersionForm(initial=version),
            "can_edit": publication.is_editable and can_draft,
            "can_withdraw": withdraw.is_available(),
            "withdraw_form": WithdrawForm(initial=version),
            "can_publish_now": publication.status == Status.SCHEDULED
            and publish_now.is_available(),
            "attachment_form": AttachmentForm(initial=version)
            if publication.is_editable and can_draft
            else None,
            "validity_form": ValidityForm(
                initial={
                    "validity": publication.validity,
                    "changed_on": publication.validity_changed_on,
                    **version,
                }
            )
            if can_draft and publication.status == Status.PUBLISHED
            else None,
            "channels_form": ChannelsForm(
                initial={
                    "channels": [
                        c.channel for c in publication.channels.all() if c.channel != "other"
                    ],
                    "other_channels": "、".join(
                        c.name for c in publication.channels.all() if c.channel == "other"
                    ),
                }
            )
            if can_draft and publication.status != Status.WITHDRAWN
            else None,
            "can_check_links": can_draft,
        },
    )


def _run(
    request: HttpRequest, pk: int, action: actions.PublicationAction, done: str
) -> HttpResponse:
    try:
        action.execute()
    except (ActionRefused, StaleVersion) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _detail(pk)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@staff_required("draft_publication")
def publication_submit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    action = actions.SubmitAction(
        publication, actor=request.user, expected_version=_version(request)
    )
    return _run(request, pk, action, "已送审，等待初审。")


@require_POST
@staff_required()
def publication_review(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    action_class = actions.review_action_for(publication)
    form = ReviewForm(request.POST)
    if action_class is None:
        messages.error(request, f"该信息当前状态为“{publication.get_status_display()}”，无需审核。")
        return _detail(pk)
    if not form.is_valid():
        messages.error(request, "请选择审核结论。")
        return _detail(pk)
    data = form.cleaned_data
    action = action_class(
        publication,
        actor=request.user,
        decision=data["decision"],
        comment=data["comment"],
        proofread=data["proofread"],
        expected_version=data["version"],
    )
    verb = "通过" if data["decision"] == actions.APPROVE else "退回修改"
    return _run(request, pk, action, f"{action_class.label}：已{verb}。")


@require_POST
@staff_required("final_review_publication")
def publication_publish_now(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    action = actions.PublishScheduledAction(
        publication, actor=request.user, expected_version=_version(request)
    )
    return _run(request, pk, action, "已提前发布。")


@require_POST
@staff_required("final_review_publication")
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    action = actions.WithdrawAction(
        publication,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _run(request, pk, action, "已撤回，门户网站不再显示该信息。")


@require_POST
@staff_required("draft_publication")
def publication_validity(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    form = ValidityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查有效性和日期。")
        return _detail(pk)
    try:
        publication_set_validity(
            actor=request.user,
            publication=publication,
            validity=form.cleaned_data["validity"],
            changed_on=form.cleaned_data["changed_on"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ActionRefused, StaleVersion) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "有效性已更新。")
    return _detail(pk)


@require_POST
@staff_required("draft_publication")
def publication_channels(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    form = ChannelsForm(request.POST)
    if form.is_valid():
        try:
            publication_set_channels(
                actor=request.user,
                publication=publication,
                channels=form.cleaned_data["channels"],
                other_channels=form.cleaned_data["other_channels"],
            )
        except (ValidationError, ActionRefused) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "发布渠道已更新。")
    return _detail(pk)


@require_POST
@staff_required("draft_publication")
def publication_links(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    results = publication_check_links(publication=publication, timeout=5)
    dead = [r for r in results if not r.ok]
    if dead:
        messages.error(request, f"检查了 {len(results)} 个链接和附件，{len(dead)} 个失效。")
    else:
        messages.success(request, f"检查了 {len(results)} 个链接和附件，均可访问。")
    return _detail(pk)


@require_POST
@staff_required("draft_publication")
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user(user=request.user, publication_id=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return _detail(pk)
    try:
        attachment_add(
            actor=request.user,
            publication=publication,
            upload=form.cleaned_data["file"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ActionRefused, StaleVersion) as exc:
        messages.error(request, f"附件未上传：{_error_text(exc)}")
    else:
        messages.success(request, "附件已上传。")
    return _detail(pk)


@staff_required()
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_get_for_user(
        user=request.user, publication_id=pk, attachment_id=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@staff_required("draft_publication")
def attachment_delete(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(
        user=request.user, publication_id=pk, attachment_id=attachment_id
    )
    try:
        attachment_remove(
            actor=request.user, attachment=attachment, expected_version=_version(request)
        )
    except (ActionRefused, StaleVersion) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "附件已删除。")
    return _detail(pk)


# ---------------------------------------------------------------------------------------------
# Checks, registers, figures, table 二
# ---------------------------------------------------------------------------------------------


@staff_required()
def checks(request: HttpRequest) -> HttpResponse:
    agencies = agencies_for_user(request.user)
    dead = (
        selectors.publication_list_for_user(request.user)
        .filter(status=Status.PUBLISHED, link_checks__ok=False)
        .distinct()
    )
    dead_links = LinkCheck.objects.filter(publication__in=dead, ok=False).select_related(
        "publication"
    )[:200]
    statuses = selectors.column_statuses(agencies=agencies)
    return render(
        request,
        "backoffice/publishing/checks.html",
        {
            "columns": statuses,
            "stale_count": sum(1 for c in statuses if c.stale),
            "interpretations": selectors.interpretation_warnings(agencies=agencies),
            "dead_links": dead_links,
        },
    )


def _agency_choice(request: HttpRequest) -> tuple[Agency, list[Agency]]:
    visible = list(agencies_for_user(request.user))
    raw = request.GET.get("agency") or request.POST.get("agency")
    if raw and raw.isdigit():
        return agency_get_for_user(user=request.user, agency_id=int(raw)), visible
    own = staff_agency(request.user)
    agency = own if own is not None else (visible[0] if visible else None)
    if agency is None:
        raise Http404("没有可查看的机关")
    return agency, visible


def _year(request: HttpRequest, year: int | None = None) -> int:
    today = clock.today()
    raw = request.GET.get("year")
    if year is None and raw and raw.isdigit():
        year = int(raw)
    if year is None:
        year = today.year - 1 if today.month == 1 else today.year
    return max(2008, min(year, today.year))


@staff_required()
def registers(request: HttpRequest) -> HttpResponse:
    agency, visible = _agency_choice(request)
    can_edit = has_perm(request.user, "edit_annual_report") or request.user.is_superuser
    form = RegisterEntryForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您没有维护文件登记的权限")
        if form is not None and form.is_valid():
            try:
                register_entry_create(actor=request.user, agency=agency, **form.cleaned_data)
            except (ValidationError, ActionRefused) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, "已登记。")
                return redirect(f"{reverse('backoffice:publishing:registers')}?agency={agency.pk}")
    entries = selectors.register_entries_for_user(request.user).filter(agency=agency)
    year = _year(request)
    values = selectors.table2_values(agency=agency, year=year)
    return render(
        request,
        "backoffice/publishing/registers.html",
        {
            "agency": agency,
            "agencies": visible,
            "entries": entries,
            "form": form,
            "year": year,
            "item1": _table2_rows(values)[:1],
            "can_edit": can_edit,
            "years": range(clock.today().year, clock.today().year - 6, -1),
        },
    )


@staff_required("edit_annual_report")
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.register_entry_get_for_user(user=request.user, entry_id=pk)
    initial = {name: getattr(entry, name) for name in RegisterEntryForm.base_fields}
    form = RegisterEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        except (ValidationError, ActionRefused) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "登记已更新。")
            return redirect(
                f"{reverse('backoffice:publishing:registers')}?agency={entry.agency_id}"
            )
    return render(
        request, "backoffice/publishing/register_form.html", {"form": form, "entry": entry}
    )


@staff_required()
def figures(request: HttpRequest, year: int | None = None) -> HttpResponse:
    agency, visible = _agency_choice(request)
    year = _year(request, year)
    rows = selectors.monthly_figures(agency=agency, year=year)
    can_edit = has_perm(request.user, "edit_annual_report") or request.user.is_superuser
    initial = {}
    for month, row in rows.items():
        initial.update(
            {
                f"m{month}_licensing": row.licensing,
                f"m{month}_penalty": row.penalty,
                f"m{month}_coercion": row.coercion,
                f"m{month}_fee": row.fee_10k_yuan,
            }
        )
    form = YearFiguresForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您没有录入行政管理数据的权限")
        if form.is_valid():
            saved = 0
            try:
                for month in range(1, 13):
                    data = form.cleaned_data
                    raw = [data.get(f"m{month}_{n}") for n, _ in YearFiguresForm.FIELDS]
                    if all(v is None for v in raw) and month not in rows:
                        continue
                    values = MonthValues(
                        licensing=raw[0] or 0,
                        penalty=raw[1] or 0,
                        coercion=raw[2] or 0,
                        fee_10k_yuan=raw[3] or 0,
                    )
                    old = rows.get(month)
                    if old is not None and (
                        old.licensing,
                        old.penalty,
                        old.coercion,
                        old.fee_10k_yuan,
                    ) == (values.licensing, values.penalty, values.coercion, values.fee_10k_yuan):
                        continue
                    figures_set_month(
                        actor=request.user, agency=agency, year=year, month=month, values=values
                    )
                    saved += 1
            except (ValidationError, ActionRefused) as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, f"已保存 {saved} 个月的数据。")
                return redirect(
                    f"{reverse('backoffice:publishing:figures_year', args=[year])}?agency={agency.pk}"
                )
    return render(
        request,
        "backoffice/publishing/figures.html",
        {
            "agency": agency,
            "agencies": visible,
            "year": year,
            "form": form,
            "rows": rows,
            "import_form": FiguresImportForm() if can_edit else None,
            "can_edit": can_edit,
            "sources": selectors.table2_sources(agency=agency, year=year),
            "years": range(clock.today().year, clock.today().year - 6, -1),
        },
    )


@require_POST
@staff_required("edit_annual_report")
def figures_import(request: HttpRequest, year: int) -> HttpResponse:
    agency, _ = _agency_choice(request)
    form = FiguresImportForm(request.POST, request.FILES)
    target = f"{reverse('backoffice:publishing:figures_year', args=[year])}?agency={agency.pk}"
    if not form.is_valid():
        messages.error(request, "请选择 XLSX 文件。")
        return redirect(target)
    upload = form.cleaned_data["file"]
    try:
        saved = figures_import_xlsx(
            actor=request.user, agency=agency, year=year, stream=upload, filename=upload.name
        )
    except (ValidationError, ActionRefused) as exc:
        messages.error(request, f"导入失败：{_error_text(exc)}")
    else:
        messages.success(request, f"已从 {upload.name} 导入 {len(saved)} 个月的数据。")
    return redirect(target)


def _table2_rows(values: dict[Any, Any]) -> list[dict[str, Any]]:
    """Table 二 (2021 layout) as caption / header / rows for the template; labels from formats."""
    return [
        {
            "caption": block.caption,
            "header": block.header,
            "rows": [
                {"label": row.label, "values": [values[c.key] for c in row.cells]}
                for row in block.rows
            ],
        }
        for block in LAYOUT_2021.table2
    ]


@staff_required()
def table2(request: HttpRequest, year: int | None = None) -> HttpResponse:
    agency, visible = _agency_choice(request)
    year = _year(request, year)
    values = selectors.table2_values(agency=agency, year=year)
    previous = selectors.table2_values(agency=agency, year=year - 1)
    return render(
        request,
        "backoffice/publishing/table2.html",
        {
            "agency": agency,
            "agencies": visible,
            "year": year,
            "blocks": _table2_rows(values),
            "previous": previous,
            "channels": selectors.channel_figures(agency=agency, year=year),
            "message_figures": message_year_figures(agency=agency, year=year),
            "sources": selectors.table2_sources(agency=agency, year=year),
            "years": range(clock.today().year, clock.today().year - 6, -1),
            "register_kinds": RegisterEntry.Kind.choices,
        },
    )


@staff_required("manage_agency")
def agency_settings(request: HttpRequest) -> HttpResponse:
    """栏目 and 索引号 rules of an agency (its administrators)."""
    from gongkai.ledger.publishing.models import Column
    from gongkai.ledger.publishing.services.index_numbers import settings_for
    from gongkai.ledger.publishing.services.settings import (
        column_save,
        publishing_settings_save,
    )

    agency, visible = _agency_choice(request)
    current = settings_for(agency)
    settings_form = SettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={
            "index_template": current.index_template,
            "org_code": current.org_code,
            "dept_code": current.dept_code,
            "interpretation_tolerance_days": current.interpretation_tolerance_days,
        },
    )
    column_id = request.POST.get("column_id", "")
    editing = (
        Column.objects.filter(agency=agency, pk=int(column_id)).first()
        if column_id.isdigit()
        else None
    )
    posted = request.POST if request.POST.get("form") == "column" else None
    column_form = ColumnForm(posted, prefix=f"c{editing.pk}" if editing else None)
    target = f"{reverse('backoffice:publishing:settings')}?agency={agency.pk}"
    if request.method == "POST":
        try:
            if request.POST.get("form") == "settings" and settings_form.is_valid():
                publishing_settings_save(
                    actor=request.user, agency=agency, **settings_form.cleaned_data
                )
                messages.success(request, "索引号规则已保存。")
                return redirect(target)
            if posted is not None and column_form.is_valid():
                column_save(
                    actor=request.user, agency=agency, column=editing, **column_form.cleaned_data
                )
                messages.success(request, "栏目已保存。")
                return redirect(target)
            messages.error(request, "请检查填写的内容。")
        except (ValidationError, ActionRefused) as exc:
            messages.error(request, _error_text(exc))
    columns = Column.objects.filter(agency=agency).order_by("position", "pk")
    return render(
        request,
        "backoffice/publishing/settings.html",
        {
            "agency": agency,
            "agencies": visible,
            "settings_form": settings_form,
            "column_form": ColumnForm() if editing else column_form,
            "columns": columns,
            "column_forms": [
                (
                    c,
                    ColumnForm(
                        prefix=f"c{c.pk}",
                        initial={k: getattr(c, k) for k in ColumnForm.base_fields},
                    ),
                )
                for c in columns
            ],
        },
    )
