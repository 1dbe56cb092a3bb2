"""The back-office pages of API tokens.

``/api/tokens/``: staff issue and revoke their own tokens. A signed-in session only (the
``staff_required`` rules); the password is asked again, and the one-time code when two-step
sign-in is on (``tokens.api_token_create_for_session``). The token is shown once, on the
response to the form, and never stored in clear.

``/api/tokens/all/``: administrators (``manage_agency``, or a platform superuser) list the
tokens of the staff they manage (``tokens.token_list_for_admin``, through the scoping module)
and revoke one, or all of one person's, giving a reason that goes into the audit event. A token
or person outside their scope is a 404, like a missing one. The hash is never shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.api import tokens
from gongkai.core import clock
from gongkai.core.permissions import staff_required
from gongkai.core.scoping import staff_agency
from gongkai.core.security import totp


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：档案系统对接")
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=tokens.MAX_DAYS)
    password = forms.CharField(label="登录密码（再次确认身份）", widget=forms.PasswordInput)
    code = forms.CharField(label="动态验证码", max_length=10, required=False)


@sensitive_post_parameters("password", "code")
@never_cache
@staff_required()
def token_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"days": tokens.default_days()})
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                token, raw = tokens.api_token_create_for_session(
                    request=request,
                    name=d["name"],
                    password=d["password"],
                    code=d.get("code", ""),
                    days=d["days"],
                )
            except tokens.TokenRefused as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                issued = {"token": token, "raw": raw}
                form = TokenForm(initial={"days": tokens.default_days()})
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "issued": issued,
            "rows": list(tokens.token_list_for_user(request.user)),
            "now": clock.now(),
            "needs_code": totp.enabled_for(request.user),
            "can_manage": tokens.can_manage_tokens(request.user),
        },
        status=status,
    )


@require_POST
@staff_required()
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.token_list_for_user(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404("未找到该令牌")
    tokens.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"已吊销令牌 {token.prefix}…")
    return redirect("api:tokens")


# -- administrators: everybody's tokens in their scope ------------------------------------------

ADMIN_PERMISSION = "manage_agency"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="吊销原因",
        max_length=tokens.REASON_MAX,
        help_text="例如：人员离职、令牌泄露。记入操作记录。",
    )


def _filters(data: QueryDict) -> dict[str, str]:
    status = data.get("status", "")
    return {
        "status": status if status in dict(tokens.STATUSES) else "",
        "q": data.get("q", "").strip()[:100],
    }


def _back(filters: dict[str, str]) -> HttpResponse:
    query = QueryDict("", mutable=True)
    for key, value in filters.items():
        if value:
            query[key] = value
    url = reverse("api:tokens-admin")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _reason(request: HttpRequest) -> str | None:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写吊销原因（不超过200字），令牌未吊销。")
        return None
    return form.cleaned_data["reason"]


@never_cache
@staff_required(ADMIN_PERMISSION)
def token_admin_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request.GET)
    page = Paginator(
        tokens.token_list_for_admin(request.user, status=filters["status"], search=filters["q"]),
        50,
    ).get_page(request.GET.get("page"))
    now = clock.now()
    labels = dict(tokens.STATUSES)
    rows = []
    for token in page:
        status = tokens.token_status(token, now)
        rows.append(
            {
                "token": token,
                "agency": staff_agency(token.user),
                "status": status,
                "status_label": labels[status],
            }
        )
    return render(
        request,
        "api/tokens_admin.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "statuses": tokens.STATUSES,
            "form": RevokeForm(),
        },
    )


@require_POST
@staff_required(ADMIN_PERMISSION)
def token_admin_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.token_list_for_admin(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404("未找到该令牌")
    filters = _filters(request.POST)
    reason = _reason(request)
    if reason is None:
        return _back(filters)
    if token.revoked_at is not None:
        messages.info(request, f"令牌 {token.prefix}… 已经吊销。")
    else:
        tokens.api_token_revoke(token=token, actor=request.user, reason=reason)
        messages.success(request, f"已吊销 {token.user.get_username()} 的令牌 {token.prefix}…")
    return _back(filters)


@require_POST
@staff_required(ADMIN_PERMISSION)
def token_admin_revoke_user(request: HttpRequest, user_id: int) -> HttpResponse:
    owner = tokens.token_user_for_admin(request.user, user_id)
    if owner is None:
        raise Http404("未找到该用户")
    filters = _filters(request.POST)
    reason = _reason(request)
    if reason is None:
        return _back(filters)
    revoked = tokens.api_tokens_revoke_for_user(user=owner, actor=request.user, reason=reason)
    if revoked:
        messages.success(
            request, f"已吊销 {owner.get_username()} 的全部有效令牌，共 {len(revoked)} 个。"
        )
    else:
        messages.info(request, f"{owner.get_username()} 没有有效的令牌。")
    return _back(filters)
