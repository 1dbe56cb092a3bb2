"""The working-day calendar: seed tables, overrides, provisional years, arithmetic."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.statutory.workdays import (
    CalendarOverride,
    DayKind,
    WorkdayCalendar,
    add_workdays,
    default_calendar,
    explain_add_workdays,
    is_workday,
    next_workday,
    workdays_between,
)


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# Spec §4.1, 国办发明电〔2023〕7号 (2024) and 国办发明电〔2024〕12号 (2025).
HOLIDAYS_2024 = (
    {date(2024, 1, 1)}
    | _span(date(2024, 2, 10), date(2024, 2, 17))
    | _span(date(2024, 4, 4), date(2024, 4, 6))
    | _span(date(2024, 5, 1), date(2024, 5, 5))
    | {date(2024, 6, 10)}
    | _span(date(2024, 9, 15), date(2024, 9, 17))
    | _span(date(2024, 10, 1), date(2024, 10, 7))
)
MAKEUP_2024 = {
    date(2024, 2, 4),
    date(2024, 2, 18),
    date(2024, 4, 7),
    date(2024, 4, 28),
    date(2024, 5, 11),
    date(2024, 9, 14),
    date(2024, 9, 29),
    date(2024, 10, 12),
}
HOLIDAYS_2025 = (
    {date(2025, 1, 1)}
    | _span(date(2025, 1, 28), date(2025, 2, 4))
    | _span(date(2025, 4, 4), date(2025, 4, 6))
    | _span(date(2025, 5, 1), date(2025, 5, 5))
    | _span(date(2025, 5, 31), date(2025, 6, 2))
    | _span(date(2025, 10, 1), date(2025, 10, 8))
)
MAKEUP_2025 = {
    date(2025, 1, 26),
    date(2025, 2, 8),
    date(2025, 4, 27),
    date(2025, 9, 28),
    date(2025, 10, 11),
}


@pytest.mark.parametrize(
    ("year", "holidays", "makeup"),
    [(2024, HOLIDAYS_2024, MAKEUP_2024), (2025, HOLIDAYS_2025, MAKEUP_2025)],
)
def test_year_table_matches_the_state_council_notice(
    year: int, holidays: set[date], makeup: set[date]
) -> None:
    """Every holiday and make-up day of spec §4.1 is in the seed, and nothing else is."""
    table = default_calendar().year(year)
    assert table.confirmed
    assert {i.day for i in table.holidays} == holidays
    assert {i.day for i in table.makeup_workdays} == makeup


@pytest.mark.parametrize("day", sorted(HOLIDAYS_2024 | HOLIDAYS_2025), ids=lambda d: d.isoformat())
def test_every_holiday_is_not_a_working_day(day: date) -> None:
    assert not is_workday(day)
    assert default_calendar().day_info(day).kind is DayKind.HOLIDAY


@pytest.mark.parametrize("day", sorted(MAKEUP_2024 | MAKEUP_2025), ids=lambda d: d.isoformat())
def test_every_makeup_day_is_a_working_weekend_day(day: date) -> None:
    info = default_calendar().day_info(day)
    assert day.weekday() >= 5
    assert info.is_workday
    assert info.kind is DayKind.MAKEUP_WORKDAY
    assert "调休上班日" in info.describe()


def test_2024_new_years_eve_is_a_working_day() -> None:
    """除夕 2024-02-09 was a working day (units were only encouraged to let staff rest)."""
    assert is_workday(date(2024, 2, 9))


def test_holiday_names_are_chinese() -> None:
    cal = default_calendar()
    assert cal.day_info(date(2024, 2, 12)).name == "春节"
    assert cal.day_info(date(2025, 10, 1)).name == "国庆节"
    assert cal.day_info(date(2024, 2, 18)).name == "春节"  # the make-up day belongs to 春节
    assert "春节放假" in cal.day_info(date(2024, 2, 12)).describe()


def test_seed_source_names_the_notice() -> None:
    assert "国办发明电〔2023〕7号" in default_calendar().year(2024).source
    assert "国办发明电〔2024〕12号" in default_calendar().year(2025).source


def test_ordinary_days() -> None:
    assert is_workday(date(2024, 3, 4))  # Monday
    assert not is_workday(date(2024, 3, 2))  # Saturday
    assert default_calendar().day_info(date(2024, 3, 2)).kind is DayKind.WEEKEND


def test_add_workdays_excludes_the_start_day() -> None:
    assert add_workdays(date(2024, 3, 4), 1) == date(2024, 3, 5)
    assert add_workdays(date(2024, 3, 2), 1) == date(2024, 3, 4)  # from a Saturday
    assert add_workdays(date(2024, 3, 4), 0) == date(2024, 3, 4)


def test_spec_worked_examples_of_pure_arithmetic() -> None:
    assert add_workdays(date(2024, 2, 6), 7) == date(2024, 2, 21)
    assert add_workdays(date(2024, 2, 6), 20) == date(2024, 3, 11)
    assert add_workdays(date(2025, 1, 24), 7) == date(2025, 2, 10)
    assert add_workdays(date(2025, 1, 24), 20) == date(2025, 2, 27)
    assert add_workdays(date(2024, 12, 20), 20) == date(2025, 1, 20)
    assert add_workdays(date(2024, 12, 20), 40) == date(2025, 2, 21)


def test_add_workdays_backwards_and_across_years() -> None:
    assert add_workdays(date(2025, 1, 2), -1) == date(2024, 12, 31)
    assert add_workdays(date(2024, 3, 11), -20) == date(2024, 2, 6)
    assert workdays_between(date(2024, 12, 20), date(2025, 2, 21)) == 40
    assert workdays_between(date(2025, 2, 21), date(2024, 12, 20)) == -40
    assert workdays_between(date(2024, 1, 1), date(2024, 1, 1)) == 0


def test_long_spans_cross_several_years() -> None:
    cal = default_calendar()
    d = add_workdays(date(2019, 6, 1), 1000)
    assert workdays_between(date(2019, 6, 1), d) == 1000
    assert cal.is_workday(d)


def test_next_workday() -> None:
    assert next_workday(date(2024, 2, 9)) == date(2024, 2, 18)  # over 春节 to the make-up Sunday
    assert next_workday(date(2024, 2, 10), include_self=True) == date(2024, 2, 18)
    assert next_workday(date(2024, 2, 19), include_self=True) == date(2024, 2, 19)


def test_explain_lists_each_day_with_its_reason() -> None:
    ex = explain_add_workdays(date(2024, 2, 6), 7)
    assert ex.end == date(2024, 2, 21)
    assert ex.workdays == 7
    assert not ex.provisional
    lines = ex.lines()
    assert lines[0] == "2024-02-07 第1个工作日：工作日（星期三）"
    assert "2024-02-10 不计：春节放假（星期六）" in lines
    assert "2024-02-18 第4个工作日：调休上班日（春节调休，星期日）" in lines
    assert lines[-1] == "2024-02-21 第7个工作日：工作日（星期三）"


def test_unconfirmed_year_is_provisional_not_silently_normal() -> None:
    """2027 is beyond the seed: weekends + fixed-date holidays, every day marked provisional."""
    cal = default_calendar()
    assert not cal.is_confirmed(2027)
    assert not cal.is_workday(date(2027, 1, 1))  # 元旦, a Friday
    assert not cal.is_workday(date(2027, 10, 1))  # 国庆节
    assert not cal.is_workday(date(2027, 4, 5))  # 清明 (solar term)
    assert cal.is_workday(date(2027, 1, 4))
    info = cal.day_info(date(2027, 1, 4))
    assert info.provisional
    assert "暂定" in info.describe()
    assert cal.provisional_years(date(2026, 12, 1), date(2027, 2, 1)) == (2027,)
    (warning,) = cal.warnings_for(date(2026, 12, 1), date(2027, 2, 1))
    assert "2027年" in warning
    assert "春节" in warning
    assert cal.provisional_years(date(2026, 1, 1), date(2026, 12, 31)) == ()


def test_explain_across_unconfirmed_year_carries_the_warning() -> None:
    ex = explain_add_workdays(date(2026, 12, 15), 20)
    assert ex.end == date(2027, 1, 13)
    assert ex.provisional_years == (2027,)
    assert any("2027年" in w for w in ex.warnings)


def test_override_wins_over_seed() -> None:
    cal = WorkdayCalendar(
        overrides=[
            CalendarOverride(date(2025, 10, 8), True, "更正", "某省通知"),
            CalendarOverride(date(2025, 3, 3), False, "地方节日", "某县通知"),
        ]
    )
    assert cal.is_workday(date(2025, 10, 8))
    assert not cal.is_workday(date(2025, 3, 3))
    info = cal.day_info(date(2025, 3, 3))
    assert info.overridden and info.name == "地方节日" and "某县通知" in info.describe()
    assert default_calendar().is_workday(date(2025, 3, 3))  # the shared calendar is untouched
    assert cal.add_workdays(date(2025, 2, 28), 1) == date(2025, 3, 4)


def test_overrides_with_confirmation_make_a_year_non_provisional() -> None:
    source = "国办发明电〔2026〕9号"
    overrides = [
        CalendarOverride(date(2027, 2, 5), False, "春节", source),
        CalendarOverride(date(2027, 2, 8), False, "春节", source),
        CalendarOverride(date(2027, 2, 20), True, "春节", source),  # a Saturday
    ]
    draft = WorkdayCalendar(overrides=overrides)
    assert not draft.is_confirmed(2027)  # overrides alone do not confirm a year
    cal = WorkdayCalendar(overrides=overrides, confirmed_years={2027: source})
    assert cal.is_confirmed(2027)
    assert cal.provisional_years(date(2027, 1, 1), date(2027, 12, 31)) == ()
    assert cal.year(2027).source == source
    assert not cal.is_workday(date(2027, 2, 5))
    assert cal.day_info(date(2027, 2, 20)).kind is DayKind.MAKEUP_WORKDAY
    assert not cal.day_info(date(2027, 2, 20)).provisional
    assert not cal.is_workday(date(2027, 1, 1))  # the fixed-date holidays stay


def test_calendar_without_seed_is_provisional_everywhere() -> None:
    cal = WorkdayCalendar(use_seed=False)
    assert cal.provisional_years(date(2024, 1, 1), date(2024, 12, 31)) == (2024,)
    assert cal.is_workday(date(2024, 2, 12))  # 春节 is lunar: unknown without the notice


def _naive_add(cal: WorkdayCalendar, d: date, n: int) -> date:
    while n:
        d += timedelta(days=1)
        if cal.is_workday(d):
            n -= 1
    return d


dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 6, 30))


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=0, max_value=300))
def test_add_then_count_back_gives_n(d: date, n: int) -> None:
    end = add_workdays(d, n)
    assert workdays_between(d, end) == n
    if n:
        assert is_workday(end)
        back = add_workdays(end, -n)
        assert workdays_between(back, end) == n
        assert back == d or (not is_workday(d) and back < d)


@settings(max_examples=200, deadline=None)
@given(d=dates, n=st.integers(min_value=0, max_value=60))
def test_bisect_arithmetic_equals_the_naive_loop(d: date, n: int) -> None:
    cal = default_calendar()
    assert cal.add_workdays(d, n) == _naive_add(cal, d, n)


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_workdays_between_counts_each_working_day(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 400:
        hi = lo + timedelta(days=400)
    naive = sum(1 for i in range(1, (hi - lo).days + 1) if is_workday(lo + timedelta(days=i)))
    assert workdays_between(lo, hi) == naive


def test_statutory_package_never_imports_django_or_reads_the_clock() -> None:
    code = (
        "import sys\n"
        "import gongkai.statutory.workdays, gongkai.statutory.deadlines\n"
        "import gongkai.statutory.fees, gongkai.statutory.cli\n"
        "print('django' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    import gongkai.statutory.deadlines as deadlines
    import gongkai.statutory.fees as fees
    import gongkai.statutory.workdays as workdays

    for module in (workdays, deadlines, fees):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "date.today(" not in source
        assert "datetime.now(" not in source
