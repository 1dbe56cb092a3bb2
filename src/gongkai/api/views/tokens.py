"""The back-office page where staff issue and revoke their own API tokens (``/api/tokens/``).

A signed-in session only (the ``staff_required`` rules); the password is asked again, and the
one-time code when two-step sign-in is on (``tokens.api_token_create_for_session``). The token
is shown once, on the response to the form, and never stored in clear.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.api import tokens
from gongkai.core import clock
from gongkai.core.permissions import staff_required
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
