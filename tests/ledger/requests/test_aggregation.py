"""Tables 三 and 四 from the ledger: SQL aggregation that balances by construction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import clock
from gongkai.ledger.appeals.models import Litigation, Reconsideration
from gongkai.ledger.requests.aggregation import (
    Scope,
    cell_queryset,
    ledger_report,
    scoped,
    table3,
)
from gongkai.ledger.requests.models import Application
from gongkai.statutory.checks import CheckContext, Origin, check_report
from gongkai.statutory.formats import LAYOUT_2021, Col, RowKey, T4Cell, T4Group

from .factories import decide_and_serve, register

pytestmark = pytest.mark.django_db

OUTCOME_ROWS = [k.value for k in LAYOUT_2021.outcome_keys]
CATEGORIES = ["NP", "BIZ", "RES", "NPO", "LAW", "OTH"]


def bulk_ledger(agency, cases):
    """Insert applications directly: (received_on, concluded_on | None, outcome_row, category)."""
    now = clock.now()
    rows = []
    for i, (received, concluded, row, category) in enumerate(cases, start=1):
        rows.append(
            Application(
                agency=agency,
                status="closed" if concluded else "in_progress",
                source="demo",
                registration_year=received.year,
                registration_seq=100000 + i,
                registration_no=f"T{i}",
                channel="in_person",
                submitted_on=received,
                received_on=received,
                applicant_type="natural_person",
                applicant_name="测试",
                category=category,
                applicant_key="k",
                description="测试申请",
                outcome_row=row if concluded else "",
                concluded_on=concluded,
                created_at=now,
                updated_at=now,
            )
        )
    Application.objects.bulk_create(rows)


day_offsets = st.integers(min_value=0, max_value=3 * 365)
case = st.tuples(
    day_offsets,
    st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
    st.sampled_from(OUTCOME_ROWS),
    st.sampled_from(CATEGORIES),
)
BASE = date(2023, 1, 1)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(case, max_size=60))
def test_random_ledgers_pass_the_a_rules_and_y01(platform, cases):
    """For any ledger, every year's tables satisfy A-01…A-06, and each year's 上年结转 equals
    the previous year's 结转下年度 (Y-01), as checked by statutory.checks."""
    agency = platform["shifanxian-sfj"]
    Application.objects.all().delete()
    bulk_ledger(
        agency,
        [
            (
                BASE + timedelta(days=r),
                None if c is None else BASE + timedelta(days=r + c),
                row,
                cat,
            )
            for r, c, row, cat in cases
        ],
    )
    scope = Scope(agency)
    previous = None
    for year in (2022, 2023, 2024, 2025, 2026):
        report = ledger_report(scope, year).report()
        findings = check_report(
            report, previous=previous, context=CheckContext(origin=Origin.GENERATED)
        )
        bad = [f for f in findings if f.rule.startswith("A-") or f.rule == "Y-01"]
        assert bad == [], [f.message for f in bad]
        previous = report


def test_each_table_is_one_sql_query(platform):
    agency = platform["shifanxian-sfj"]
    bulk_ledger(agency, [(date(2025, 3, 1), date(2025, 4, 1), "O1", "NP")] * 3)
    with CaptureQueriesContext(connection) as ctx:
        table3(scoped(Scope(agency)), 2025)
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "GROUP BY" in sql and "COUNT" in sql


def test_rows_follow_the_spec(platform):
    agency = platform["shifanxian-sfj"]
    bulk_ledger(
        agency,
        [
            (date(2024, 12, 20), date(2025, 1, 10), "O2", "NP"),  # carried in, concluded
            (date(2024, 12, 30), None, "", "BIZ"),  # carried in, still open
            (date(2025, 5, 5), date(2025, 5, 20), "O4_1", "LAW"),  # new, concluded
            (date(2025, 12, 29), date(2026, 1, 5), "O1", "NP"),  # new, carried out
            (date(2024, 3, 1), date(2024, 4, 1), "O1", "NP"),  # not in 2025 at all
        ],
    )
    t = ledger_report(Scope(agency), 2025)
    assert t.cell(RowKey.NEW, Col.TOT) == 2
    assert t.cell(RowKey.CARRY_IN, Col.TOT) == 2
    assert t.cell(RowKey.O2, Col.NP) == 1
    assert t.cell(RowKey.O4_1, Col.LAW) == 1
    assert t.cell(RowKey.OTOT, Col.TOT) == 2
    assert t.cell(RowKey.CARRY_OUT, Col.TOT) == 2
    assert t.cell(RowKey.CARRY_OUT, Col.BIZ) == 1
    # each cell's case list is made of exactly the cases it counts
    qs = scoped(Scope(agency))
    for row in LAYOUT_2021.table3_keys:
        for col in Col:
            assert cell_queryset(qs, 2025, row, col).count() == t.cell(row, col)


def test_2019_layout_folds_other_processing_into_one_row(platform):
    agency = platform["shifanxian-sfj"]
    bulk_ledger(agency, [(date(2020, 3, 1), date(2020, 3, 9), "O6_2", "NP")])
    t = ledger_report(Scope(agency), 2020)
    assert RowKey.O6_2 not in t.table3
    assert t.cell(RowKey.O6, Col.NP) == 1


def test_region_sums_its_agencies(platform):
    bulk_ledger(platform["shifanxian-sfj"], [(date(2025, 3, 1), None, "", "NP")])
    bulk_ledger(platform["shifanxian-zrzyj"], [(date(2025, 4, 1), None, "", "BIZ")])
    region = ledger_report(Scope(platform["shifanxian"], region=True), 2025)
    assert region.cell(RowKey.NEW, Col.TOT) == 2
    assert ledger_report(Scope(platform["shifanxian-sfj"]), 2025).cell(RowKey.NEW, Col.TOT) == 1


def test_table4_counts_concluded_by_result_and_pending_at_year_end(platform):
    agency = platform["shifanxian-sfj"]
    now = clock.now()
    common = {
        "agency": agency,
        "body": "示范县人民政府",
        "appellant": "张三",
        "created_at": now,
        "updated_at": now,
    }
    Reconsideration.objects.create(
        filed_on=date(2025, 2, 1), concluded_on=date(2025, 4, 1), result="upheld", **common
    )
    Reconsideration.objects.create(
        filed_on=date(2025, 11, 1), concluded_on=date(2026, 1, 9), result="corrected", **common
    )
    Litigation.objects.create(filed_on=date(2025, 6, 1), route="direct", **common)
    Litigation.objects.create(
        filed_on=date(2025, 6, 1),
        concluded_on=date(2025, 9, 1),
        result="other",
        route="after_reconsideration",
        **common,
    )
    t = ledger_report(Scope(agency), 2025)
    assert t.table4[T4Group.REV] == (1, 0, 0, 1, 2)
    assert t.table4[T4Group.LIT_DIRECT] == (0, 0, 0, 1, 1)
    assert t.table4[T4Group.LIT_AFTER_REV] == (0, 0, 1, 0, 1)
    assert ledger_report(Scope(agency), 2026).t4(T4Group.REV, T4Cell.CORRECT) == 1


def test_a_partial_disclosure_served_through_the_services_counts_once(frozen, sfj):
    app = register(sfj)
    decide_and_serve(
        app, reply_type="partial", grounds=("internal_affairs",), served_on=date(2026, 3, 2)
    )
    t = ledger_report(Scope(sfj), 2026)
    assert t.cell(RowKey.O2, Col.NP) == 1
    assert t.cell(RowKey.OTOT, Col.TOT) == 1
    assert sum(t.cell(r, Col.TOT) for r in LAYOUT_2021.outcome_keys) == 1
