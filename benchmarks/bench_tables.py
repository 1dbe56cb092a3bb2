"""Benchmark: tables 三 and 四 from the ledger vs one hand-written SQL aggregate.

Generates N applications (default 100,000) for one agency spread over six years, directly in
the database (``INSERT … SELECT`` over a generated series), then times, on the same database
and in the same run:

* ``table3`` — the ORM aggregate behind table 三 (one query);
* ``ledger_report`` — tables 三 and 四 and the fee figures (three queries), as the annual
  report uses them;
* the hand-written SQL — one ``SELECT … SUM(CASE …) … GROUP BY category`` for table 三 (plus one
  for table 四 in the "both tables" comparison);

and checks that both give the same numbers. Results (median of ``--repeat`` runs after a
warm-up) are printed and written to the "表三、表四汇总" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_tables.py                      # SQLite, 100k
    .venv/bin/python benchmarks/bench_tables.py --count 1000000
    scripts/with-postgres.sh .venv/bin/python benchmarks/bench_tables.py --count 1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SPAN_YEARS = 6
FIRST_YEAR = 2020
ROWS = [
    "O1",
    "O2",
    "O3_1",
    "O3_2",
    "O3_3",
    "O3_4",
    "O3_5",
    "O3_6",
    "O3_7",
    "O3_8",
    "O4_1",
    "O4_2",
    "O4_3",
    "O5_1",
    "O5_2",
    "O5_3",
    "O5_4",
    "O5_5",
    "O6_1",
    "O6_2",
    "O6_3",
]
WEIGHTS = [30, 12, 1, 1, 1, 3, 2, 3, 1, 1, 15, 4, 1, 5, 4, 1, 1, 1, 3, 1, 3]
CATEGORIES = [("NP", 80), ("BIZ", 10), ("RES", 1), ("NPO", 2), ("LAW", 4), ("OTH", 3)]
SECTION = "## 依申请公开：表三、表四汇总（benchmarks/bench_tables.py）"


def setup_django(tmp: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _case(expr: str, items: list[tuple[str, int]]) -> str:
    """``CASE`` mapping ``expr`` (0–99) to values by cumulative percentage weights."""
    total = sum(w for _, w in items)
    parts, acc = [], 0
    for value, w in items[:-1]:
        acc += w
        parts.append(f"WHEN {expr} < {acc * 100 // total} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '{items[-1][0]}' END"


def generate(agency_id: int, count: int) -> float:
    """Insert ``count`` applications in one statement; returns seconds."""
    from django.db import connection, transaction

    from gongkai.ledger.requests.models import Application

    vendor = connection.vendor
    span = 365 * SPAN_YEARS
    if vendor == "postgresql":
        series = f"generate_series(1, {count}) AS s(i)"
        h = "((s.i::bigint * {m}) %% 1000003)"
        day = f"(DATE '{FIRST_YEAR}-01-01' + ({{x}})::int)"
        head = ""
    else:
        series = "s"
        h = "((s.i * {m}) %% 1000003)"
        day = f"date('{FIRST_YEAR}-01-01', '+' || ({{x}}) || ' days')"
        head = f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {count}) "
    h1, h2, h3, h4, h5 = (h.format(m=m) for m in (2654435761, 40503, 69069, 1103515245, 22695477))
    received_x = f"({h1} %% {span})"
    concluded = f"({h2} %% 100 < 93)"
    concluded_x = f"({received_x} + 1 + {h3} %% 45)"
    outcome = _case(f"({h4} %% 100)", list(zip(ROWS, WEIGHTS, strict=True)))
    category = _case(f"({h5} %% 100)", CATEGORIES)
    now = datetime(2026, 1, 1, 8, 0).isoformat()
    varying = {
        "agency_id": str(agency_id),
        "status": f"CASE WHEN {concluded} THEN 'closed' ELSE 'in_progress' END",
        "registration_year": "2000",
        "registration_seq": "s.i",
        "registration_no": "'B' || s.i",
        "received_on": day.format(x=received_x),
        "submitted_on": day.format(x=received_x),
        "concluded_on": f"CASE WHEN {concluded} THEN {day.format(x=concluded_x)} END",
        "outcome_row": f"CASE WHEN {concluded} THEN {outcome} ELSE '' END",
        "category": category,
        "created_at": f"'{now}'",
        "updated_at": f"'{now}'",
    }
    columns, values, params = [], [], []
    for f in Application._meta.concrete_fields:
        if f.primary_key:
            continue
        col = f.column
        if col in varying:
            columns.append(col)
            values.append(varying[col])
        elif not f.null:
            default = f.get_default()
            columns.append(col)
            values.append("%s")
            params.append(f.get_db_prep_save(default, connection))
    sql = (
        f"{head}INSERT INTO {Application._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {series}"
    )
    if vendor == "postgresql":
        sql = sql.replace(f"'{now}'", f"TIMESTAMPTZ '{now}+08:00'")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


HAND_T3 = """
SELECT category,
  SUM(CASE WHEN received_on >= %(start)s AND received_on <= %(end)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN received_on < %(start)s THEN 1 ELSE 0 END),
  {outcomes},
  SUM(CASE WHEN concluded_on IS NULL OR concluded_on > %(end)s THEN 1 ELSE 0 END)
