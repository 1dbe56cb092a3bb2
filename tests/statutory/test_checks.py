"""Every rule of checks.py: one case where it fires, one where it stays quiet."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.statutory.checks import (
    RULES,
    AgencyKind,
    AgencyLevel,
    CellRef,
    CheckContext,
    Finding,
    Origin,
    ParseNotes,
    Severity,
    Subtotal,
    TableId,
    check_rendered_labels,
    check_report,
    expected_labels,
    findings_by_rule,
    publication_deadline,
    rules_markdown,
    text_similarity,
)
from gongkai.statutory.formats import (
    LAYOUT_2019,
    LAYOUT_2021,
    SECTIONS,
    Col,
    FormatVersion,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
)
from gongkai.statutory.report import AnnualReport, ProcessingFees, StatisticsPeriod, empty_report

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed-report.json"

PARSED = CheckContext()
GENERATED = CheckContext(origin=Origin.GENERATED)
ALL_HEADINGS = tuple((s.number, s.heading) for s in SECTIONS)


def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


def clean() -> AnnualReport:
    """The seed with a stated statistics period: passes every rule."""
    return replace(
        seed(),
        period=StatisticsPeriod(date(2024, 1, 1), date(2024, 12, 31)),
        published_on=date(2025, 1, 20),
    )


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def check(report: AnnualReport, **kwargs: object) -> list[Finding]:
    return check_report(report, **kwargs)  # type: ignore[arg-type]


def previous_of(report: AnnualReport) -> AnnualReport:
    """A plausible previous-year report: carries out what ``report`` carries in."""
    prev = empty_report(report.agency, report.year - 1)
    prev = prev.with_row(RowKey.CARRY_OUT, report.row(RowKey.CARRY_IN))
    prev = prev.with_row(RowKey.NEW, report.row(RowKey.CARRY_IN))
    in_force = report.table2_value(T2Key.NORMATIVE_IN_FORCE)
    issued = report.table2_value(T2Key.NORMATIVE_ISSUED)
    assert isinstance(in_force, int) and isinstance(issued, int)
    return prev.with_table2(T2Key.NORMATIVE_IN_FORCE, in_force - issued)


# --- baseline -------------------------------------------------------------------------------------


def test_the_clean_seed_passes_every_rule():
    assert check(clean()) == []
    assert check(clean(), context=GENERATED) == []
    assert check(clean(), previous=previous_of(clean())) == []


def test_the_seed_as_published_only_lacks_a_statistics_period():
    assert rules(check(seed())) == ["S-07"]


def test_rule_catalogue_lists_every_rule_once_and_docs_match():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    expected = {f"S-0{i}" for i in range(1, 9)} | {f"V-0{i}" for i in range(1, 5)}
    expected |= {f"A-0{i}" for i in range(1, 7)} | {f"Y-0{i}" for i in range(1, 8)}
    expected |= {"M-01", "M-02", "M-03", "M-04", "M-05", "M-08", "M-09", "M-11", "M-12", "M-13"}
    assert set(ids) == expected
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == rules_markdown()


def test_findings_carry_catalogue_severity_by_default():
    report = clean().with_cell(RowKey.O1, Col.TOT, 9)
    finding = only(check(report), "A-01")[0]
    assert finding.severity is Severity.ERROR
    assert findings_by_rule(check(report))["A-01"] == [finding]


# --- S: structure ---------------------------------------------------------------------------------


def test_s01_fires_for_a_missing_section_and_a_variant_heading():
    seen = tuple(h for h in ALL_HEADINGS if h[0] != 5)
    seen = (*seen[:3], (4, "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"), *seen[4:])
    found = only(check(clean(), context=CheckContext(notes=ParseNotes(headings_seen=seen))), "S-01")
    assert [f.severity for f in found] == [Severity.ERROR, Severity.WARNING]
    assert "五、存在的主要问题及改进情况" in found[0].message
    assert found[0].location.section == 5


def test_s01_fires_when_sections_are_out_of_order():
    seen = (ALL_HEADINGS[1], ALL_HEADINGS[0], *ALL_HEADINGS[2:])
    found = only(check(clean(), context=CheckContext(notes=ParseNotes(headings_seen=seen))), "S-01")
    assert len(found) == 1 and "顺序" in found[0].message


def test_s01_fires_for_a_generated_report_without_section_five():
    found = only(check(clean().with_section(5, None), context=GENERATED), "S-01")
    assert len(found) == 1 and found[0].location.section == 5


def test_s01_quiet_with_all_standard_headings():
    notes = ParseNotes(headings_seen=ALL_HEADINGS)
    assert only(check(clean(), context=CheckContext(notes=notes)), "S-01") == []


def test_s01_quiet_when_the_reader_extracted_no_text():
    report = clean()
    report = replace(report, sections=(None,) * 6)
    assert only(check(report), "S-01") == []


def test_s02_fires_for_a_2021_report_on_the_2019_template():
    report = replace(empty_report("某镇", 2021, version=FormatVersion.V2019), period=clean().period)
    found = only(check(replace(report, year=2021)), "S-02")
    assert len(found) == 1 and "2021年格式" in found[0].message


def test_s02_quiet_for_the_right_layout():
    assert only(check(empty_report("x", 2020)), "S-02") == []
    assert only(check(clean()), "S-02") == []


def test_s03_fires_for_a_missing_row_and_informs_about_extra_rows():
    notes = ParseNotes(table2_rows_missing=("normative",), table2_extra_rows=("其他主动公开文件",))
    found = only(check(clean(), context=CheckContext(notes=notes)), "S-03")
    assert [f.severity for f in found] == [Severity.ERROR, Severity.INFO]
    assert "行政规范性文件" in found[0].message


def test_s03_quiet_without_notes():
    assert only(check(clean(), context=CheckContext(notes=ParseNotes())), "S-03") == []


def test_s04_fires_for_missing_short_and_extra_rows():
    notes = ParseNotes(
        table3_rows_missing=(RowKey.O5_5,),
        table3_bad_rows=((RowKey.O1, 6),),
        table3_extra_rows=("（三）不予公开小计",),
    )
    found = only(check(clean(), context=CheckContext(notes=notes)), "S-04")
    assert len(found) == 3
    assert "重新出具" in found[0].message
    assert found[1].numbers == (6, 7)


def test_s04_quiet_with_complete_table():
    assert only(check(clean(), context=CheckContext(notes=ParseNotes())), "S-04") == []


def test_s05_fires_when_table4_has_fourteen_values():
    found = only(
        check(clean(), context=CheckContext(notes=ParseNotes(table4_values_found=14))), "S-05"
    )
    assert len(found) == 1 and found[0].numbers == (14, 15)


def test_s05_quiet_with_fifteen_values():
    assert (
        only(check(clean(), context=CheckContext(notes=ParseNotes(table4_values_found=15))), "S-05")
        == []
    )


def test_s06_fires_when_the_reconciliation_note_is_missing():
    found = only(
        check(clean(), context=CheckContext(notes=ParseNotes(table3_note_present=False))), "S-06"
    )
    assert len(found) == 1 and found[0].severity is Severity.WARNING


def test_s06_quiet_when_present_or_unknown():
    assert (
        only(
            check(clean(), context=CheckContext(notes=ParseNotes(table3_note_present=True))), "S-06"
        )
        == []
    )
    assert only(check(clean()), "S-06") == []


@pytest.mark.parametrize(
    "period",
    [
        StatisticsPeriod(date(2023, 1, 1), date(2023, 12, 31)),
        StatisticsPeriod(text="本报告所列数据的统计期限为2023年1月1日至2023年12月31日"),
        StatisticsPeriod(date(2024, 1, 1), date(2024, 11, 30)),
    ],
)
def test_s07_fires_for_a_period_of_another_year(period):
    found = only(check(replace(clean(), period=period)), "S-07")
    assert len(found) == 1 and found[0].severity is Severity.ERROR


def test_s07_fires_for_a_title_with_another_year():
    found = only(check(replace(clean(), title="司法局2023年政府信息公开工作年度报告")), "S-07")
    assert len(found) == 1 and found[0].numbers == (2023, 2024)


def test_s07_warns_when_no_period_is_stated():
    found = only(check(replace(clean(), period=None)), "S-07")
    assert len(found) == 1 and found[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    ["本报告所列数据的统计期限为2024年1月1日至2024年12月31日", "统计期限为2024年1月1日至12月31日"],
)
def test_s07_quiet_for_the_report_year(text):
    assert only(check(replace(clean(), period=StatisticsPeriod(text=text))), "S-07") == []


def test_s08_quiet_when_every_label_is_rendered_verbatim():
    assert check_rendered_labels(expected_labels(LAYOUT_2021), LAYOUT_2021) == []


def test_s08_fires_for_half_width_brackets():
    labels = [
        lab.replace("（", "(").replace("）", ")") if lab.startswith("第二十条") else lab
        for lab in expected_labels(LAYOUT_2019)
    ]
    found = check_rendered_labels(labels, LAYOUT_2019)
    assert {f.rule for f in found} == {"S-08"}
    assert any("实际为“第二十条第(一)项”" in f.message for f in found)


def test_s08_fires_for_a_missing_label():
    labels = [lab for lab in expected_labels(LAYOUT_2021) if lab != "3.危及“三安全一稳定”"]
    found = check_rendered_labels(labels, LAYOUT_2021)
    assert len(found) == 1 and "未找到" in found[0].message


# --- V: values ------------------------------------------------------------------------------------


def test_v01_fires_for_negative_cells_and_unreadable_text():
    report = clean().with_cell(RowKey.O5_2, Col.BIZ, -1).with_table4(T4Group.REV, T4Cell.OTHER, -2)
    notes = ParseNotes(invalid_cells=((CellRef(TableId.T3, "O1", "NP"), "1.5"),))
    found = only(check(report, context=CheckContext(notes=notes)), "V-01")
    assert len(found) == 3
    assert "重复申请" in found[0].message and "商业企业" in found[0].message


def test_v01_quiet_for_nonnegative_integers():
    assert only(check(clean()), "V-01") == []


def test_v02_fires_for_a_blank_cell_per_table():
    report = (
        clean().with_cell(RowKey.O3_1, Col.RES, None).with_table2(T2Key.PENALTY_DECISIONS, None)
    )
    report = report.with_table4(T4Group.LIT_DIRECT, T4Cell.PENDING, None)
    found = only(check(report), "V-02")
    assert [f.location.table for f in found] == [TableId.T3, TableId.T2, TableId.T4]
    assert all(f.severity is Severity.WARNING for f in found)


def test_v02_reports_a_wholly_blank_column_once():
    report = clean()
    for key in report.layout.table3_keys:
        report = report.with_cell(key, Col.RES, None)
    found = only(check(report), "V-02")
    assert len(found) == 1 and "科研机构" in found[0].message and "全部空白" in found[0].message


def test_v02_fires_for_dashes_seen_by_the_reader():
    notes = ParseNotes(
        placeholder_cells=(
            (CellRef(TableId.T3, "O1", "LAW"), "—"),
            (CellRef(TableId.T3, "O2", "LAW"), "—"),
        )
    )
    found = only(check(clean(), context=CheckContext(notes=notes)), "V-02")
    assert len(found) == 1 and "“—”" in found[0].message and found[0].numbers == (2,)


def test_v02_quiet_when_every_cell_is_filled():
    assert only(check(clean()), "V-02") == []


def test_v03_fires_for_a_negative_count_in_table2():
    found = only(check(clean().with_table2(T2Key.LICENSING_DECISIONS, -4)), "V-03")
    assert len(found) == 1 and "行政许可" in found[0].message


def test_v03_fires_for_a_fractional_count():
    found = only(check(clean().with_table2(T2Key.LICENSING_DECISIONS, Decimal("1.5"))), "V-03")
    assert len(found) == 1


def test_v03_fires_for_unreadable_table2_text():
    notes = ParseNotes(invalid_cells=((CellRef(TableId.T2, "penalty_decisions"), "若干"),))
    assert len(only(check(clean(), context=CheckContext(notes=notes)), "V-03")) == 1


def test_v03_quiet_for_a_negative_change_in_the_2019_format():
    report = (
        empty_report("x", 2020)
        .with_table2(T2Key.PENALTY_CHANGE, -8)
        .with_table2(T2Key.PENALTY_PREV_ITEMS, 10)
    )
    assert only(check(report), "V-03") == []


def test_v04_warns_for_an_implausible_amount_and_yuan_text():
    report = clean().with_table2(T2Key.ADMIN_FEE_AMOUNT, Decimal(251000))
    notes = ParseNotes(fee_cell_text="251000元")
    found = only(check(report, context=CheckContext(notes=notes)), "V-04")
    assert len(found) == 2 and all(f.severity is Severity.WARNING for f in found)


def test_v04_errors_for_a_negative_amount():
    found = only(check(clean().with_table2(T2Key.ADMIN_FEE_AMOUNT, Decimal("-1"))), "V-04")
    assert [f.severity for f in found] == [Severity.ERROR]


def test_v04_quiet_for_an_amount_in_10k_yuan():
    report = clean().with_table2(T2Key.ADMIN_FEE_AMOUNT, Decimal("9116.36"))
    assert (
        only(check(report, context=CheckContext(notes=ParseNotes(fee_cell_text="9116.36"))), "V-04")
        == []
    )


# --- A: arithmetic --------------------------------------------------------------------------------


def test_a01_fires_with_a_message_naming_row_and_both_numbers():
    report = clean().with_row(RowKey.O2, [3, 1, 0, 1, 0, 0, 4])
    report = report.with_row(RowKey.OTOT, [6, 1, 0, 1, 0, 0, 8])
    found = only(check(report), "A-01")
    assert found[0].message == "表三“（二）部分公开”行：各列之和为5，总计列填写4，请核对后改正。"
    assert found[0].location.row_key == "O2" and found[0].location.column == "总计"


def test_a01_reports_an_unfilled_total_column_once():
    report = clean()
    for key in report.layout.outcome_keys:
        report = report.with_cell(key, Col.TOT, None)
    found = check(report)
    a01 = only(found, "A-01")
    assert len(a01) == 1 and "总计列未填" in a01[0].message
    assert a01[0].severity is Severity.WARNING
    assert only(found, "A-02") == [] and only(found, "A-03") == []


def test_a01_quiet_for_a_consistent_table():
    assert only(check(clean()), "A-01") == []


def test_a02_fires_when_the_outcome_total_differs():
    report = clean().with_row(RowKey.OTOT, [7, 0, 0, 0, 0, 0, 7])
    found = only(check(report), "A-02")
    assert len(found) == 2
    assert found[0].location.column == "自然人"
    assert "（七）总计填写7" in found[0].message


def test_a02_reports_an_unfilled_outcome_total_row_once():
    report = clean().with_row(RowKey.OTOT, [None] * 7)
    found = check(report)
    assert len(only(found, "A-02")) == 1 and only(found, "A-02")[0].severity is Severity.WARNING
    assert only(found, "A-03") == []


def test_a02_quiet_for_a_consistent_table():
    assert only(check(clean()), "A-02") == []


def test_a03_fires_when_intake_does_not_equal_outcomes_plus_carry_over():
    report = clean().with_row(RowKey.CARRY_OUT, [1, 0, 0, 0, 0, 0, 1])
    found = only(check(report), "A-03")
    assert [f.location.column for f in found] == ["自然人", "总计"]
    assert found[0].numbers == (6, 0, 6, 1)


def test_a03_quiet_for_the_seed():
    assert only(check(clean()), "A-03") == []


def test_a04_fires_for_a_wrong_table4_total():
    found = only(check(clean().with_table4(T4Group.REV, T4Cell.TOTAL, 2)), "A-04")
    assert len(found) == 1 and found[0].numbers == (0, 0, 1, 0, 2)
    assert "行政复议" in found[0].message


def test_a04_warns_for_a_blank_total_with_parts():
    found = only(check(clean().with_table4(T4Group.REV, T4Cell.TOTAL, None)), "A-04")
    assert [f.severity for f in found] == [Severity.WARNING]


def test_a04_quiet_for_consistent_groups():
    assert only(check(clean()), "A-04") == []


def test_a05_checks_extra_subtotals():
    parts = tuple(CellRef(TableId.T3, "NEW", c) for c in ("BIZ", "RES", "NPO", "LAW", "OTH"))
    report = (
        clean()
        .with_row(RowKey.NEW, [4, 1, 0, 1, 0, 0, 6])
        .with_row(RowKey.O1, [0, 1, 0, 0, 0, 0, 1])
    )
    report = report.with_row(RowKey.O2, [1, 0, 0, 1, 0, 0, 2]).with_row(
        RowKey.OTOT, [4, 1, 0, 1, 0, 0, 6]
    )
    wrong = ParseNotes(subtotals=(Subtotal("法人或其他组织小计", 1, parts),))
    right = ParseNotes(subtotals=(Subtotal("法人或其他组织小计", 2, parts),))
    found = only(check(report, context=CheckContext(notes=wrong)), "A-05")
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert only(check(report, context=CheckContext(notes=right)), "A-05") == []


def test_a06_fires_when_more_is_carried_out_than_was_available():
    report = clean().with_row(RowKey.CARRY_OUT, [7, 0, 0, 0, 0, 0, 7])
    found = only(check(report), "A-06")
    assert len(found) == 2 and "不可能成立" in found[0].message


def test_a06_quiet_when_carry_out_fits():
    assert only(check(clean()), "A-06") == []


# --- Y: year over year ----------------------------------------------------------------------------


def test_y01_fires_when_carry_in_differs_from_last_years_carry_out():
    prev = previous_of(clean()).with_row(RowKey.CARRY_OUT, [2, 0, 0, 0, 0, 0, 2])
    found = only(check(clean(), previous=prev), "Y-01")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.WARNING]
    found = only(check(clean(), previous=prev, context=GENERATED), "Y-01")
    assert found[0].severity is Severity.ERROR


def test_y01_quiet_when_it_matches_or_previous_is_not_the_year_before():
    assert only(check(clean(), previous=previous_of(clean())), "Y-01") == []
    older = replace(
        previous_of(clean()).with_row(RowKey.CARRY_OUT, [2, 0, 0, 0, 0, 0, 2]), year=2022
    )
    assert only(check(clean(), previous=older), "Y-01") == []


def test_y02_fires_when_in_force_does_not_follow_from_last_year():
    prev = previous_of(clean()).with_table2(T2Key.NORMATIVE_IN_FORCE, 9)
    found = only(check(clean(), previous=prev), "Y-02")
    assert len(found) == 1 and found[0].numbers == (9, 1, 0, 6)


def test_y02_quiet_when_the_register_balances():
    assert only(check(clean(), previous=previous_of(clean())), "Y-02") == []


def test_y03_fires_when_more_were_issued_than_in_force_plus_repealed():
    report = clean().with_table2(T2Key.NORMATIVE_ISSUED, 8)
    assert len(only(check(report), "Y-03")) == 1


def test_y03_quiet_for_the_seed():
    assert only(check(clean()), "Y-03") == []


def test_y04_fires_when_more_were_repealed_than_existed():
    report = clean().with_table2(T2Key.NORMATIVE_REPEALED, 9)
    prev = previous_of(clean())
    assert len(only(check(report, previous=prev), "Y-04")) == 1


def test_y04_quiet_without_previous_or_when_plausible():
    report = clean().with_table2(T2Key.NORMATIVE_REPEALED, 9)
    assert only(check(report), "Y-04") == []
    assert only(check(clean(), previous=previous_of(clean())), "Y-04") == []


def test_y05_fires_for_a_negative_item_count_and_a_broken_chain():
    prev = (
        empty_report("x", 2019)
        .with_table2(T2Key.PENALTY_PREV_ITEMS, 10)
        .with_table2(T2Key.PENALTY_CHANGE, -2)
    )
    report = (
        empty_report("x", 2020)
        .with_table2(T2Key.PENALTY_PREV_ITEMS, 3)
        .with_table2(T2Key.PENALTY_CHANGE, -5)
    )
    found = only(check(report, previous=prev), "Y-05")
    assert len(found) == 2
    assert found[1].numbers == (3, 10, -2)


def test_y05_quiet_for_a_consistent_chain():
    prev = (
        empty_report("x", 2019)
        .with_table2(T2Key.PENALTY_PREV_ITEMS, 10)
        .with_table2(T2Key.PENALTY_CHANGE, -2)
    )
    report = (
        empty_report("x", 2020)
        .with_table2(T2Key.PENALTY_PREV_ITEMS, 8)
        .with_table2(T2Key.PENALTY_CHANGE, 1)
    )
    assert only(check(report, previous=prev), "Y-05") == []


def test_y06_fires_for_a_narrative_copied_from_last_year():
    prev = previous_of(clean())
    for n in (1, 5, 6):
        text = clean().section(n) or ""
        prev = prev.with_section(n, text.replace("2024", "2023"))
    found = only(check(clean(), previous=prev), "Y-06")
    assert len(found) == 1 and found[0].numbers[0] >= 0.9


def test_y06_quiet_for_a_rewritten_narrative():
    prev = previous_of(clean()).with_section(
        1,
        "本年度，本局以制度建设为抓手，" * 3
        + "完善了依申请公开办理流程，新建了政务公开专栏，开展了三次业务培训，各项工作有序推进。"
        * 3,
    )
    assert only(check(clean(), previous=prev), "Y-06") == []
    assert text_similarity("", "abc") == 0.0


def test_y07_fires_when_all_figures_are_copied():
    prev = replace(clean(), year=2023)
    assert len(only(check(clean(), previous=prev), "Y-07")) == 1


def test_y07_quiet_for_identical_all_zero_tables():
    report = replace(empty_report("x", 2024), period=clean().period)
    assert only(check(report, previous=empty_report("x", 2023)), "Y-07") == []


# --- M: semantic ----------------------------------------------------------------------------------


def test_m01_fires_for_a_county_department_reporting_regulations():
    report = (
        clean().with_table2(T2Key.REGULATION_ISSUED, 1).with_table2(T2Key.REGULATION_IN_FORCE, 1)
    )
    ctx = CheckContext(agency_kind=AgencyKind.DEPARTMENT, agency_level=AgencyLevel.COUNTY)
    found = only(check(report, context=ctx), "M-01")
    assert len(found) == 2 and found[0].severity is Severity.WARNING
    ctx = replace(ctx, origin=Origin.GENERATED)
    assert only(check(report, context=ctx), "M-01")[0].severity is Severity.ERROR


def test_m01_quiet_for_a_city_government_or_an_unknown_agency():
    report = (
        clean().with_table2(T2Key.REGULATION_ISSUED, 1).with_table2(T2Key.REGULATION_IN_FORCE, 1)
    )
    ctx = CheckContext(agency_kind=AgencyKind.GOVERNMENT, agency_level=AgencyLevel.CITY)
    assert only(check(report, context=ctx), "M-01") == []
    assert only(check(report), "M-01") == []


def _unpaid(report: AnnualReport) -> AnnualReport:
    """Move one of the seed's 3.其他 outcomes to 2.逾期未缴费."""
    return report.with_row(RowKey.O6_3, [1, 0, 0, 0, 0, 0, 1]).with_row(
        RowKey.O6_2, [1, 0, 0, 0, 0, 0, 1]
    )


