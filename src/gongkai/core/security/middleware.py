"""Two middlewares: a limit on the request body, and the two-step check on every session.

``RequestSizeLimitMiddleware`` refuses a request whose declared body is larger than
``GONGKAI_MAX_REQUEST_MB`` (25 MB by default; set nginx's ``client_max_body_size`` to the same)
with 413 before Django reads it. Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only limits the
non-file part of a form, and attachment services check their own, smaller, per-file limits.

``TwoFactorMiddleware`` makes the one-time code unavoidable: a session that signed in some
other way than the back-office login page (the Django admin's login form, for instance) for an
account with two-step sign-in enabled is signed out and sent to the back-office login page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from gongkai.core.security import totp

SESSION_KEY = "gongkai_two_factor"


def mark_signed_in(request: HttpRequest, user: object) -> None:
    """Record that this session's sign-in is complete (password and, if enabled, the code)."""
    request.session[SESSION_KEY] = f"ok:{getattr(user, 'pk', '')}"


def max_request_bytes() -> int:
    return int(float(getattr(settings, "GONGKAI_MAX_REQUEST_MB", 25)) * 2**20)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(
                "请求格式错误。", status=400, content_type="text/plain; charset=utf-8"
            )
        limit = max_request_bytes()
        if length > limit:
            return HttpResponse(
                f"提交的内容过大（{length / 2**20:.1f} MB），上限为 {limit / 2**20:.0f} MB。"
                "请压缩或分拆文件后重试。",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expected = f"ok:{user.pk}"
            if request.session.get(SESSION_KEY) != expected:
                if totp.enabled_for(user):
                    logout(request)
                    messages.warning(request, "该账户已启用两步验证，请在工作后台登录页重新登录。")
                    login_url = resolve_url(settings.LOGIN_URL)
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{login_url}?{query}")
                request.session[SESSION_KEY] = expected
        return self.get_response(request)
