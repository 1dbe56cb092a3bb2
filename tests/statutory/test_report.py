"""AnnualReport: construction, accessors, JSON round trip, schema, aggregation."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.statutory.formats import (
    LAYOUT_2019,
    LAYOUT_2021,
    TABLE4_GROUPS,
    Col,
    FormatVersion,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
)
from gongkai.statutory.report import (
    AnnualReport,
    ProcessingFees,
    StatisticsPeriod,
    empty_report,
    make_report,
    report_from_truth,
    sum_reports,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed-report.json"
SCHEMA = ROOT / "docs" / "annual-report.schema.json"


def load_seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# --- seed ---------------------------------------------------------------------------------------


def test_seed_json_is_valid_against_the_schema():
    data = json.loads(SEED.read_text(encoding="utf-8"))
    errors = [e.message for e in validator().iter_errors(data)]
    assert errors == []


def test_seed_figures_match_the_published_report():
    report = load_seed()
    assert report.year == 2024
    assert report.format_version is FormatVersion.V2021
    assert report.row(RowKey.NEW) == (6, 0, 0, 0, 0, 0, 6)
    assert report.cell(RowKey.O2, Col.NP) == 3
    assert report.cell(RowKey.O6_3, Col.TOT) == 2
    assert report.row(RowKey.OTOT) == (6, 0, 0, 0, 0, 0, 6)
    assert report.table4_group(T4Group.REV) == (0, 0, 1, 0, 1)
    assert report.table2_value(T2Key.NORMATIVE_IN_FORCE) == 6
    assert report.table2_value(T2Key.ADMIN_FEE_AMOUNT) == Decimal(0)
    assert "757条" in (report.section(1) or "")
    assert report.section(6) == "2024年度未收取信息处理费用。"
    assert report.section(2) is None


def test_seed_round_trips_byte_for_byte_through_dict():
    report = load_seed()
    assert AnnualReport.from_dict(report.to_dict()) == report
    assert AnnualReport.from_json(report.to_json()) == report


# --- construction and accessors -----------------------------------------------------------------


def test_empty_report_uses_the_layout_of_its_year():
    assert empty_report("某局", 2020).format_version is FormatVersion.V2019
    report = empty_report("某局", 2024)
    assert len(report.table3) == 25
    assert report.cell(RowKey.NEW, Col.TOT) == 0
    assert report.table2_value(T2Key.ADMIN_FEE_AMOUNT) == Decimal(0)
    assert isinstance(report.table2_value(T2Key.ADMIN_FEE_AMOUNT), Decimal)


def test_blank_report_keeps_none_distinct_from_zero():
    report = empty_report("某局", 2024, fill=None)
    assert report.cell(RowKey.O1, Col.NP) is None
    assert report.cell_or_zero(RowKey.O1, Col.NP) == 0
    assert report.table4_value(T4Group.REV, T4Cell.TOTAL) is None


def test_keys_of_the_other_layout_are_rejected():
    with pytest.raises(KeyError):
        make_report(agency="x", year=2020, table3={RowKey.O6_1: [0] * 7})
    with pytest.raises(KeyError):
        empty_report("x", 2024).cell(RowKey.O6, Col.NP)
    with pytest.raises(KeyError):
        make_report(agency="x", year=2024, table2={T2Key.PROCUREMENT_AMOUNT: Decimal(1)})


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError):
        make_report(agency="x", year=2024, table3={RowKey.NEW: [1, 2]})
    with pytest.raises(ValueError):
        make_report(agency="x", year=2024, table4={T4Group.REV: [1]})
    report = empty_report("x", 2024)
    with pytest.raises(ValueError):
        AnnualReport(
            report.agency,
            2024,
            FormatVersion.V2021,
            report.table2,
            report.table3[:3],
            report.table4,
        )
    with pytest.raises(KeyError):
        report.section(7)


def test_functional_updates_leave_the_original_unchanged():
    report = empty_report("x", 2024)
    changed = (
        report.with_cell(RowKey.O1, Col.BIZ, 4)
        .with_table4(T4Group.LIT_DIRECT, T4Cell.PENDING, 2)
        .with_table2(T2Key.PENALTY_DECISIONS, 9)
        .with_section(5, "问题")
    )
    assert report.cell(RowKey.O1, Col.BIZ) == 0
    assert changed.cell(RowKey.O1, Col.BIZ) == 4
    assert changed.table4_value("LIT_DIRECT", "PENDING") == 2
    assert changed.table2_value("penalty_decisions") == 9
    assert changed.section(5) == "问题"
    assert changed.narrative == "问题"


def test_with_computed_totals_fills_total_column_outcome_row_and_table4_totals():
    report = (
        empty_report("x", 2024, fill=None)
        .with_row(RowKey.O1, [2, 1, None, None, None, None, None])
        .with_row(RowKey.O4_1, [1, None, None, None, None, None, 99])
        .with_table4(T4Group.REV, T4Cell.MAINTAIN, 3)
    )
    done = report.with_computed_totals()
    assert done.row(RowKey.O1) == (2, 1, 0, 0, 0, 0, 3)
    assert done.row(RowKey.O4_1) == (1, 0, 0, 0, 0, 0, 1)
    assert done.row(RowKey.OTOT) == (3, 1, 0, 0, 0, 0, 4)
    assert done.table4_group(T4Group.REV) == (3, None, None, None, 3)


def test_sum_reports_adds_cells_and_keeps_all_blank_cells_blank():
    a = empty_report("甲", 2024, fill=None).with_cell(RowKey.NEW, Col.NP, 2)
    a = a.with_table2(T2Key.ADMIN_FEE_AMOUNT, Decimal("1.25"))
    b = empty_report("乙", 2024).with_cell(RowKey.NEW, Col.NP, 3)
    b = b.with_table2(T2Key.ADMIN_FEE_AMOUNT, Decimal("0.5"))
    b = b.with_table4(T4Group.REV, T4Cell.TOTAL, 1)
    c = empty_report("丙", 2024, fill=None)
    total = sum_reports([a, b, c], agency="某区")
    assert total.agency == "某区"
    assert total.cell(RowKey.NEW, Col.NP) == 5
    assert total.cell(RowKey.NEW, Col.BIZ) == 0
    assert total.table2_value(T2Key.ADMIN_FEE_AMOUNT) == Decimal("1.75")
    assert total.table4_value(T4Group.REV, T4Cell.TOTAL) == 1
    assert sum_reports([a, c], agency="x").cell(RowKey.O1, Col.NP) is None


def test_sum_reports_refuses_mixed_years_or_formats():
    with pytest.raises(ValueError):
        sum_reports([empty_report("a", 2024), empty_report("b", 2023)], agency="x")
    with pytest.raises(ValueError):
        sum_reports([], agency="x")


def test_sum_reports_keeps_a_shared_period_and_adds_fees():
    period = StatisticsPeriod(date(2024, 1, 1), date(2024, 12, 31))
    fees = ProcessingFees(1, Decimal(100), Decimal(0))
    a = make_report(agency="a", year=2024, period=period, processing_fees=fees)
    b = make_report(agency="b", year=2024, period=period, processing_fees=fees)
    total = sum_reports([a, b], agency="x")
    assert total.period == period
    assert total.processing_fees == ProcessingFees(2, Decimal(200), Decimal(0))


def test_report_from_truth_reads_corpus_keys():
    truth = {
        "report_year": 2019,
        "issuing_body": "某区",
        "format_version": "2019",
        "section2": {
            "regulations": {"new_made": 0, "new_published": 0, "total_published": 0},
            "normative_documents": {"new_made": None, "new_published": 1, "total_published": 2},
            "licensing": {"prev_items": 396, "change": -3, "decisions": 181},
            "fees": {"prev_items": 35, "change": 0},
            "centralized_procurement": {"projects": 4, "amount_yuan": 12.5},
        },
        "section3": {"rows": {"new": [1, 0, 0, 0, 0, 0, 1], "other": [1, 0, 0, 0, 0, 0, 1]}},
        "section4": {"reconsideration": [0, 0, 0, 1, 1]},
    }
    report = report_from_truth(truth)
    assert report.format_version is FormatVersion.V2019
    assert report.table2_value(T2Key.LICENSING_CHANGE) == -3
    assert report.table2_value(T2Key.NORMATIVE_MADE) is None
    assert report.table2_value(T2Key.PROCUREMENT_AMOUNT) == Decimal("12.5")
    assert report.table2_value(T2Key.PENALTY_DECISIONS) is None
    assert report.row(RowKey.O6) == (1, 0, 0, 0, 0, 0, 1)
    assert report.table4_group(T4Group.REV) == (0, 0, 0, 1, 1)
    assert report.table4_group(T4Group.LIT_DIRECT) == (None,) * 5


def test_from_dict_rejects_unknown_keys_and_bad_values():
    data = empty_report("x", 2024).to_dict()
    with pytest.raises(ValueError):
        AnnualReport.from_dict({**data, "surprise": 1})
    bad = json.loads(json.dumps(data))
    bad["table3"]["NEW"][0] = "3"
    with pytest.raises(ValueError):
        AnnualReport.from_dict(bad)
    bad = json.loads(json.dumps(data))
    bad["table2"]["admin_fee_amount"] = "abc"
    with pytest.raises(ValueError):
        AnnualReport.from_dict(bad)


def test_schema_rejects_a_2019_row_in_a_2021_report():
    data = empty_report("x", 2024).to_dict()
    data["table3"]["O6"] = [0] * 7
    assert list(validator().iter_errors(data))


def test_schema_key_lists_match_formats():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    for layout, name in ((LAYOUT_2019, "2019"), (LAYOUT_2021, "2021")):
        assert defs[f"table2_{name}"]["required"] == [k.value for k in layout.table2_keys]
        assert defs[f"table3_{name}"]["required"] == [k.value for k in layout.table3_keys]
    assert schema["properties"]["table4"]["required"] == [g.key.value for g in TABLE4_GROUPS]


# --- property: lossless JSON ---------------------------------------------------------------------

cells = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**6))
decimals = st.one_of(
    st.none(),
    st.decimals(min_value=-1000, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
)
texts = st.one_of(st.none(), st.text(max_size=40))


@st.composite
def reports(draw: st.DrawFn) -> AnnualReport:
    year = draw(st.integers(min_value=2019, max_value=2030))
    version = draw(st.sampled_from([FormatVersion.V2019, FormatVersion.V2021]))
    layout = LAYOUT_2021 if version is FormatVersion.V2021 else LAYOUT_2019
    table2 = {c.key: draw(decimals if c.kind.is_decimal else cells) for c in layout.table2_cells}
    table3 = {k: draw(st.lists(cells, min_size=7, max_size=7)) for k in layout.table3_keys}
    table4 = {g.key: draw(st.lists(cells, min_size=5, max_size=5)) for g in TABLE4_GROUPS}
    sections = {n: draw(texts) for n in range(1, 7)}
    dates = st.one_of(st.none(), st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31)))
    period = draw(
        st.one_of(st.none(), st.builds(StatisticsPeriod, dates, dates, texts)),
    )
    fees = draw(
        st.one_of(
            st.none(),
            st.builds(ProcessingFees, cells, decimals, decimals),
        )
    )
    return make_report(
        agency=draw(st.text(min_size=1, max_size=20)),
        year=year,
        version=version,
        table2=table2,
        table3=table3,
        table4=table4,
        sections=sections,
        title=draw(texts),
        period=period,
        published_on=draw(dates),
        processing_fees=fees,
    )


@settings(max_examples=150, deadline=None)
@given(reports())
def test_json_round_trip_is_lossless(report):
    text = report.to_json()
    back = AnnualReport.from_json(text)
    assert back == report
    assert back.to_json() == text
    for a, b in zip(back.table2, report.table2, strict=True):
        assert type(a) is type(b)
        if isinstance(a, Decimal):
            assert str(a) == str(b)


@settings(max_examples=60, deadline=None)
@given(reports())
def test_every_generated_report_is_valid_against_the_schema(report):
    errors = [e.message for e in validator().iter_errors(report.to_dict())]
    assert errors == []