def test_m02_fires_when_fee_notices_are_not_reported():
    found = only(check(_unpaid(clean())), "M-02")
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert only(check(_unpaid(clean()), context=GENERATED), "M-02")[0].severity is Severity.ERROR


def test_m02_fires_when_fewer_notices_than_unpaid_applications():
    report = (
        _unpaid(clean()).with_row(RowKey.O6_2, [2, 0, 0, 0, 0, 0, 2]).with_row(RowKey.O6_3, [0] * 7)
    )
    report = report.with_section(6, "本年度发出信息处理费收费通知1件，未实际收取信息处理费。")
    found = only(check(report), "M-02")
    assert len(found) == 1 and found[0].numbers == (1, 2)


def test_m02_quiet_when_notices_are_reported():
    report = _unpaid(clean()).with_section(6, "本年度发出信息处理费收费通知2件，申请人均未缴纳。")
    assert only(check(report), "M-02") == []
    report = replace(_unpaid(clean()), processing_fees=ProcessingFees(notices=1))
    assert only(check(report), "M-02") == []


def test_m03_fires_when_section_six_omits_the_processing_fee():
    found = only(check(clean().with_section(6, "无。")), "M-03")
    assert len(found) == 1 and found[0].location.section == 6


def test_m03_quiet_for_the_seed_and_for_2019_format_years():
    assert only(check(clean()), "M-03") == []
    assert only(check(empty_report("x", 2020).with_section(6, "无。")), "M-03") == []


