"""The back office's permission rules, for API views.

Every API view needs what every back-office view needs (``staff_required``): an active account
with ``view_backoffice`` and an agency, or a platform superuser. A view then names, per HTTP
method, the codenames it needs (all of ``required``, and at least one of ``required_any``)::

    class ApplicationList(ApiView):
        required_any = {"GET": ("view_cases", "view_region"), "POST": ("view_cases", "view_region")}
        required = {"POST": ("register_application",)}

Without a valid token the answer is 401; with one but without the permission, 403. Objects are
found through the scoping selectors, so a foreign object is a 404 like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from gongkai.api.tokens import is_api_user

DENIED = "您没有执行此操作的权限。"
CASES = ("view_cases", "view_region")  # the back office's ``cases_required``


def has_codenames(
    user: Any, required: Iterable[str] = (), required_any: Iterable[str] = ()
) -> bool:
    """``staff_required(*required)`` plus "at least one of ``required_any``"."""
    if not is_api_user(user):
        return False
    if user.is_superuser:
        return True
    if not all(user.has_perm(f"core.{c}") for c in required):
        return False
    any_of = tuple(required_any)
    return not any_of or any(user.has_perm(f"core.{c}") for c in any_of)


def _for_method(
    rules: Mapping[str, tuple[str, ...]] | tuple[str, ...], method: str
) -> tuple[str, ...]:
    if isinstance(rules, Mapping):
        return tuple(rules.get(method, rules.get("*", ())))
    return tuple(rules)


class StaffCodenames(BasePermission):
    message = DENIED

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else str(request.method)
        return has_codenames(
            user,
            _for_method(getattr(view, "required", ()), method),
            _for_method(getattr(view, "required_any", ()), method),
        )
