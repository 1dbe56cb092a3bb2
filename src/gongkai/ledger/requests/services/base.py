"""The one transition service and what every service shares: errors, locking, audit snapshots.

``application_transition`` is the only code that writes ``Application.status``. It checks the
transition table (status and permission) and the action's guard, compares the version the user
saw (optimistic locking), applies the changes, recomputes the clock and writes the audit event —
all inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
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
    "correction_note",
    "published_years_of",
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


# The facts that decide where an application counts in the annual report's table 三.
TABLE_FIELDS = ("received_on", "concluded_on", "category", "outcome_row")
_correction_note: ContextVar[str] = ContextVar("gongkai_correction_note", default="")


@contextmanager
def correction_note(text: str) -> Iterator[None]:
    """Changes made inside carry this correction note (needed for a year already published)."""
    token = _correction_note.set(text.strip())
    try:
        yield
    finally:
        _correction_note.reset(token)


def published_years_of(application: Application) -> list[int]:
    """Years whose published annual report counts this application (lock applies to them)."""
    from gongkai.ledger.annual.services import year_is_locked

    years = {d.year for d in (application.received_on, application.concluded_on) if d}
    return sorted(y for y in years if year_is_locked(agency=application.agency, year=y))


def _guard_published_years(
    application: Application, before: Mapping[str, Any], actor: Any, label: str
) -> None:
    """A change to a fact counted in a published year's report needs a correction note, which is
    recorded (条例第四十九条: the published report is not silently contradicted by the ledger)."""
    from gongkai.ledger.annual.services import year_correction_record, year_is_locked

    years: set[int] = set()
    for field in TABLE_FIELDS:
        old, new = before[field], getattr(application, field)
        if old == new:
            continue
        if isinstance(old, date) or isinstance(new, date):
            dates = (old, new)
        elif field == "outcome_row":  # an outcome counts only once the case is concluded
            dates = (before["concluded_on"], application.concluded_on)
        else:  # the applicant category: intake, carry-over and outcome rows alike
            dates = (
                before["received_on"],
                before["concluded_on"],
                application.received_on,
                application.concluded_on,
            )
        years.update(d.year for d in dates if isinstance(d, date))
    locked = sorted(y for y in years if year_is_locked(agency=application.agency, year=y))
    if not locked:
        return
    note = _correction_note.get()
    names = "、".join(f"{y}年" for y in locked)
    if not note:
        raise ActionNotAllowed(
            f"{names}度政府信息公开工作年度报告已发布，这项操作会改变该年度的统计数据，"
            "请填写更正说明后再提交。"
        )
    for year in locked:
        year_correction_record(
            actor=actor,
            agency=application.agency,
            year=year,
            subject=f"{application.registration_no}：{label}",
            note=note,
        )


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
    table_before = {f: getattr(app, f) for f in TABLE_FIELDS}
    for field, value in changes.items():
        setattr(app, field, value)
    app.status = Status(target).value
    app.version += 1
    app.updated_at = clock.now()
    app.save(update_fields=[*fields, "version", "updated_at"])
    application_recompute_clock(app, actor=actor, reason=t.label, today=today)
    _guard_published_years(app, table_before, actor, t.label)
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
