"""The authentication backend: Django's ModelBackend behind the sign-in lockout.

Every way of signing in with a password (the back-office login page, the Django admin, a future
API token exchange) goes through ``authenticate()`` and so through this check: a locked user name
or address is refused before the password is looked at, and each wrong password is counted.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.core.security import lockout
from gongkai.core.security.client_ip import client_ip


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(str(get_user_model().USERNAME_FIELD))
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        state = lockout.lock_state(username=username, ip=ip)
        if state.locked:
            # Stops the other backends too; ``authenticate()`` then reports a failed sign-in.
            raise PermissionDenied(state.message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.login_failed(username=username, ip=ip)
        return user
