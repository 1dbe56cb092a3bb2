"""China's statutory working-day calendar (工作日): holidays, make-up working days (调休上班), overrides.

A working day is Monday–Friday, minus the statutory holidays, plus the weekend days that the State
Council General Office's yearly notice designates as make-up working days (spec §4.1).

Where the data comes from, per year:

* **seed** — the ``chinese-calendar`` package (years it covers, 2004–2026 in 1.11.0);
* **overrides** — per-date corrections (``CalendarOverride``), e.g. a notice entered by an
  administrator; an override always wins over the seed. The Django side stores them and passes
  them in as plain data;
* **confirmed years** — a year that the seed does not cover becomes non-provisional only when the
  caller declares it confirmed (``confirmed_years``), typically after entering the year's notice.

A year without confirmed data is never silently treated as normal: it is computed from weekends
and the fixed-date statutory holidays (元旦 1/1, 清明 from the solar term, 劳动节 5/1–5/2,
国庆节 10/1–10/3) and every day of it is marked *provisional*; ``provisional_years`` and
``warnings_for`` name the missing years so callers can flag results that depend on them.

Arithmetic is done on per-year sorted arrays of working-day ordinals with ``bisect``, so adding or
counting working days costs a few binary searches, not a day-by-day loop.

Pure Python: no Django, no I/O, never reads the system clock.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

__all__ = [
    "CalendarOverride",
    "CalendarYear",
    "DayInfo",
    "DayKind",
    "WorkdayCalendar",
    "WorkdayExplanation",
    "add_workdays",
    "default_calendar",
    "explain_add_workdays",
    "explain_between",
    "is_workday",
    "next_workday",
    "weekday_name",
    "workdays_between",
]

WEEKDAY_NAMES: tuple[str, ...] = (
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
)

# chinese-calendar's English holiday names -> the names used in the State Council notices.
_SEED_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# The notices behind the seed, where the spec (§4.1) names them.
KNOWN_NOTICES: dict[int, str] = {
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
}


def weekday_name(day: date) -> str:
    """The Chinese weekday name of ``day`` (星期一 … 星期日)."""
    return WEEKDAY_NAMES[day.weekday()]


class DayKind(StrEnum):
    """Why a day is or is not a working day."""

    WORKDAY = "workday"  # an ordinary Monday–Friday (or a day an override made a working day)
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # statutory holiday or 调休 rest day (weekend days inside a holiday too)
    MAKEUP_WORKDAY = "makeup_workday"  # a Saturday/Sunday designated 调休上班


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """One administrator-entered correction: ``day`` is (or is not) a working day.

    ``source`` names the notice, e.g. ``国办发明电〔2025〕7号``; ``name`` the holiday it belongs to.
    """

    day: date
    is_workday: bool
    name: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One day of the calendar and the reason it is (not) a working day."""

    day: date
    kind: DayKind
    name: str = ""  # holiday name (春节), or the holiday a make-up day belongs to
    source: str = ""  # notice / data source for non-ordinary days
    provisional: bool = False  # the year's calendar is not confirmed
    overridden: bool = False  # decided by a CalendarOverride

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    def describe(self) -> str:
        """A short Chinese reason, e.g. ``春节放假（星期六）`` or ``调休上班日（春节调休，星期日）``."""
        wd = weekday_name(self.day)
        if self.kind is DayKind.WORKDAY:
            text = f"工作日（{wd}）"
            if self.overridden and self.name:
                text = f"工作日（{wd}，{self.name}）"
        elif self.kind is DayKind.WEEKEND:
            text = f"周末休息（{wd}）"
        elif self.kind is DayKind.HOLIDAY:
            text = f"{self.name or '节假日'}放假（{wd}）"
        else:
            label = f"{self.name}调休" if self.name else "调休"
            text = f"调休上班日（{label}，{wd}）"
        if self.overridden and self.source:
            text += f"〔依据{self.source}〕"
        if self.provisional:
            text += f"〔暂定：{self.day.year}年放假安排未确认〕"
        return text


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """Summary of one year's calendar (for admin screens and tests)."""

    year: int
    confirmed: bool
    source: str
    holidays: tuple[DayInfo, ...]  # every non-working day that is not an ordinary weekend
    makeup_workdays: tuple[DayInfo, ...]  # weekend days that are working days
    workday_count: int


