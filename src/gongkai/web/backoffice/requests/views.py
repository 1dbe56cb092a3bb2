"""Back office for applications: work list, dashboard, intake, case page and its actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.core import audit, clock
from gongkai.core.permissions import has_perm, staff_required
from gongkai.core.scoping import agencies_for_user, staff_agency
from gongkai.ledger.requests import services
from gongkai.ledger.requests.letters.build import preview_letter
from gongkai.ledger.requests.letters.kinds import reply_kind
from gongkai.ledger.requests.letters.render import (
    LetterUnavailable,
    docx_filename,
    pdf_filename,
    render_docx,
    render_pdf,
)
from gongkai.ledger.requests.masking import mask_address, mask_email, mask_id, mask_name, mask_phone
from gongkai.ledger.requests.models import Application, Attachment
from gongkai.ledger.requests.models.application import CHANNEL_CHOICES, OUTCOME_ROW_CHOICES
from gongkai.ledger.requests.models.reference import CATEGORY_CHOICES
from gongkai.ledger.requests.outcomes import REPLY_SPECS
from gongkai.ledger.requests.selectors import (
    application_filter,
    application_get_for_user,
    application_list_for_user,
    dashboard_stats,
)
from gongkai.ledger.requests.services.base import available_actions
from gongkai.ledger.requests.timeline import timeline
from gongkai.ledger.requests.transitions import DECISION_PENDING, Action, Status
from gongkai.statutory.formats import OUTCOME_GROUP_LABELS, OutcomeGroup
from gongkai.web.backoffice.requests.forms import (
    ACTION_FORMS,
    ActionForm,
    AttachmentForm,
    EditForm,
    IntakeForm,
    add_correction_field,
)

PAGE_SIZE = 50


def cases_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff who handle cases (``view_cases``) or supervise the region (``view_region``)."""

    @staff_required()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or has_perm(user, "view_cases") or has_perm(user, "view_region")):
            raise PermissionDenied("您没有查看依申请公开案件的权限")
        return view(request, *args, **kwargs)

    return wrapper


def _personal(user: Any) -> bool:
    return bool(user.is_superuser or has_perm(user, "view_personal_data"))


def _names_visible(user: Any) -> bool:
    """Names in lists: for the staff who handle cases; masked for region-only viewers."""
    return _personal(user) or has_perm(user, "view_cases")


# -- work list ------------------------------------------------------------------------------


def _scoped_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = application_list_for_user(request.user)
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        agency = agencies_for_user(request.user).filter(pk=int(agency_id)).first()
        if agency is None:
            raise Http404("未找到该机关")
        if request.GET.get("region") == "1":
            qs = qs.filter(agency__path__startswith=agency.path)
        else:
            qs = qs.filter(agency=agency)
    return qs


FILTER_KEYS = (
    "status",
    "due",
    "provisional",
    "year",
    "outcome",
    "category",
    "channel",
    "q",
    "t3row",
    "t3col",
    "t3year",
    "agency",
    "region",
)


@cases_required
def application_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    qs = application_filter(_scoped_list(request), request.GET, today=today)
    page = Paginator(qs.order_by("due_on", "-registration_year", "-registration_seq"), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    personal = _names_visible(request.user)
    rows = [
        {
            "app": a,
            "name": a.applicant_name if personal else mask_name(a.applicant_name),
            "overdue": a.is_open and a.due_on is not None and a.due_on < today,
        }
        for a in page_obj
    ]
    params = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k)}
    outcome_choices = [(g.value, OUTCOME_GROUP_LABELS[g]) for g in OutcomeGroup] + list(
        OUTCOME_ROW_CHOICES
    )
    return render(
        request,
        "backoffice/requests/list.html",
        {
            "page": page_obj,
            "rows": rows,
            "params": params,
            "querystring": urlencode(params),
            "status_choices": [("open", "全部在办"), *[(s.value, s.label) for s in Status]],
            "outcome_choices": outcome_choices,
            "category_choices": CATEGORY_CHOICES,
            "channel_choices": CHANNEL_CHOICES,
            "years": list(range(today.year, today.year - 6, -1)),
            "today": today,
            "can_register": has_perm(request.user, "register_application"),
            "total": page.count,
        },
    )