FROM requests_application
WHERE agency_id = %(agency)s AND received_on <= %(end)s
  AND (concluded_on IS NULL OR concluded_on >= %(start)s)
GROUP BY category
"""

HAND_T4 = """
SELECT route,
  SUM(CASE WHEN concluded_on BETWEEN %(start)s AND %(end)s AND result = 'upheld' THEN 1 ELSE 0 END),
  SUM(CASE WHEN concluded_on BETWEEN %(start)s AND %(end)s AND result = 'corrected' THEN 1 ELSE 0 END),
  SUM(CASE WHEN concluded_on BETWEEN %(start)s AND %(end)s AND result = 'other' THEN 1 ELSE 0 END),
  SUM(CASE WHEN concluded_on IS NULL OR concluded_on > %(end)s THEN 1 ELSE 0 END)
FROM (SELECT 'rev' AS route, concluded_on, result, filed_on, agency_id FROM appeals_reconsideration
      UNION ALL
      SELECT route, concluded_on, result, filed_on, agency_id FROM appeals_litigation) cases
WHERE agency_id = %(agency)s AND filed_on <= %(end)s
  AND (concluded_on IS NULL OR concluded_on >= %(start)s)
GROUP BY route
"""


def hand_sql(agency_id: int, year: int, *, with_t4: bool) -> dict[str, list[int]]:
    """Table 三 by one hand-written aggregate: ``{category: [NEW, CARRY_IN, O1…O6_3, CARRY_OUT]}``."""
    from django.db import connection

    outcomes = ",\n  ".join(
        "SUM(CASE WHEN concluded_on >= %(start)s AND concluded_on <= %(end)s "
        f"AND outcome_row = '{r}' THEN 1 ELSE 0 END)"
        for r in ROWS
    )
    params = {"start": date(year, 1, 1), "end": date(year, 12, 31), "agency": agency_id}
    with connection.cursor() as cur:
        cur.execute(HAND_T3.format(outcomes=outcomes), params)
        rows = {r[0]: [int(v) for v in r[1:]] for r in cur.fetchall()}
        if with_t4:
            cur.execute(HAND_T4, params)
            cur.fetchall()
    return rows


def timed_pair(a, b, repeat: int) -> tuple[float, float, object, object]:  # type: ignore[no-untyped-def]
    """Median seconds of ``a`` and ``b``, run alternately (so that drift hits both alike)."""
    ra, rb = a(), b()  # warm-up (and the results to compare)
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return statistics.median(ta), statistics.median(tb), ra, rb


def timed_once(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def write_results(line: str, key: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    header = (
        f"{SECTION}\n\n"
        "Tables 三 and 四 for one agency and one report year, computed by the ledger's SQL "
        "aggregation (`gongkai.ledger.requests.aggregation`) and, on the same database in the same "
        "run, by one hand-written SQL aggregate. N applications over six years (the year measured "
        "holds about a sixth of them plus the carry-over); median of repeated runs after a warm-up. "
        "Goal: ORM ≤ 1.5 × hand-written SQL and under 2 s.\n\n"
        "| database | N | year | table 三 (ORM, 1 query) | hand SQL table 三 | ratio | tables 三+四 (ORM) | hand SQL 三+四 | ratio | `ledger_report` (三+四+fees) | insert N rows | machine | date |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    start = text.find(SECTION)
    if start == -1:
        body = header
        rest_before, rest_after = text.rstrip() + "\n\n", ""
    else:
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end == -1 else end + 1
        body = text[start:end]
        rest_before, rest_after = text[:start], text[end:]
        if "|---|" not in body:
            body = header
    lines = [ln for ln in body.rstrip("\n").split("\n") if not ln.startswith(f"| {key} |")]
    lines.append(line)
    body = "\n".join(lines) + "\n"
    path.write_text(
        rest_before + body + ("\n" + rest_after if rest_after else ""), encoding="utf-8"
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="applications to generate")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (median)")
    parser.add_argument("--year", type=int, default=FIRST_YEAR + SPAN_YEARS - 2)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        setup_django(tmp)
        from django.db import connection

        from gongkai.core.models import Agency
        from gongkai.ledger.appeals.aggregation import table4
        from gongkai.ledger.requests.aggregation import Scope, ledger_report, scoped, table3
        from gongkai.ledger.requests.models import Application
        from gongkai.statutory.formats import APPLICANT_COLUMNS, RowKey

        vendor = connection.vendor
        agency, _ = Agency.objects.get_or_create(
            slug="bench", defaults={"name": "基准测试局", "kind": "department", "level": "county"}
        )
        Application.objects.filter(agency=agency).delete()
        print(f"{vendor}: generating {args.count:,} applications …", flush=True)
        insert_s = generate(agency.pk, args.count)
        print(f"  inserted in {insert_s:.1f} s")
        scope = Scope(agency)
        qs = scoped(scope)
        year = args.year

        def both() -> None:
            table3(qs, year)
            table4(scope, year)

        orm_t3, hand_t3, t3, hand = timed_pair(
            lambda: table3(qs, year), lambda: hand_sql(agency.pk, year, with_t4=False), args.repeat
        )
        orm_all, hand_all, _, _ = timed_pair(
            both, lambda: hand_sql(agency.pk, year, with_t4=True), args.repeat
        )
        fees_s = statistics.median(
            [timed_once(lambda: ledger_report(scope, year)) for _ in range(args.repeat)]
        )

        keys = [RowKey.NEW, RowKey.CARRY_IN, *[RowKey(r) for r in ROWS], RowKey.CARRY_OUT]
        for i, col in enumerate(APPLICANT_COLUMNS):
            got = [t3[k][i] for k in keys]
            want = hand.get(col.value, [0] * len(keys))
            assert got == want, (col, got, want)
        total = t3[RowKey.NEW][-1] + t3[RowKey.CARRY_IN][-1]
        print(f"  year {year}: {total:,} applications in the table (NEW + CARRY_IN)")
        print(
            f"  table 三: ORM {orm_t3 * 1000:.0f} ms, hand SQL {hand_t3 * 1000:.0f} ms, "
            f"ratio {orm_t3 / hand_t3:.2f}"
        )
        print(
            f"  三+四: ORM {orm_all * 1000:.0f} ms, hand SQL {hand_all * 1000:.0f} ms, "
            f"ratio {orm_all / hand_all:.2f}"
        )
        print(f"  ledger_report (三, 四 and the fee figures): {fees_s * 1000:.0f} ms")
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                db = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
        else:
            import sqlite3

            db = f"SQLite {sqlite3.sqlite_version}"
        machine = re.sub(r"\s+", " ", f"{platform.machine()}, {os.cpu_count()} CPUs")
        key = f"{db} | {args.count:,}"
        line = (
            f"| {key} | {year} | {orm_t3 * 1000:.0f} ms | {hand_t3 * 1000:.0f} ms | "
            f"{orm_t3 / hand_t3:.2f} | {orm_all * 1000:.0f} ms | {hand_all * 1000:.0f} ms | "
            f"{orm_all / hand_all:.2f} | {fees_s * 1000:.0f} ms | {insert_s:.0f} s | {machine} | "
            f"{date.today()} |"
        )
        if not args.no_write:
            print(f"  results written to {write_results(line, key)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
