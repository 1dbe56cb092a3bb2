"""The one transition service and what every service shares: errors, locking, audit snapshots.

``application_transition`` is the only code that writes ``Application.status``. It checks the
transition table (status and permission) and the action's guard, compares the version the user
saw (optimistic locking), applies the changes, recomputes the clock and writes the audit event —
all inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction

from gongkai.core import audit, clock
from gongkai.ledger.requests.models import Application
from gongkai.ledger.requests.transitions import (
    TRANSITIONS,
    Action,
    Status,
    TransitionError,
    transition_for,
)

__all__ = [
    "ActionNotAllowed",
    "ApplicationError",
    "StaleApplication",
    "application_transition",
    "available_actions",
    "guard_ok",
    "lock",
    "snapshot",
]

STALE_MESSAGE = (
    "该案件已被其他人修改（可能是同事刚刚办理了这件申请）。为避免覆盖他人的操作，您的修改未保存；"
    "请刷新页面，核对最新情况后重新操作。"
)


class ApplicationError(Exception):
    """A service refused: the message is in Chinese and can be shown to the user."""


class StaleApplication(ApplicationError):
    """Optimistic locking: the case changed since the user loaded it."""

    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message)


class ActionNotAllowed(ApplicationError):
    """Wrong status, missing permission or a failed guard."""


def has_perm(actor: Any, codename: str) -> bool:
    if actor is None:  # the system itself (commands, imports, demo)
        return True
    return bool(actor.is_authenticated and actor.has_perm(f"core.{codename}"))


def require_perm(actor: Any, codename: str, what: str) -> None:
    if not has_perm(actor, codename):
        raise ActionNotAllowed(f"您没有权限{what}。")


def lock(application: Application, expected_version: int | None = None) -> Application:
    """Re-read ``application`` under a row lock and check it is the version the user saw."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("services must run inside transaction.atomic")
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    expected = application.version if expected_version is None else expected_version
    if fresh.version != expected:
        raise StaleApplication()
    return fresh


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(application: Application, fields: Iterable[str]) -> dict[str, Any]:
    return {f: _plain(getattr(application, f)) for f in fields}


def guard_ok(application: Application, action: Action, actor: Any) -> bool:
    """The extra condition of an action (``Transition.guard``), on the application's fields."""
    guard = TRANSITIONS[action].guard
    if not guard:
        return True
    if guard == "no_extension":
        return application.extension_state in ("none", "rejected")
    if guard == "extension_proposed":
        return application.extension_state == "proposed"
    if guard == "extension_unnotified":
        return (
            application.extension_state == "approved" and application.extension_notified_on is None
        )
    if guard == "may_return":
        return has_perm(actor, "review_publication") or has_perm(actor, "sign_decision")
    if guard == "clock_lapsed":
        return bool(application.lapse_row)
    if guard == "corrected_appeal":
        return (
            application.reconsiderations.filter(result="corrected").exists()
            or application.litigations.filter(result="corrected").exists()
        )
    raise KeyError(guard)


def available_actions(application: Application, actor: Any) -> list[Action]:
    """The actions to offer as buttons: allowed for the status, the actor's role and the guard."""
    out = []
    for action, t in TRANSITIONS.items():
        if application.status_enum not in t.sources or not has_perm(actor, t.permission):
            continue
        if guard_ok(application, action, actor):
            out.append(action)
    return out


def application_transition(
    *,
    application: Application,
    action: Action,
    actor: Any,
    expected_version: int | None = None,
    to: Status | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    audit_extra: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Application:
    """Apply ``action`` to ``application``: the one place a status changes.

    Returns the fresh, saved instance. Raises ``StaleApplication`` if the case changed since
    the user loaded it, ``ActionNotAllowed`` for a wrong status, role or guard.
    """
    from gongkai.ledger.requests.services.clock import application_recompute_clock

    app = lock(application, expected_version)
    try:
        t = transition_for(action, app.status)
    except TransitionError as exc:
        raise ActionNotAllowed(str(exc)) from None
    require_perm(actor, t.permission, f"执行“{t.label}”")
    if not guard_ok(app, action, actor):
        raise ActionNotAllowed(f"现在不能执行“{t.label}”。")
    target = to or t.default_target or app.status_enum
    if t.targets and target not in t.targets:
        raise ActionNotAllowed(f"“{t.label}”不能转到“{Status(target).label}”。")
    changes = dict(changes or {})
    fields = ["status", *changes]
    before = snapshot(app, fields)
    for field, value in changes.items():
        setattr(app, field, value)
    app.status = Status(target).value
    app.version += 1
    app.updated_at = clock.now()
    app.save(update_fields=[*fields, "version", "updated_at"])
    application_recompute_clock(app, actor=actor, reason=t.label, today=today)
    after = snapshot(app, fields)
    if audit_extra:
        after.update({k: _plain(v) for k, v in audit_extra.items()})
    audit.record(
        actor=actor,
        action=t.audit_code,
        subject=app,
        before=before,
        after=after,
        note=note,
    )
    return app