def test_m04_fires_for_a_government_report_without_accountability_results():
    ctx = CheckContext(agency_kind=AgencyKind.GOVERNMENT)
    found = only(check(clean(), context=ctx), "M-04")
    assert len(found) == 1 and "社会评议" in found[0].message


def test_m04_quiet_for_departments_or_when_covered():
    assert only(check(clean()), "M-04") == []
    text = (
        clean().section(1) or ""
    ) + "将政务公开纳入绩效工作考核，开展社会评议，本年度无责任追究情况。"
    ctx = CheckContext(agency_kind=AgencyKind.GOVERNMENT)
    assert only(check(clean().with_section(1, text), context=ctx), "M-04") == []


def test_m05_fires_when_the_narrative_contradicts_table3():
    text = (clean().section(1) or "").replace("共受理依申请公开 6件", "共受理依申请公开 8件")
    found = only(check(clean().with_section(1, text)), "M-05")
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].numbers == (8, 6, 6)
    assert "本年新收" in found[0].message


def test_m05_quiet_for_the_seed():
    assert only(check(clean()), "M-05") == []


def test_m08_fires_for_a_late_department_report():
    report = replace(clean(), published_on=date(2025, 2, 10))
    ctx = CheckContext(agency_kind=AgencyKind.DEPARTMENT)
    found = only(check(report, context=ctx), "M-08")
    assert len(found) == 1 and found[0].numbers == (10,)


