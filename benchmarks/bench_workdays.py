"""Benchmark: recomputing the statutory clock of many open cases.

    .venv/bin/python benchmarks/bench_workdays.py [--cases 10000] [--repeat 3]

Generates a reproducible set of open applications (received 2024-01 … 2026-10, some with 补正,
consultations, extensions and fee notices), then measures in the same run:

* ``compute_many`` — the real clock (bisect arithmetic, no explanation), cases/second;
* ``compute_clock(explain=True)`` — the same with the day-by-day explanation built;
* a naive baseline that walks day by day with ``chinese_calendar.is_workday`` to find the
  补正 notice deadline and the reply due date (ignoring pauses, so it does *less* work);
* raw ``add_workdays`` calls per second.

Results go to docs/benchmarks.md (section "Working days and the statutory clock").
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar

from gongkai.statutory.deadlines import (
    AmendmentRound,
    ApplicationEvents,
    Channel,
    Consultation,
    Extension,
    FeeNotice,
    compute_clock,
    compute_many,
)
from gongkai.statutory.workdays import default_calendar

TODAY = date(2026, 11, 20)


def make_cases(n: int, seed: int = 20240206) -> list[ApplicationEvents]:
    rnd = random.Random(seed)
    first = date(2024, 1, 1)
    span = (date(2026, 10, 31) - first).days
    cases = []
    for _ in range(n):
        received = first + timedelta(days=rnd.randint(0, span))
        amendments: tuple[AmendmentRound, ...] = ()
        consultations: tuple[Consultation, ...] = ()
        extension = None
        fee = None
        if rnd.random() < 0.2:
            notice = received + timedelta(days=rnd.randint(1, 8))
            amendments = (
                AmendmentRound(
                    notice, notice + timedelta(days=15), notice + timedelta(days=rnd.randint(1, 14))
                ),
            )
        if rnd.random() < 0.15:
            sent = received + timedelta(days=rnd.randint(1, 10))
            consultations = (
                Consultation(
                    sent,
                    party_received_on=sent + timedelta(days=2),
                    reply_on=sent + timedelta(days=rnd.randint(3, 20)),
                ),
            )
        if rnd.random() < 0.1:
            decided = received + timedelta(days=rnd.randint(10, 20))
            extension = Extension(decided, decided, 20)
        if rnd.random() < 0.05:
            served = received + timedelta(days=rnd.randint(2, 12))
            fee = FeeNotice(served, served + timedelta(days=2), served + timedelta(days=10))
        cases.append(
            ApplicationEvents(
                Channel.IN_PERSON,
                submitted_on=received,
                amendments=amendments,
                consultations=consultations,
                extension=extension,
                fee_notice=fee,
            )
        )
    return cases


def naive_is_workday(d: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:  # 2027+: the library has no data
        return d.weekday() < 5


def naive_add(d: date, n: int) -> date:
    """Day-by-day loop over the library, as one would write it without precomputation."""
    while n:
        d += timedelta(days=1)
        if naive_is_workday(d):
            n -= 1
    return d


def naive_case(ev: ApplicationEvents) -> tuple[date, date]:
    received = ev.submitted_on
    assert received is not None
    while not naive_is_workday(received):
        received += timedelta(days=1)
    start = received
    for rnd in ev.amendments:
        if rnd.received_on is not None:
            start = rnd.received_on
    days = 20 + (ev.extension.days if ev.extension else 0)
    return naive_add(received, 7), naive_add(start, days)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = make_cases(args.cases)
    cal = default_calendar()
    compute_many(cases[:50], today=TODAY, calendar=cal)  # build the year tables once

    fast = best_of(args.repeat, lambda: compute_many(cases, today=TODAY, calendar=cal))
    explained = best_of(
        1,
        lambda: [compute_clock(c, today=TODAY, calendar=cal, explain=True) for c in cases],
    )
    naive = best_of(1, lambda: [naive_case(c) for c in cases])
    starts = [c.submitted_on for c in cases if c.submitted_on is not None]
    adds = best_of(args.repeat, lambda: [cal.add_workdays(d, 20) for d in starts])

    n = len(cases)
    print(f"Python {platform.python_version()} on {platform.machine()}, {n} open cases")
    print(f"compute_many (no explanation)   {fast:8.3f} s  {n / fast:12,.0f} cases/s")
    print(f"compute_clock(explain=True)     {explained:8.3f} s  {n / explained:12,.0f} cases/s")
    print(f"naive day-by-day baseline       {naive:8.3f} s  {n / naive:12,.0f} cases/s")
    print(f"add_workdays(d, 20)             {adds:8.3f} s  {n / adds:12,.0f} calls/s")
    print(f"speed-up of the clock over the naive loop: {naive / fast:,.1f}x")


if __name__ == "__main__":
    main()