@dataclass(frozen=True, slots=True)
class WorkdayExplanation:
    """Day-by-day account of a working-day computation over the days in (start, end]."""

    start: date
    end: date
    workdays: int  # working days counted in (start, end]
    days: tuple[DayInfo, ...]
    provisional_years: tuple[int, ...]
    warnings: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def lines(self) -> list[str]:
        """One Chinese line per day, numbering the counted working days."""
        out: list[str] = []
        n = 0
        for info in self.days:
            if info.is_workday:
                n += 1
                out.append(f"{info.day.isoformat()} 第{n}个工作日：{info.describe()}")
            else:
                out.append(f"{info.day.isoformat()} 不计：{info.describe()}")
        return out


@dataclass(frozen=True, slots=True)
class _Year:
    year: int
    first_ord: int
    workday_ords: list[int]  # sorted ordinals of the year's working days
    workday_flags: bytes  # 1 per day of the year that is a working day
    special: dict[int, DayInfo]  # days that are not ordinary weekdays/weekends
    confirmed: bool
    source: str


@dataclass(frozen=True, slots=True)
class _SeedYear:
    holidays: dict[date, str]
    makeup: dict[date, str]
    source: str


def _seed_module() -> Any:
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    return chinese_calendar


@lru_cache(maxsize=1)
def _seed_range() -> tuple[int, int] | None:
    cc = _seed_module()
    if cc is None:  # pragma: no cover
        return None
    years = [d.year for d in cc.holidays]
    return min(years), max(years)


@lru_cache(maxsize=64)
def _seed_year(year: int) -> _SeedYear | None:
    """The year's table from chinese-calendar, or None when the package has no data for it."""
    cc = _seed_module()
    span = _seed_range()
    if cc is None or span is None or not span[0] <= year <= span[1]:
        return None
    try:  # the package raises NotImplementedError for years it does not know
        cc.is_workday(date(year, 7, 1))
    except NotImplementedError:  # pragma: no cover - guarded by the range check
        return None
    holidays = {
        d: _SEED_NAMES.get(str(v), str(v)) for d, v in cc.holidays.items() if d.year == year
    }
    makeup = {d: _SEED_NAMES.get(str(v), str(v)) for d, v in cc.workdays.items() if d.year == year}
    version = str(getattr(cc, "__version__", ""))
    notice = KNOWN_NOTICES.get(year)
    source = f"国务院办公厅{year}年部分节假日安排通知"
    if notice:
        source += f"（{notice}）"
    source += f"，据 chinese-calendar {version} 数据".rstrip()
    return _SeedYear(holidays=holidays, makeup=makeup, source=source)


@lru_cache(maxsize=256)
def _qingming(year: int) -> date | None:
    cc = _seed_module()
    if cc is None or not 1900 <= year <= 2100:
        return None
    terms = cc.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    for day, name in terms:
        if name == "清明":
            return date(day.year, day.month, day.day)
    return None  # pragma: no cover


def fixed_statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays whose dates are known without the year's notice.

    元旦 1/1; 清明 on the solar term (from 2008); 劳动节 5/1 (5/1–5/2 from 2025; 5/1–5/3 before
    2008); 国庆节 10/1–10/3. The lunar holidays (春节、端午、中秋) and every 调休 arrangement are
    only known from the notice, so they are *not* here.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    if year >= 2008:
        qm = _qingming(year)
        if qm is not None:
            days[qm] = "清明节"
    labour = 1 if 2008 <= year < 2025 else (2 if year >= 2025 else 3)
    for i in range(labour):
        days[date(year, 5, 1 + i)] = "劳动节"
    for i in range(3):
        days[date(year, 10, 1 + i)] = "国庆节"
    return days


def _missing_year_warning(year: int) -> str:
    return (
        f"{year}年的放假安排尚未确认（国务院办公厅通知未公布或未录入），"
        f"{year}年的日期暂按周末及固定日期法定节假日（元旦、清明节、劳动节、国庆节）计算，"
        "春节、端午节、中秋节等农历节日及调休安排未计入，相关结果为暂定结果，"
        "请在录入该年放假安排后重新计算。"
    )


