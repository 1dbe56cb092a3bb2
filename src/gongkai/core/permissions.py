"""Permission checks for staff views: one decorator, used by every back-office view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from gongkai.core.scoping import staff_agency


def has_perm(user: Any, codename: str) -> bool:
    return bool(user.is_authenticated and user.has_perm(f"core.{codename}"))


def staff_required(*codenames: str) -> Callable[..., Any]:
    """Anonymous users go to the login page; staff without every permission get 403.

    Every staff view needs ``view_backoffice`` and an agency (or to be a platform superuser).
    """
    required = ("view_backoffice", *codenames)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_superuser and (
                staff_agency(user) is None or not all(has_perm(user, c) for c in required)
            ):
                raise PermissionDenied("您没有执行此操作的权限")
            return view(request, *args, **kwargs)

        wrapper.required_permissions = required  # type: ignore[attr-defined]
        return wrapper

    return decorator
