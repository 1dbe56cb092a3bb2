"""Back office of 网民留言: the list with due times, replying, publishing the Q&A."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.permissions import has_perm, staff_required
from gongkai.ledger.messages import selectors, services
from gongkai.ledger.messages.models import PublicMessage
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion

Status = PublicMessage.Status


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _error(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@staff_required("view_cases")
def message_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.message_list_for_user(request.user)
    status = request.GET.get("status", "received")
    if status in Status.values:
        qs = qs.filter(status=status)
    now = clock.now()
    page = Paginator(
        qs.order_by("due_at" if status == "received" else "-submitted_at"), 30
    ).get_page(request.GET.get("page"))
    rows = [(m, m.is_overdue(now)) for m in page]
    return render(
        request,
        "backoffice/messages/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Status.choices,
        },
    )


@staff_required("view_cases")
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    user = request.user
    can_reply = (user.is_superuser or has_perm(user, "handle_application")) and (
        message.status != Status.CLOSED and message.published_at is None
    )
    can_publish = (user.is_superuser or has_perm(user, "review_publication")) and (
        message.status == Status.REPLIED and message.agrees_to_publish
    )
    return render(
        request,
        "backoffice/messages/detail.html",
        {
            "message": message,
            "overdue": message.is_overdue(clock.now()),
            "reply_form": ReplyForm(initial={"reply": message.reply, "version": message.version})
            if can_reply
            else None,
            "close_form": ReasonForm(initial={"version": message.version})
            if can_reply and message.status == Status.RECEIVED
            else None,
            "can_publish": can_publish,
        },
    )


@require_POST
@staff_required("view_cases", "handle_application")
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.message_reply(
                actor=request.user,
                message=message,
                reply=form.cleaned_data["reply"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, ActionRefused, StaleVersion) as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(request, "答复已保存。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("backoffice:messages:detail", pk=pk)


@require_POST
@staff_required("view_cases", "handle_application")
def message_close(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.message_close(
                actor=request.user,
                message=message,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, ActionRefused, StaleVersion) as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(request, "已作为无效留言处理。")
    else:
        messages.error(request, "请填写原因。")
    return redirect("backoffice:messages:detail", pk=pk)


@require_POST
@staff_required("view_cases", "review_publication")
def message_publish(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    try:
        if request.POST.get("unpublish"):
            services.message_unpublish(
                actor=request.user, message=message, reason=request.POST.get("reason", "")
            )
            done = "已取消公开。"
        else:
            services.message_publish(actor=request.user, message=message)
            done = "留言及答复已在门户网站公开。"
    except (ValidationError, ActionRefused, StaleVersion) as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, done)
    return redirect("backoffice:messages:detail", pk=pk)
