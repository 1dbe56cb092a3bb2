"""Issuing, checking and revoking API tokens.

A token is ``gk_`` + 43 random URL-safe characters (256 bits). Only its SHA-256 is stored: a
high-entropy random secret needs no slow hash, and a leaked database gives no usable token.

The sign-in protections cannot be bypassed through the API, because no API call exchanges a
password for a token. A token is issued only

* to an active staff account (``view_backoffice`` and an agency, or a platform superuser) that
  is not locked out (``gongkai.core.security.lockout``), and
* either by the owner from a signed-in back-office session, re-entering the password (checked by
  ``authenticate()``, so wrong passwords count towards the lockout) and, when two-step sign-in is
  on, a fresh one-time code (wrong codes count too) — ``api_token_create_for_session``;
* or by an operator on the server: ``gongkai manage create_api_token USERNAME``.

A token stops working when it expires, is revoked, or its owner is deactivated or loses the
back-office permission; it always acts with its owner's current permissions and agency.

Administrators revoke other people's tokens (an employee leaves, a token leaks) on
``/api/tokens/all/``: a platform superuser any token, a ``manage_agency`` holder those of the
staff of the agencies in their scope (``gongkai.core.scoping``), never a superuser's —
``token_list_for_admin``, ``token_user_for_admin``, ``api_token_revoke(reason=…)`` and
``api_tokens_revoke_for_user``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from gongkai.api.models import ApiToken
from gongkai.core import audit, clock
from gongkai.core.models import LoginFailure
from gongkai.core.scoping import scope_to_user, staff_agency
from gongkai.core.security import lockout, totp
from gongkai.core.security.client_ip import client_ip
from gongkai.core.security.middleware import SESSION_KEY

__all__ = [
    "MAX_DAYS",
    "TokenRefused",
    "api_token_create",
    "api_token_create_for_session",
    "REASON_MAX",
    "STATUSES",
    "api_token_revoke",
    "api_tokens_revoke_for_user",
    "can_manage_tokens",
    "default_days",
    "hash_token",
    "issuable_problem",
    "token_list_for_admin",
    "token_list_for_user",
    "token_status",
    "token_user_for_admin",
    "user_for_token",
]

# The visible prefix of every token (not a secret: it tells a token apart in logs and configs).
TOKEN_PREFIX = "gk_"  # nosec B105
MAX_DAYS = 365
# How stale ``last_used_at`` may get before a request writes it again (one write per token per
# interval, not one per request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
# The statuses of a token (the administrators' page filters on them).
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
STATUSES = ((ACTIVE, "有效"), (EXPIRED, "已过期"), (REVOKED, "已吊销"))
REASON_MAX = 200


class TokenRefused(Exception):
    """A token cannot be issued; the message is in Chinese and can be shown to the user."""


def default_days() -> int:
    return max(1, min(MAX_DAYS, int(getattr(settings, "GONGKAI_API_TOKEN_DAYS", 90))))


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def is_api_user(user: Any) -> bool:
    """An active staff account that may use the back office (and so the API)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return staff_agency(user) is not None and user.has_perm("core.view_backoffice")


def issuable_problem(user: Any) -> str | None:
    """Why no token may be issued to ``user`` now (``None``: it may)."""
    if user is None or not user.is_active:
        return "该账户不存在或已停用，不能生成接口令牌。"
    if not is_api_user(user):
        return "只能为有工作后台权限、并已分配所属机关的工作人员生成接口令牌。"
    state = lockout.lock_state(username=user.get_username(), ip=None)
    if state.locked:
        return "该账户因登录失败次数过多被暂时锁定，锁定期间不能生成接口令牌。"
    return None