def test_m08_uses_a_configured_local_deadline():
    ctx = CheckContext(deadline=date(2025, 1, 15))
    assert len(only(check(clean(), context=ctx), "M-08")) == 1


def test_m08_quiet_when_on_time_or_date_unknown():
    ctx = CheckContext(agency_kind=AgencyKind.DEPARTMENT)
    assert only(check(clean(), context=ctx), "M-08") == []
    assert only(check(replace(clean(), published_on=None), context=ctx), "M-08") == []
    government = replace(clean(), published_on=date(2025, 3, 31))
    assert (
        only(check(government, context=CheckContext(agency_kind=AgencyKind.GOVERNMENT)), "M-08")
        == []
    )
    assert publication_deadline(2024, None) == date(2025, 3, 31)


def test_m09_informs_about_litigation_after_review_without_review():
    report = (
        clean().with_table4(T4Group.REV, T4Cell.OTHER, 0).with_table4(T4Group.REV, T4Cell.TOTAL, 0)
    )
    report = report.with_table4(T4Group.LIT_AFTER_REV, T4Cell.MAINTAIN, 1).with_table4(
        T4Group.LIT_AFTER_REV, T4Cell.TOTAL, 1
    )
    found = only(check(report), "M-09")
    assert len(found) == 1 and found[0].severity is Severity.INFO


