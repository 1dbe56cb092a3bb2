"""The login form with the lockout message, and the one-time code form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from gongkai.core.security import lockout
from gongkai.core.security.client_ip import client_ip


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, saying so when the user name or the address is locked out.

    The lockout itself is enforced in the authentication backend (every sign-in path); this form
    only turns "refused" into the Chinese lockout message instead of "wrong password".
    """

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        ip = client_ip(self.request) if self.request is not None else None
        state = lockout.lock_state(username=username, ip=ip)
        if state.locked:
            raise ValidationError(state.message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            after = lockout.lock_state(username=username, ip=ip)
            if after.locked:
                raise ValidationError(after.message(), code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态验证码",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
            }
        ),
        help_text="验证器应用中当前显示的 6 位数字",
    )