class WorkdayCalendar:
    """The working-day calendar: seed data + overrides, computed per year on first use.

    ``overrides`` win over the seed. ``confirmed_years`` (year -> source notice, or an iterable of
    years) marks years outside the seed as confirmed, i.e. non-provisional. ``use_seed=False``
    ignores chinese-calendar entirely (every year then needs confirming).
    """

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        confirmed_years: Mapping[int, str] | Iterable[int] = (),
        *,
        use_seed: bool = True,
    ) -> None:
        by_year: dict[int, dict[date, CalendarOverride]] = {}
        for ov in overrides:
            by_year.setdefault(ov.day.year, {})[ov.day] = ov  # a later entry for a day wins
        self._overrides = by_year
        if isinstance(confirmed_years, Mapping):
            self._confirmed: dict[int, str] = {int(y): str(s) for y, s in confirmed_years.items()}
        else:
            self._confirmed = {int(y): "" for y in confirmed_years}
        self._use_seed = use_seed
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            with self._lock:
                table = self._years.get(year)
                if table is None:
                    table = self._build_year(year)
                    self._years[year] = table
        return table

    def _build_year(self, year: int) -> _Year:
        if not 1 <= year <= 9999:
            raise ValueError(f"年份 {year} 超出可计算范围")
        seed = _seed_year(year) if self._use_seed else None
        special: dict[int, DayInfo] = {}
        if seed is not None:
            confirmed = True
            source = seed.source
            for d, name in seed.holidays.items():
                special[d.toordinal()] = DayInfo(d, DayKind.HOLIDAY, name, seed.source)
            for d, name in seed.makeup.items():
                kind = DayKind.MAKEUP_WORKDAY if d.weekday() >= 5 else DayKind.WORKDAY
                special[d.toordinal()] = DayInfo(d, kind, name, seed.source)
        else:
            confirmed = year in self._confirmed
            source = self._confirmed.get(year, "") if confirmed else ""
            if not source:
                source = (
                    "已确认（管理员录入）" if confirmed else "未确认：按周末及固定日期节假日暂算"
                )
            for d, name in fixed_statutory_holidays(year).items():
                special[d.toordinal()] = DayInfo(
                    d, DayKind.HOLIDAY, name, "《全国年节及纪念日放假办法》", not confirmed
                )
        if year in self._confirmed and self._confirmed[year]:
            source = self._confirmed[year]
        for d, ov in self._overrides.get(year, {}).items():
            if ov.is_workday:
                kind = DayKind.MAKEUP_WORKDAY if d.weekday() >= 5 else DayKind.WORKDAY
            else:
                kind = DayKind.HOLIDAY
            special[d.toordinal()] = DayInfo(
                d, kind, ov.name, ov.source, provisional=not confirmed, overridden=True
            )
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        flags = bytearray(last - first + 1)
        ords: list[int] = []
        for o in range(first, last + 1):
            info = special.get(o)
            if info is not None:
                work = info.is_workday
            else:
                work = (o % 7) not in (0, 6)  # ordinal % 7: 0 = Sunday, 6 = Saturday
            if work:
                flags[o - first] = 1
                ords.append(o)
        return _Year(year, first, ords, bytes(flags), special, confirmed, source)

    # -- single days ------------------------------------------------------------------------

    def day_info(self, day: date) -> DayInfo:
        """The kind of ``day`` and the reason, with the provisional flag of its year."""
        table = self._year(day.year)
        info = special = table.special.get(day.toordinal())
        if special is None:
            kind = DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
            info = DayInfo(day, kind, provisional=not table.confirmed)
        elif not table.confirmed and not special.provisional:
            info = DayInfo(
                special.day,
                special.kind,
                special.name,
                special.source,
                provisional=True,
                overridden=special.overridden,
            )
        assert info is not None
        return info

    def is_workday(self, day: date) -> bool:
        """True when ``day`` is a working day."""
        table = self._year(day.year)
        return table.workday_flags[day.toordinal() - table.first_ord] == 1

    def next_workday(self, day: date, *, include_self: bool = False) -> date:
        """The first working day after ``day`` (or ``day`` itself when ``include_self`` and it is one)."""
        if include_self and self.is_workday(day):
            return day
        return self.add_workdays(day, 1)

    def previous_workday(self, day: date) -> date:
        """The last working day before ``day``."""
        return self.add_workdays(day, -1)

    # -- arithmetic -------------------------------------------------------------------------

    def add_workdays(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted): spec ``wd+(d, n)``.

        ``n == 0`` returns ``day``; a negative ``n`` gives the ``|n|``-th working day before it.
        """
        if n == 0:
            return day
        o = day.toordinal()
        y = day.year
        table = self._year(y)
        ords = table.workday_ords
        if n > 0:
            i = bisect_right(ords, o)
            remaining = n
            while remaining > len(ords) - i:
                remaining -= len(ords) - i
                y += 1
                ords = self._year(y).workday_ords
                i = 0
            return date.fromordinal(ords[i + remaining - 1])
        i = bisect_left(ords, o)  # working days strictly before `day` in its year
        remaining = -n
        while remaining > i:
            remaining -= i
            y -= 1
            ords = self._year(y).workday_ords
            i = len(ords)
        return date.fromordinal(ords[i - remaining])

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: ``start`` excluded, ``end`` included.

        Inverse of ``add_workdays``: ``workdays_between(d, add_workdays(d, n)) == n``. Negative
        when ``end`` is before ``start``.
        """
        if end < start:
            return -self.workdays_between(end, start)
        a, b = start.toordinal(), end.toordinal()
        if start.year == end.year:
            ords = self._year(start.year).workday_ords
            return bisect_right(ords, b) - bisect_right(ords, a)
        first = self._year(start.year).workday_ords
        total = len(first) - bisect_right(first, a)
        for y in range(start.year + 1, end.year):
            total += len(self._year(y).workday_ords)
        return total + bisect_right(self._year(end.year).workday_ords, b)

    # -- provisional data -------------------------------------------------------------------

    def is_confirmed(self, year: int) -> bool:
        """True when ``year`` has seed data or was declared confirmed."""
        return self._year(year).confirmed

    def provisional_years(self, start: date, end: date) -> tuple[int, ...]:
        """Years touched by [start, end] (either order) whose calendar is not confirmed."""
        lo, hi = (start, end) if start <= end else (end, start)
        return tuple(y for y in range(lo.year, hi.year + 1) if not self._year(y).confirmed)

    def warnings_for(self, start: date, end: date) -> tuple[str, ...]:
        """One Chinese warning per unconfirmed year touched by [start, end]."""
        return tuple(_missing_year_warning(y) for y in self.provisional_years(start, end))

    # -- explanations -----------------------------------------------------------------------

    def days(self, start: date, end: date) -> tuple[DayInfo, ...]:
        """``day_info`` for each day in (start, end]."""
        out: list[DayInfo] = []
        d = start + timedelta(days=1)
        while d <= end:
            out.append(self.day_info(d))
            d += timedelta(days=1)
        return tuple(out)

    def explain_between(self, start: date, end: date) -> WorkdayExplanation:
        """Every day in (start, end] with why it is or is not counted."""
        lo, hi = (start, end) if start <= end else (end, start)
        return WorkdayExplanation(
            start=lo,
            end=hi,
            workdays=self.workdays_between(lo, hi),
            days=self.days(lo, hi),
            provisional_years=self.provisional_years(lo, hi),
            warnings=self.warnings_for(lo, hi),
        )

    def explain_add_workdays(self, day: date, n: int) -> WorkdayExplanation:
        """``add_workdays(day, n)`` day by day (``n >= 0``); the result is ``.end``."""
        if n < 0:
            raise ValueError("explain_add_workdays 只支持向后计算（n ≥ 0）")
        return self.explain_between(day, self.add_workdays(day, n))

    def year(self, year: int) -> CalendarYear:
        """The year's holidays, make-up days and provenance."""
        table = self._year(year)
        infos = [self.day_info(date.fromordinal(o)) for o in sorted(table.special)]
        holidays = tuple(i for i in infos if not i.is_workday)
        makeup = tuple(i for i in infos if i.is_workday and i.day.weekday() >= 5)
        return CalendarYear(
            year=year,
            confirmed=table.confirmed,
            source=table.source,
            holidays=holidays,
            makeup_workdays=makeup,
            workday_count=len(table.workday_ords),
        )


