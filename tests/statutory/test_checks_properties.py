"""Property tests: consistent reports pass the A- rules; any single changed number is caught."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.statutory.checks import Severity, check_report
from gongkai.statutory.formats import (
    APPLICANT_COLUMNS,
    TABLE3_COLUMNS,
    TABLE4_CELLS,
    TABLE4_ORDER,
    FormatVersion,
    RowKey,
    T4Group,
)
from gongkai.statutory.report import AnnualReport, make_report

small = st.integers(min_value=0, max_value=50)


@st.composite
def consistent_reports(draw: st.DrawFn) -> AnnualReport:
    """Random table 三/四 that satisfy A-01…A-04 and A-06 by construction."""
    version = draw(st.sampled_from(list(FormatVersion)))
    year = 2020 if version is FormatVersion.V2019 else draw(st.integers(2021, 2030))
    report = make_report(agency="某局", year=year, version=version)
    layout = report.layout
    for col in APPLICANT_COLUMNS:
        for key in layout.outcome_keys:
            report = report.with_cell(key, col, draw(small))
        done = sum(report.cell_or_zero(k, col) for k in layout.outcome_keys)
        carry_out = draw(small)
        carry_in = draw(st.integers(min_value=0, max_value=done + carry_out))
        report = report.with_cell(RowKey.CARRY_OUT, col, carry_out)
        report = report.with_cell(RowKey.CARRY_IN, col, carry_in)
        report = report.with_cell(RowKey.NEW, col, done + carry_out - carry_in)
    for group in T4Group:
        for cell in TABLE4_CELLS[:-1]:
            report = report.with_table4(group, cell, draw(small))
    return report.with_computed_totals()


def a_errors(report: AnnualReport) -> list[str]:
    return [
        f.rule
        for f in check_report(report)
        if f.rule.startswith("A-") and f.severity is Severity.ERROR
    ]


@settings(max_examples=120, deadline=None)
@given(consistent_reports())
def test_a_consistent_report_passes_every_arithmetic_rule(report):
    assert [f for f in check_report(report) if f.rule.startswith("A-")] == []


@settings(max_examples=300, deadline=None)
@given(consistent_reports(), st.data())
def test_any_single_changed_number_in_table3_is_caught(report, data):
    layout = report.layout
    row = data.draw(st.sampled_from(layout.table3_keys))
    col = data.draw(st.sampled_from([c.key for c in TABLE3_COLUMNS]))
    old = report.cell_or_zero(row, col)
    new = data.draw(st.integers(min_value=-3, max_value=200).filter(lambda v: v != old))
    assert a_errors(report.with_cell(row, col, new))


@settings(max_examples=200, deadline=None)
@given(consistent_reports(), st.data())
def test_any_single_changed_number_in_table4_is_caught(report, data):
    group, cell = data.draw(st.sampled_from(TABLE4_ORDER))
    old = report.table4_value(group, cell) or 0
    new = data.draw(st.integers(min_value=-3, max_value=200).filter(lambda v: v != old))
    assert "A-04" in a_errors(report.with_table4(group, cell, new))
