"""Two-step sign-in: the code step after the password, and each staff member's setup page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.core import clock
from gongkai.core.models import LoginFailure, StaffTOTP
from gongkai.core.permissions import staff_required
from gongkai.core.security import lockout, totp
from gongkai.core.security.client_ip import client_ip
from gongkai.core.security.middleware import mark_signed_in
from gongkai.web.backoffice.security.forms import CodeForm

PENDING_KEY = "gongkai_two_factor_pending"
PENDING_SECONDS = 300
WRONG_CODE = "验证码不正确或已经使用过，请输入验证器应用中当前显示的 6 位数字。"


def start_two_factor(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """The password was right: remember who is signing in (not signed in yet), ask for the code."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "at": clock.now().timestamp(),
        "next": next_url,
    }
    return redirect("backoffice:security:login_verify")


def _back_to_login(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, message)
    return redirect(settings.LOGIN_URL)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect(settings.LOGIN_URL)
    if clock.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return _back_to_login(request, "输入验证码超时，请重新登录。")
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        return _back_to_login(request, "请重新登录。")
    ip = client_ip(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        state = lockout.lock_state(username=user.get_username(), ip=ip)
        if state.locked:
            return _back_to_login(request, state.message())
        if totp.totp_verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            mark_signed_in(request, user)
            lockout.login_succeeded(user=user, ip=ip)
            next_url = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
        state = lockout.login_failed(
            username=user.get_username(), ip=ip, stage=LoginFailure.Stage.TOTP
        )
        if state.locked:
            return _back_to_login(request, state.message())
        form.add_error("code", WRONG_CODE)
    return render(request, "backoffice/security/verify.html", {"form": form})


@never_cache
@staff_required()
def totp_page(request: HttpRequest) -> HttpResponse:
    record = StaffTOTP.objects.filter(user=request.user).first()
    context: dict[str, Any] = {"record": record, "form": CodeForm()}
    if record is not None and not record.is_enabled:
        context["secret"] = totp.grouped(record.secret)
        context["uri"] = totp.provisioning_uri(record)
        context["issuer"] = totp.issuer()
    return render(request, "backoffice/security/totp.html", context)


def _to_page() -> HttpResponse:
    return redirect(reverse("backoffice:security:totp"))


@require_POST
@staff_required()
def totp_start(request: HttpRequest) -> HttpResponse:
    totp.totp_setup_begin(user=request.user)
    return _to_page()


@require_POST
@sensitive_post_parameters("code")
@staff_required()
def totp_confirm(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid() and totp.totp_setup_confirm(
        user=request.user, code=form.cleaned_data["code"]
    ):
        mark_signed_in(request, request.user)
        messages.success(
            request, "两步验证已启用。今后登录时，输入密码后还需输入验证器应用中的验证码。"
        )
    else:
        messages.error(request, WRONG_CODE + "两步验证尚未启用。")
    return _to_page()


@require_POST
@staff_required()
def totp_cancel(request: HttpRequest) -> HttpResponse:
    """Abandon a setup that was never confirmed (an enabled one needs a code to turn off)."""
    StaffTOTP.objects.filter(user=request.user, confirmed_at__isnull=True).delete()
    return _to_page()


@require_POST
@sensitive_post_parameters("code")
@staff_required()
def totp_disable(request: HttpRequest) -> HttpResponse:
    # Wrong codes count like wrong sign-in codes: a stolen session cannot guess its way out.
    user = request.user
    ip = client_ip(request)
    state = lockout.lock_state(username=user.get_username(), ip=ip)
    if state.locked:
        messages.error(request, state.message())
        return _to_page()
    form = CodeForm(request.POST)
    if form.is_valid() and totp.totp_verify(user=user, code=form.cleaned_data["code"]):
        totp.totp_disable(user=user, actor=user, reason="本人关闭")
        messages.success(request, "两步验证已关闭。")
    else:
        lockout.login_failed(username=user.get_username(), ip=ip, stage=LoginFailure.Stage.TOTP)
        messages.error(request, WRONG_CODE + "两步验证仍然有效。")
    return _to_page()
