"""Staff sign-in lockout: too many failures for a user name, or from one address, lock it out.

Settings (read at call time, see ``.env.example``):

* ``GONGKAI_LOGIN_MAX_FAILURES`` (5) failures of one user name within
  ``GONGKAI_LOGIN_WINDOW_MINUTES`` (15) lock that user name for ``GONGKAI_LOGIN_LOCKOUT_MINUTES``
  (15) after the last failure;
* ``GONGKAI_LOGIN_IP_MAX_FAILURES`` (20) failures from one client address within the same
  window lock that address out (password spraying over many user names).

Failures are counted whether or not the user name exists, so the lock says nothing about which
accounts exist. While locked, the password is not even checked, and the refused attempt is not
counted (the lock does not grow by itself). Every failure and every lock is audited; a successful
sign-in removes the user name's failures. An administrator can lift a lock
(``gongkai manage unlock_login USERNAME``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import LoginFailure
from gongkai.core.scoping import staff_agency


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default) or default)


def max_failures() -> int:
    return _setting("GONGKAI_LOGIN_MAX_FAILURES", 5)


def ip_max_failures() -> int:
    return _setting("GONGKAI_LOGIN_IP_MAX_FAILURES", 20)


def window() -> dt.timedelta:
    return dt.timedelta(minutes=_setting("GONGKAI_LOGIN_WINDOW_MINUTES", 15))


def lockout_duration() -> dt.timedelta:
    return dt.timedelta(minutes=_setting("GONGKAI_LOGIN_LOCKOUT_MINUTES", 15))


def normalise(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


@dataclass(frozen=True)
class LockState:
    locked: bool
    until: dt.datetime | None = None
    by_address: bool = False
    failures: int = 0

    def message(self, now: dt.datetime | None = None) -> str:
        if not self.locked or self.until is None:
            return ""
        now = now or clock.now()
        minutes = max(1, math.ceil((self.until - now).total_seconds() / 60))
        if self.by_address:
            return (
                f"来自您所在网络地址的登录失败次数过多，已暂停登录。请在 {minutes} 分钟后再试，"
                "或联系系统管理员。"
            )
        return (
            f"登录失败次数过多，该账户已被暂时锁定。请在 {minutes} 分钟后再试，"
            "或联系系统管理员解锁。"
        )


UNLOCKED = LockState(locked=False)


def _state(rows: list[dt.datetime], limit: int, now: dt.datetime, *, by_address: bool) -> LockState:
    """``rows``: failure times, newest first. Locked when the newest failure completed ``limit``
    failures within the window and the lockout since that failure has not run out."""
    if len(rows) < limit:
        return LockState(locked=False, failures=len(rows))
    last = rows[0]
    recent = [t for t in rows if t > last - window()]
    until = last + lockout_duration()
    if len(recent) >= limit and now < until:
        return LockState(locked=True, until=until, by_address=by_address, failures=len(recent))
    return LockState(locked=False, failures=len(recent))


def lock_state(
    *, username: str | None, ip: str | None, now: dt.datetime | None = None
) -> LockState:
    """Whether a sign-in as ``username`` from ``ip`` is refused now without checking the password."""
    now = now or clock.now()
    since = now - window() - lockout_duration()
    name = normalise(username)
    if name:
        limit = max_failures()
        times = list(
            LoginFailure.objects.filter(username=name, occurred_at__gt=since)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)[: limit * 4]
        )
        state = _state(times, limit, now, by_address=False)
        if state.locked:
            return state
    if ip:
        limit = ip_max_failures()
        times = list(
            LoginFailure.objects.filter(ip=ip, occurred_at__gt=since)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)[: limit * 4]
        )
        state = _state(times, limit, now, by_address=True)
        if state.locked:
            return state
    return UNLOCKED


def _user_named(name: str) -> Any:
    model = get_user_model()
    return (
        model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": name})
        .select_related("staff_profile__agency")
        .first()
    )


@transaction.atomic
def login_failed(
    *,
    username: str | None,
    ip: str | None,
    stage: str = LoginFailure.Stage.PASSWORD,
    now: dt.datetime | None = None,
) -> LockState:
    """Record (and audit) one failed sign-in; returns the lock state it leads to."""
    now = now or clock.now()
    name = normalise(username)
    # Old rows are of no further use (the audit log keeps the history).
    LoginFailure.objects.filter(occurred_at__lt=now - window() - lockout_duration()).delete()
    row = LoginFailure.objects.create(occurred_at=now, username=name, ip=ip or None, stage=stage)
    user = _user_named(name) if name else None
    agency = staff_agency(user) if user is not None else None
    state = lock_state(username=name, ip=ip, now=now)
    details = {"username": name, "ip": ip or "", "stage": stage, "user_exists": user is not None}
    audit.record(
        actor=None, action="security.login.failed", subject=row, agency=agency, after=details
    )
    if state.locked:
        audit.record(
            actor=None,
            action="security.login.locked",
            subject=row,
            agency=agency,
            after={
                **details,
                "failures": state.failures,
                "by_address": state.by_address,
                "until": state.until.isoformat() if state.until else "",
            },
        )
    return state


@transaction.atomic
def login_succeeded(*, user: Any, ip: str | None, now: dt.datetime | None = None) -> None:
    """A complete sign-in (password, and the one-time code when enabled): clear and audit."""
    name = normalise(user.get_username())
    LoginFailure.objects.filter(username=name).delete()
    audit.record(
        actor=user,
        action="security.login.succeeded",
        subject=user,
        agency=staff_agency(user),
        after={"username": name, "ip": ip or ""},
    )


@transaction.atomic
def login_unlock(*, username: str, actor: Any = None) -> int:
    """Lift the lock on ``username`` (an administrator's decision); returns the rows removed."""
    name = normalise(username)
    removed, _ = LoginFailure.objects.filter(username=name).delete()
    user = _user_named(name)
    if user is not None:
        audit.record(
            actor=actor,
            action="security.login.unlocked",
            subject=user,
            agency=staff_agency(user),
            after={"username": name, "failures_removed": removed},
        )
    return removed
