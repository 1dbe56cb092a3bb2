"""The editable working-day calendar: the Django adapter of ``gongkai.statutory.workdays``.

``current_calendar()`` is what every service uses to count working days. Changing the calendar
goes through ``calendar_day_set`` / ``calendar_day_delete`` / ``calendar_year_confirm``, which
audit the change and then ask every registered recompute hook (the application ledger) to move
the due dates of open cases.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import CalendarDay, CalendarYearConfirmation
from gongkai.statutory.workdays import CalendarOverride, WorkdayCalendar

# Functions ``hook(*, calendar, actor, reason) -> int`` (number of cases whose dates moved),
# called in the same transaction as a calendar change. Missing modules are skipped.
RECOMPUTE_HOOKS: list[str] = [
    "gongkai.ledger.requests.services.clock.recompute_after_calendar_change",
]


def current_calendar() -> WorkdayCalendar:
    """The seed calendar with every administrator override and confirmation applied."""
    overrides = [
        CalendarOverride(day=row.day, is_workday=row.is_workday, name=row.name, source=row.source)
        for row in CalendarDay.objects.all()
    ]
    confirmed = dict(CalendarYearConfirmation.objects.values_list("year", "source"))
    return WorkdayCalendar(overrides, confirmed)


@dataclass(frozen=True)
class CalendarChange:
    moved_cases: int


def _run_hooks(*, actor: Any, reason: str) -> int:
    calendar = current_calendar()
    moved = 0
    for dotted in RECOMPUTE_HOOKS:
        module_name, func_name = dotted.rsplit(".", 1)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        hook: Callable[..., int] | None = getattr(module, func_name, None)
        if hook is not None:
            moved += int(hook(calendar=calendar, actor=actor, reason=reason) or 0)
    return moved


def _check_source(source: str) -> str:
    source = source.strip()
    if not source:
        raise ValidationError("请填写依据文件（例如：国办发明电〔2025〕7号）。")
    return source


@transaction.atomic
def calendar_day_set(
    *, actor: Any, day: dt.date, is_workday: bool, name: str = "", source: str
) -> CalendarChange:
    """Declare ``day`` a working day or a day off, citing the notice; moves open cases' dates."""
    source = _check_source(source)
    existing = CalendarDay.objects.filter(day=day).first()
    before = (
        {"is_workday": existing.is_workday, "name": existing.name, "source": existing.source}
        if existing
        else None
    )
    row, _ = CalendarDay.objects.update_or_create(
        day=day,
        defaults={
            "is_workday": is_workday,
            "name": name.strip(),
            "source": source,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            "created_at": clock.now(),
        },
    )
    after = {"is_workday": is_workday, "name": row.name, "source": source}
    audit.record(actor=actor, action="calendar.day.set", subject=row, before=before, after=after)
    reason = f"工作日历调整：{day:%Y-%m-%d} 设为{'工作日' if is_workday else '休息日'}（{source}）"
    return CalendarChange(moved_cases=_run_hooks(actor=actor, reason=reason))


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: dt.date) -> CalendarChange:
    """Remove an override: the seed (or the provisional rule) applies again to ``day``."""
    row = CalendarDay.objects.filter(day=day).first()
    if row is None:
        raise ValidationError("该日期没有调整记录。")
    audit.record(
        actor=actor,
        action="calendar.day.deleted",
        subject=row,
        before={"is_workday": row.is_workday, "name": row.name, "source": row.source},
    )
    row.delete()
    reason = f"工作日历调整：撤销 {day:%Y-%m-%d} 的调整"
    return CalendarChange(moved_cases=_run_hooks(actor=actor, reason=reason))


@transaction.atomic
def calendar_year_confirm(*, actor: Any, year: int, source: str) -> CalendarChange:
    """Mark ``year``'s calendar as complete: dates in it stop being provisional."""
    source = _check_source(source)
    row, created = CalendarYearConfirmation.objects.update_or_create(
        year=year,
        defaults={
            "source": source,
            "confirmed_by": actor if getattr(actor, "is_authenticated", False) else None,
            "confirmed_at": clock.now(),
        },
    )
    audit.record(
        actor=actor,
        action="calendar.year.confirmed",
        subject=row,
        after={"year": year, "source": source},
    )
    reason = f"确认{year}年放假安排（{source}）"
    return CalendarChange(moved_cases=_run_hooks(actor=actor, reason=reason))