def test_m09_quiet_when_last_year_had_a_pending_review():
    report = (
        clean().with_table4(T4Group.REV, T4Cell.OTHER, 0).with_table4(T4Group.REV, T4Cell.TOTAL, 0)
    )
    report = report.with_table4(T4Group.LIT_AFTER_REV, T4Cell.MAINTAIN, 1).with_table4(
        T4Group.LIT_AFTER_REV, T4Cell.TOTAL, 1
    )
    prev = (
        previous_of(clean())
        .with_table4(T4Group.REV, T4Cell.PENDING, 1)
        .with_table4(T4Group.REV, T4Cell.TOTAL, 1)
    )
    assert only(check(report, previous=prev), "M-09") == []
    assert only(check(clean()), "M-09") == []


# --- corpus-shaped defects (figures from tests/data/corpus truth notes) -----------------------------


def test_a_2021_report_on_the_2019_template_with_a_spurious_total_is_flagged():
    """Corpus 016: 2019 template used for 2021; （七）总计 reads 1|0|0|0|0|0|0 with no intake."""
    report = empty_report("某镇", 2021, version=FormatVersion.V2019)
    report = replace(report.with_row(RowKey.OTOT, [1, 0, 0, 0, 0, 0, 0]), period=clean().period)
    assert {"S-02", "A-01", "A-02", "A-03"} <= set(rules(check(report)))


def test_an_application_counted_as_concluded_and_carried_forward_is_flagged():
    """Corpus 031: one application under （六）3 and also under 结转下年度."""
    report = empty_report("某局", 2021)
    for key in (RowKey.NEW, RowKey.O6_3, RowKey.OTOT, RowKey.CARRY_OUT):
        report = report.with_row(key, [1, 0, 0, 0, 0, 0, 1])
    found = only(check(report), "A-03")
    assert [f.location.column for f in found] == ["自然人", "总计"]


def test_layouts_of_both_versions_are_supported_by_expected_labels():
    assert "第二十条第（九）项" in expected_labels(LAYOUT_2019)
    assert "第二十条第（九）项" not in expected_labels(LAYOUT_2021)