@cases_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    stats = dashboard_stats(application_list_for_user(request.user), today=today, year=year)
    peak = max([*stats.received_by_month, *stats.concluded_by_month, 1])
    months = [
        {
            "month": m + 1,
            "received": r,
            "concluded": c,
            "rh": round(120 * r / peak),
            "ch": round(120 * c / peak),
            "ry": 140 - round(120 * r / peak),
            "cy": 140 - round(120 * c / peak),
            "x": 40 + m * 44,
            "cx": 59 + m * 44,
            "tx": 42 + m * 44,
        }
        for m, (r, c) in enumerate(
            zip(stats.received_by_month, stats.concluded_by_month, strict=True)
        )
    ]
    outcome_peak = max([n for _, _, n in stats.by_outcome] + [1])
    outcomes = [
        {
            "key": k,
            "label": label,
            "n": n,
            "w": round(360 * n / outcome_peak),
            "y": 10 + i * 30,
            "ty": 25 + i * 30,
            "nx": 126 + round(360 * n / outcome_peak),
        }
        for i, (k, label, n) in enumerate(stats.by_outcome)
    ]
    return render(
        request,
        "backoffice/requests/dashboard.html",
        {
            "stats": stats,
            "months": months,
            "outcomes": outcomes,
            "year": year,
            "peak": peak,
            "years": list(range(today.year, today.year - 6, -1)),
        },
    )


# -- intake ---------------------------------------------------------------------------------


@staff_required("register_application")
def application_register(request: HttpRequest) -> HttpResponse:
    agency = staff_agency(request.user)
    if agency is None:
        raise PermissionDenied("平台管理员请以机关工作人员身份登记申请")
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app = services.application_register(
                agency=agency,
                actor=request.user,
                data={**form.intake_data(), "notes": d.get("notes", "")},
                channel=d["channel"],
                submitted_on=d.get("submitted_on"),
                signed_on=d.get("signed_on"),
                confirmed_on=d.get("confirmed_on"),
                attachments=d.get("attachments") or [],
            )
        except services.ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记：{app.registration_no}")
            return redirect("backoffice:requests:detail", app.pk)
    return render(request, "backoffice/requests/register.html", {"form": form, "agency": agency})


# -- case page ------------------------------------------------------------------------------


def _applicant_view(app: Application, personal: bool) -> list[tuple[str, str]]:
    def m(value: str, masker: Callable[[str], str]) -> str:
        return value if personal or not value else masker(value)

    rows = [
        ("申请人类型", app.get_applicant_type_display()),
        ("姓名或名称", app.applicant_name),
        ("统计类别", app.get_category_display()),
    ]
    if app.is_organisation:
        rows += [
            ("组织类型", str(app.organisation_type or "")),
            ("统一社会信用代码", app.uscc),
            ("法定代表人或负责人", app.legal_representative),
            ("联系人", app.contact_name),
        ]
    else:
        rows += [
            ("身份证件", app.get_id_type_display()),
            ("证件号码", m(app.id_number, mask_id)),
        ]
    rows += [
        ("联系电话", m(app.phone, mask_phone)),
        ("电子邮箱", m(app.email, mask_email)),
        ("通信地址", m(app.address, mask_address)),
    ]
    return [(k, v) for k, v in rows if v]


def _action_forms(app: Application, user: Any, bound: tuple[Action, ActionForm] | None):
    out = []
    for action in available_actions(app, user):
        if action is Action.EDIT:
            continue
        form_class = ACTION_FORMS[action]
        if bound is not None and bound[0] is action:
            form = bound[1]
        else:
            form = form_class(application=app)
        out.append(
            {
                "action": action,
                "label": action.label,
                "form": form,
                "open": bound is not None and bound[0] is action,
            }
        )
    return out


def _detail_context(
    request: HttpRequest, app: Application, bound: tuple[Action, ActionForm] | None = None
) -> dict[str, Any]:
    user = request.user
    clock_result = services.application_clock(app)
    letters = list(app.letters.all())
    draft = None
    if app.status_enum in DECISION_PENDING and app.reply_type and app.status != Status.DECIDED:
        draft = preview_letter(app, reply_kind(app.reply_type))
    return {
        "app": app,
        "clock": clock_result,
        "overdue_days": -clock_result.working_days_left
        if clock_result.overdue and clock_result.working_days_left
        else 0,
        "applicant": _applicant_view(app, _personal(user)),
        "actions": _action_forms(app, user, bound),
        "can_edit": app.is_open and Action.EDIT in available_actions(app, user),
        "letters": letters,
        "draft": draft,
        "attachments": list(app.attachments.all()),
        "attachment_form": AttachmentForm(),
        "timeline": timeline(app),
        "amendments": list(app.amendments.all()),
        "consultations": list(app.consultations.all()),
        "reconsiderations": list(app.reconsiderations.all()),
        "litigations": list(app.litigations.all()),
        "reply_spec": REPLY_SPECS.get(app.reply_type) if app.reply_type else None,
        "today": clock.today(),
        "can_handle": has_perm(user, "handle_application"),
        "transfers": list(app.transfers.select_related("agency")),
    }