@transaction.atomic
def api_token_create(
    *,
    user: Any,
    name: str,
    origin: str,
    actor: Any = None,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns the row and the token itself (shown once, never stored).

    Writes ``api.token.created``. Raises ``TokenRefused`` for an account that may not have one.
    """
    problem = issuable_problem(user)
    if problem:
        raise TokenRefused(problem)
    name = (name or "").strip()
    if not name:
        raise TokenRefused("请填写令牌的用途（例如：档案系统对接）。")
    if len(name) > 100:
        raise TokenRefused("用途不能超过100个字。")
    days = default_days() if days is None else int(days)
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(f"有效期应为1至{MAX_DAYS}天。")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=hash_token(raw),
        origin=origin,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action="api.token.created",
        subject=token,
        agency=staff_agency(user),
        after={
            "user": user.get_username(),
            "name": name,
            "prefix": token.prefix,
            "origin": origin,
            "expires_at": token.expires_at,
        },
    )
    return token, raw


def api_token_create_for_session(
    *,
    request: HttpRequest,
    name: str,
    password: str,
    code: str = "",
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """The signed-in staff member issues a token for themselves (the back-office page).

    The password is asked again and checked by ``authenticate()`` (the lockout counts a wrong
    one); with two-step sign-in on, the session must have passed it and a fresh code is needed
    (a wrong code counts as a failed sign-in too).
    """
    user = request.user
    username = user.get_username()
    ip = client_ip(request)
    state = lockout.lock_state(username=username, ip=ip)
    if state.locked:
        raise TokenRefused(state.message())
    checked = authenticate(request, username=username, password=password or "")
    if checked is None or checked.pk != user.pk:
        raise TokenRefused("密码不正确。")
    if totp.enabled_for(user):
        if request.session.get(SESSION_KEY) != f"ok:{user.pk}":
            raise TokenRefused("请先完成两步验证登录。")
        if not totp.totp_verify(user=user, code=code):
            lockout.login_failed(username=username, ip=ip, stage=LoginFailure.Stage.TOTP)
            raise TokenRefused("验证码不正确或已经使用过，请输入验证器应用中当前显示的 6 位数字。")
    return api_token_create(
        user=user, name=name, origin=ApiToken.Origin.SESSION, actor=user, days=days
    )


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any, reason: str = "") -> ApiToken:
    """Revoke ``token`` at once (idempotent); writes ``api.token.revoked``.

    ``reason`` (an administrator revoking someone else's token says why) goes into the event.
    """
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        after = {"user": token.user.get_username(), "prefix": token.prefix}
        reason = (reason or "").strip()[:REASON_MAX]
        if reason:
            after["reason"] = reason
        audit.record(
            actor=actor,
            action="api.token.revoked",
            subject=token,
            agency=staff_agency(token.user),
            after=after,
        )
    return token


def api_tokens_revoke_for_user(*, user: Any, actor: Any, reason: str = "") -> list[ApiToken]:
    """Revoke every live token (not revoked, not expired) of ``user``; one event per token."""
    with transaction.atomic():
        live = list(
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(user=user, revoked_at__isnull=True, expires_at__gt=clock.now())
            .order_by("created_at", "id")
        )
        for token in live:
            api_token_revoke(token=token, actor=actor, reason=reason)
    return live


def token_list_for_user(user: Any) -> Any:
    """The tokens ``user`` owns (their own page shows nobody else's)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def can_manage_tokens(user: Any) -> bool:
    """Whether ``user`` may see and revoke other people's tokens (``/api/tokens/all/``)."""
    if not is_api_user(user):
        return False
    return bool(user.is_superuser or user.has_perm("core.manage_agency"))


def _managed_users(admin: Any) -> QuerySet[Any]:
    """The accounts whose tokens ``admin`` manages: everybody for a platform superuser; the
    staff of the agencies in the scope of a ``manage_agency`` holder (never a superuser)."""
    users = get_user_model().objects.all()
    if not can_manage_tokens(admin):
        return users.none()
    if admin.is_superuser:
        return users
    return scope_to_user(users, admin, field="staff_profile__agency").exclude(is_superuser=True)


def token_list_for_admin(admin: Any, *, status: str = "", search: str = "") -> QuerySet[ApiToken]:
    """The tokens ``admin`` may see and revoke, newest first, optionally filtered by status
    (``STATUSES``) and by a search on the owner's username or name."""
    qs = ApiToken.objects.select_related("user", "user__staff_profile__agency").filter(
        user__in=_managed_users(admin)
    )
    now = clock.now()
    if status == ACTIVE:
        qs = qs.filter(revoked_at__isnull=True, expires_at__gt=now)
    elif status == EXPIRED:
        qs = qs.filter(revoked_at__isnull=True, expires_at__lte=now)
    elif status == REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(user__username__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return qs.order_by("-created_at", "-id")


def token_user_for_admin(admin: Any, user_id: int) -> Any | None:
    """The account ``user_id`` if ``admin`` manages its tokens, else ``None`` (a 404)."""
    return _managed_users(admin).filter(pk=user_id).first()


def token_status(token: ApiToken, now: dt.datetime | None = None) -> str:
    if token.revoked_at is not None:
        return REVOKED
    return EXPIRED if token.expires_at <= (now or clock.now()) else ACTIVE


def user_for_token(raw: str) -> tuple[Any, ApiToken] | None:
    """The owner of a valid token (not expired, not revoked, owner still an API user)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__staff_profile__agency")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None or token.revoked_at is not None:
        return None
    now = clock.now()
    if token.expires_at <= now:
        return None
    user = token.user
    if not is_api_user(user):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user, token