@lru_cache(maxsize=1)
def default_calendar() -> WorkdayCalendar:
    """The seed-only calendar (no overrides), shared."""
    return WorkdayCalendar()


def is_workday(day: date, calendar: WorkdayCalendar | None = None) -> bool:
    """True when ``day`` is a working day (default calendar unless one is given)."""
    return (calendar or default_calendar()).is_workday(day)


def next_workday(
    day: date, calendar: WorkdayCalendar | None = None, *, include_self: bool = False
) -> date:
    """The first working day after ``day``."""
    return (calendar or default_calendar()).next_workday(day, include_self=include_self)


def add_workdays(day: date, n: int, calendar: WorkdayCalendar | None = None) -> date:
    """The ``n``-th working day after ``day`` (``day`` not counted)."""
    return (calendar or default_calendar()).add_workdays(day, n)


def workdays_between(start: date, end: date, calendar: WorkdayCalendar | None = None) -> int:
    """Working days in (start, end]."""
    return (calendar or default_calendar()).workdays_between(start, end)


def explain_between(
    start: date, end: date, calendar: WorkdayCalendar | None = None
) -> WorkdayExplanation:
    """Each day in (start, end] with why it is or is not a working day."""
    return (calendar or default_calendar()).explain_between(start, end)


def explain_add_workdays(
    day: date, n: int, calendar: WorkdayCalendar | None = None
) -> WorkdayExplanation:
    """``add_workdays`` day by day."""
    return (calendar or default_calendar()).explain_add_workdays(day, n)