@cases_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    return render(request, "backoffice/requests/detail.html", _detail_context(request, app))


def _run(action: Action, app: Application, user: Any, d: dict[str, Any]) -> Application:
    s = services
    v = d["version"]
    common = {"application": app, "actor": user, "expected_version": v}
    handlers: dict[Action, Callable[[], Application]] = {
        Action.CONFIRM_RECEIPT: lambda: s.application_confirm_receipt(
            **common, confirmed_on=d["confirmed_on"]
        ),
        Action.REQUEST_AMENDMENT: lambda: s.application_request_amendment(
            **common, items=d["items"], period_end=d["period_end"], notice_on=d["notice_on"]
        ),
        Action.RECEIVE_AMENDMENT: lambda: s.application_receive_amendment(
            **common, received_on=d["received_on"], note=d.get("note", "")
        ),
        Action.CONSULT: lambda: s.application_consult(
            **common,
            kind=d["kind"],
            party=d["party"],
            sent_on=d["sent_on"],
            subject=d.get("subject", ""),
            party_address=d.get("party_address", ""),
            party_received_on=d.get("party_received_on"),
        ),
        Action.RECORD_CONSULTATION_REPLY: lambda: s.application_record_consultation_reply(
            **common,
            consultation_id=d["consultation"].pk,
            opinion=d["opinion"],
            reply_on=d.get("reply_on"),
            party_received_on=d.get("party_received_on"),
            opinion_text=d.get("opinion_text", ""),
        ),
        Action.PROPOSE_EXTENSION: lambda: s.application_propose_extension(
            **common, reason=d["reason"], days=d["days"]
        ),
        Action.APPROVE_EXTENSION: lambda: s.application_approve_extension(
            **common, decided_on=d["decided_on"]
        ),
        Action.REJECT_EXTENSION: lambda: s.application_reject_extension(
            **common, note=d.get("note", "")
        ),
        Action.NOTIFY_EXTENSION: lambda: s.application_notify_extension(
            **common, notified_on=d["notified_on"]
        ),
        Action.SET_DELAYED_REPLY: lambda: s.application_set_delayed_reply(
            **common, due_on=d["due_on"], notified_on=d.get("notified_on")
        ),
        Action.ISSUE_FEE_NOTICE: lambda: s.application_issue_fee_notice(
            **common,
            method=d["method"],
            pages=d.get("pages"),
            served_on=d["served_on"],
            received_on=d.get("received_on"),
        ),
        Action.RECORD_PAYMENT: lambda: s.application_record_payment(
            **common, paid_on=d["paid_on"], notice_received_on=d.get("notice_received_on")
        ),
        Action.DRAFT_DECISION: lambda: s.application_draft_decision(
            **common,
            reply_type=d["reply_type"],
            withheld_grounds=d.get("withheld_grounds", []),
            legal_basis_text=d.get("legal_basis", ""),
            reasons=d.get("reasons", ""),
            decision_text=d.get("decision_text", ""),
            responsible_agency_name=d.get("responsible_agency_name", ""),
            responsible_agency_contact=d.get("responsible_agency_contact", ""),
        ),
        Action.REVIEW_DECISION: lambda: s.application_review_decision(
            **common, note=d.get("note", "")
        ),
        Action.RETURN_DECISION: lambda: s.application_return_decision(**common, note=d["note"]),
        Action.SIGN_DECISION: lambda: s.application_sign_decision(
            **common, letter_date=d["letter_date"]
        ),
        Action.SERVE_REPLY: lambda: s.application_serve_reply(
            **common,
            served_on=d["served_on"],
            method=d["method"],
            post_receipt_no=d.get("post_receipt_no", ""),
            cash_on_delivery=d.get("cash_on_delivery", False),
        ),
        Action.CLOSE_LAPSED: lambda: s.application_close_lapsed(**common),
        Action.TRANSFER: lambda: s.application_transfer(
            **common,
            target=d["target"],
            notified_on=d["notified_on"],
            method=d["method"],
            note=d.get("note", ""),
        ),
        Action.REOPEN: lambda: s.application_reopen(
            **common, reopened_on=d["reopened_on"], reason=d["reason"]
        ),
    }
    return handlers[action]()


@require_POST
@cases_required
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    try:
        act = Action(action)
        form_class = ACTION_FORMS[act]
    except (ValueError, KeyError):
        raise Http404("没有这项操作") from None
    form = form_class(request.POST, application=app)
    status = 400
    if form.is_valid():
        try:
            with services.correction_note(form.cleaned_data.get("correction_note", "")):
                updated = _run(act, app, request.user, form.cleaned_data)
        except services.StaleApplication as exc:
            messages.error(request, str(exc))
            status = 409
            app = application_get_for_user(user=request.user, application_id=pk)
            form = form_class(request.POST, application=app)
            form.is_valid()
            form.add_error(None, str(exc))
        except services.ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已完成：{act.label}（{updated.get_status_display()}）")
            return redirect("backoffice:requests:detail", updated.pk)
    context = _detail_context(request, app, bound=(act, form))
    return render(request, "backoffice/requests/detail.html", context, status=status)


@cases_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    if not app.is_open or Action.EDIT not in available_actions(app, request.user):
        raise PermissionDenied("不能修改该申请")
    fields = [f for f in EditForm.base_fields if f not in ("version",)]
    initial = {f: getattr(app, f) for f in fields if hasattr(app, f)}
    initial["version"] = app.version
    form = EditForm(request.POST or None, initial=initial)
    add_correction_field(form, app)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {**form.intake_data(), "notes": form.cleaned_data.get("notes", "")}
        data.pop("version", None)
        data.pop("correction_note", None)
        try:
            with services.correction_note(form.cleaned_data.get("correction_note", "")):
                services.application_update(
                    application=app,
                    actor=request.user,
                    data=data,
                    expected_version=form.cleaned_data["version"],
                )
        except services.StaleApplication as exc:
            form.add_error(None, str(exc))
            status = 409
        except services.ApplicationError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(request, "申请信息已保存。")
            return redirect("backoffice:requests:detail", app.pk)
    return render(
        request, "backoffice/requests/edit.html", {"form": form, "app": app}, status=status
    )


# -- letters and attachments ---------------------------------------------------------------


def _letter_response(letter: Any, fmt: str) -> HttpResponse:
    if fmt == "docx":
        data = render_docx(letter)
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        name = docx_filename(letter)
    elif fmt == "pdf":
        try:
            data = render_pdf(letter)
        except LetterUnavailable as exc:
            raise Http404(str(exc)) from None
        response = HttpResponse(data, content_type="application/pdf")
        name = pdf_filename(letter)
    else:
        raise Http404("不支持的格式")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@cases_required
def letter_download(request: HttpRequest, pk: int, letter_id: int, fmt: str) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    letter = app.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404("未找到该文书")
    return _letter_response(letter, fmt)


@cases_required
def draft_letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    if not app.reply_type:
        raise Http404("尚未拟写答复")
    letter = preview_letter(app, reply_kind(app.reply_type))
    letter.title = f"{letter.title}（送审稿）"
    return _letter_response(letter, fmt)


@require_POST
@cases_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    if not has_perm(request.user, "handle_application"):
        raise PermissionDenied("您没有办理案件的权限")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        Attachment.objects.create(
            application=app,
            kind=kind,
            file=f,
            name=f.name[:200],
            size=f.size or 0,
            released=kind == Attachment.Kind.RELEASED and app.status == Status.CLOSED,
            uploaded_at=clock.now(),
            uploaded_by=request.user,
        )
        audit.record(
            actor=request.user,
            action="application.attachment_added",
            subject=app,
            after={"name": f.name, "kind": kind},
        )
        messages.success(request, f"已上传：{f.name}")
    else:
        messages.error(
            request, "上传失败：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("backoffice:requests:detail", app.pk)


@cases_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    app = application_get_for_user(user=request.user, application_id=pk)
    att = app.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404("未找到该附件")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


def list_url(**params: Any) -> str:
    return (
        reverse("backoffice:requests:list")
        + "?"
        + urlencode({k: v for k, v in params.items() if v not in (None, "")})
    )


def dashboard_panel_context(request: HttpRequest) -> dict[str, Any]:
    """Context for ``backoffice/requests/_dashboard_panel.html`` (the main dashboard may include
    it in its ``dashboard_panels`` block): open, due soon, overdue, with links to the work list.
    Empty for users who do not see cases."""
    user = request.user
    if not (user.is_superuser or has_perm(user, "view_cases") or has_perm(user, "view_region")):
        return {}
    today = clock.today()
    stats = dashboard_stats(application_list_for_user(user), today=today, year=today.year)
    return {"requests_panel": stats}
