"""M-05: narrative figures against the tables; Chinese numerals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.statutory.checks import Severity, check_report
from gongkai.statutory.formats import FormatVersion, RowKey, T2Key, T4Group
from gongkai.statutory.narrative import (
    Metric,
    compare_narrative,
    extract_figures,
    extract_statements,
    metric_values,
    stated_fee_notices,
)
from gongkai.statutory.numerals import chinese_to_int, parse_number
from gongkai.statutory.report import AnnualReport, empty_report, make_report

ROOT = Path(__file__).resolve().parents[2]
SEED_JSON = ROOT / "tests" / "data" / "seed-report.json"
SEED_TXT = ROOT / "tests" / "data" / "seed" / "jiyuan-justice-bureau-2024.txt"

_ = None  # blank cell in the published table ("·" in spec §2.11)

SHANGHAI_2019_TABLE3 = {
    "NEW": [821, 35, _, _, 2, 1, 859],
    "CARRY_IN": [18, _, _, _, _, _, 18],
    "O1": [258, 12, _, _, 1, 1, _],
    "O2": [3, _, _, _, _, _, _],
    "O3_1": [14, _, _, _, _, _, _],
    "O3_5": [5, _, _, _, _, _, _],
    "O3_6": [3, 1, _, _, _, _, _],
    "O3_8": [10, 2, _, _, _, _, _],
    "O4_1": [252, 12, _, _, 1, _, _],
    "O4_2": [44, 3, _, _, _, _, _],
    "O4_3": [25, _, _, _, _, _, _],
    "O5_1": [148, 1, _, _, _, _, _],
    "O5_2": [5, 4, _, _, _, _, _],
    "OTOT": [767, 35, _, _, 2, 1, 805],
    "CARRY_OUT": [72, _, _, _, _, _, 72],
}

SHANGHAI_2019_SECTION1 = (
    "2019年，市政府办公厅共受理政府信息公开申请859件，答复政府信息公开申请805件"
    "（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复）。"
    "其中，予以公开及部分公开258件，占33.9%；因本机关不掌握等原因无法提供265件，占32.9%；"
    "不予公开35件；不予处理158件。信息公开类行政复议7件，诉讼9件。"
)


def shanghai_2019() -> AnnualReport:
    """2019年上海市人民政府办公厅政府信息公开工作年度报告 (spec §2.11), blanks kept blank."""
    return make_report(
        agency="上海市人民政府办公厅",
        year=2019,
        version=FormatVersion.V2019,
        table3=SHANGHAI_2019_TABLE3,
        table4={"REV": [5, _, _, 2, 7], "LIT_DIRECT": [8, _, _, 1, 9], "LIT_AFTER_REV": [_] * 5},
        sections={1: SHANGHAI_2019_SECTION1},
        fill=None,
    )


def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED_JSON.read_text(encoding="utf-8"))


# --- numerals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("859", 859),
        ("1,024", 1024),
        ("８", 8),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两百", 200),
        ("三千零一", 3001),
        ("一万二千", 12000),
        ("二〇二四", 2024),
        ("零", 0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "件", "万", "12a"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


def test_chinese_to_int_rejects_other_text():
    with pytest.raises(ValueError):
        chinese_to_int("十件")


def test_extract_figures_reads_units_and_percentages():
    figures = extract_figures(
        "公开各类政府信息 757条，网民留言4人，回复率为 100%，受理两件，三个专栏，复议一起"
    )
    assert [(f.value, f.unit) for f in figures] == [
        (757, "条"),
        (4, "人"),
        (Decimal(100), "%"),
        (2, "件"),
        (3, "个"),
        (1, "起"),
    ]


# --- extraction -------------------------------------------------------------------------------


def test_seed_text_yields_only_the_application_count():
    statements = extract_statements(SEED_TXT.read_text(encoding="utf-8"), year=2024)
    assert [(s.metric, s.value) for s in statements] == [(Metric.NEW, 6)]


def test_shanghai_statements_are_all_read():
    found = {(s.metric, s.value) for s in extract_statements(SHANGHAI_2019_SECTION1, year=2019)}
    assert found == {
        (Metric.NEW, 859),
        (Metric.CONCLUDED, 805),
        (Metric.CARRY_IN, 18),
        (Metric.GRANTED_OR_PARTIAL, 258),
        (Metric.UNABLE, 265),
        (Metric.WITHHELD, 35),
        (Metric.NOT_PROCESSED, 158),
        (Metric.RECONSIDERATION, 7),
        (Metric.LITIGATION, 9),
    }


@pytest.mark.parametrize(
    ("text", "metric", "value"),
    [
        ("全年收到政府信息公开申请两件", Metric.NEW, 2),
        ("本年度新收政府信息公开申请十二件", Metric.NEW, 12),
        ("共办结12件", Metric.CONCLUDED, 12),
        ("结转下年度继续办理3件", Metric.CARRY_OUT, 3),
        ("被申请行政复议1起", Metric.RECONSIDERATION, 1),
        ("被提起行政诉讼2件", Metric.LITIGATION, 2),
        ("本年度制发行政规范性文件4件", Metric.NORMATIVE_ISSUED, 4),
        ("其中予以公开5件", Metric.GRANTED, 5),
        ("部分公开1件", Metric.PARTIAL, 1),
    ],
)
def test_extraction_of_single_metrics(text, metric, value):
    found = [(s.metric, s.value) for s in extract_statements(text, year=2024)]
    assert found == [(metric, value)]


@pytest.mark.parametrize(
    "text",
    [
        "2023年共受理政府信息公开申请9件",  # another year
        "共受理政府信息公开申请9件，同比增长50%",  # comparison with last year
        "累计发布信息300余条",  # approximate, and not a table metric
        "共接受网民留言4人，回复率为100%",  # another channel
        "其中，网络申请2件、信函申请4件",  # breakdown by channel
        "行政复议结果维持1件",  # a result, not the total
        "按时办结率100%",
        "依申请公开信息数363条，不予公开21条",  # documents by disclosure attribute, not applications
    ],
)
def test_conservative_extraction_skips_unclear_statements(text):
    assert extract_statements(text, year=2024) == []


def test_a_breakdown_clause_is_not_read_as_the_total():
    found = extract_statements("办结依申请2件，其中公开答复1件", year=2024)
    assert [(s.metric, s.value) for s in found] == [(Metric.CONCLUDED, 2)]


def test_a_reconsideration_application_is_not_an_information_application():
    found = [(s.metric, s.value) for s in extract_statements("共受理行政复议申请2件", year=2024)]
    assert found == [(Metric.RECONSIDERATION, 2)]


def test_negative_statements_read_as_zero():
    found = extract_statements("本年度未发生政府信息公开行政复议、行政诉讼案件。", year=2024)
    assert [(s.metric, s.value, s.negative) for s in found] == [
        (Metric.RECONSIDERATION, 0, True),
        (Metric.LITIGATION, 0, True),
    ]


def test_hard_wrapped_pdf_text_is_joined():
    found = extract_statements("2024年共受理\n依申请公开 6件，其中网络申请2件", year=2024)
    assert [(s.metric, s.value) for s in found] == [(Metric.NEW, 6)]


def test_percentages_attach_to_the_preceding_figure():
    found = extract_statements("予以公开10件，占50%；无法提供5件，占比25.0%", year=2024)
    assert [(s.metric, s.percent) for s in found] == [
        (Metric.GRANTED, Decimal(50)),
        (Metric.UNABLE, Decimal("25.0")),
    ]


def test_fee_notice_counts():
    assert stated_fee_notices("本年度发出收费通知3件，实际收取信息处理费0元。") == 3
    assert stated_fee_notices("共向2名申请人发出信息处理费收费通知书五份") == 5
    assert stated_fee_notices("本年度未发出收费通知，未收取信息处理费。") == 0
    assert stated_fee_notices("2024年度未收取信息处理费用。") is None


# --- comparison with the tables ----------------------------------------------------------------


def test_shanghai_mismatches_are_flagged():
    mismatches = compare_narrative(shanghai_2019())
    counts = {
        (m.statement.metric, m.statement.value): m.expected for m in mismatches if m.kind == "count"
    }
    assert counts == {(Metric.GRANTED_OR_PARTIAL, 258): (275,), (Metric.UNABLE, 265): (337,)}
    assert all(m.unambiguous for m in mismatches if m.kind == "count")
    percents = {m.statement.metric for m in mismatches if m.kind == "percent"}
    assert percents == {Metric.GRANTED_OR_PARTIAL, Metric.UNABLE}


def test_shanghai_report_through_check_report():
    findings = check_report(shanghai_2019())
    m05 = [f for f in findings if f.rule == "M-05"]
    errors = [f for f in m05 if f.severity is Severity.ERROR]
    assert len(errors) == 2
    assert "258" in errors[0].message and "275" in errors[0].message
    assert "265" in errors[1].message and "337" in errors[1].message
    # the publisher left the 总计 column blank on the outcome rows: reported once, no false sums
    a01 = [f for f in findings if f.rule == "A-01"]
    assert len(a01) == 1 and "总计列未填" in a01[0].message
    assert not [f for f in findings if f.rule in ("A-02", "A-03", "A-04")]


def test_seed_narrative_matches_its_tables():
    assert compare_narrative(seed()) == []
    assert [f for f in check_report(seed()) if f.rule == "M-05"] == []


def test_correct_percentages_are_accepted():
    report = empty_report("x", 2024)
    report = report.with_row(RowKey.NEW, [20, 0, 0, 0, 0, 0, 20])
    report = report.with_row(RowKey.O1, [10, 0, 0, 0, 0, 0, 10])
    report = report.with_row(RowKey.O4_1, [10, 0, 0, 0, 0, 0, 10])
    report = report.with_row(RowKey.OTOT, [20, 0, 0, 0, 0, 0, 20])
    report = report.with_section(
        1, "共收到政府信息公开申请20件，其中予以公开10件，占50%；无法提供10件，占50.0%。"
    )
    assert compare_narrative(report) == []
    wrong = report.with_section(1, "其中予以公开10件，占40%。")
    assert [m.kind for m in compare_narrative(wrong)] == ["percent"]


def test_new_applications_may_include_carried_over_ones():
    report = empty_report("x", 2024).with_row(RowKey.NEW, [5, 0, 0, 0, 0, 0, 5])
    report = report.with_row(RowKey.CARRY_IN, [1, 0, 0, 0, 0, 0, 1])
    assert metric_values(report, Metric.NEW) == (5, 6)
    assert compare_narrative(report.with_section(1, "共受理政府信息公开申请6件。")) == []


def test_normative_documents_in_force_mismatch_is_flagged():
    """Corpus 025: the text says 424 in force, the table 89."""
    report = empty_report("某局", 2022).with_table2(T2Key.NORMATIVE_ISSUED, 34)
    report = report.with_table2(T2Key.NORMATIVE_IN_FORCE, 89)
    report = report.with_section(1, "本年度制发规范性文件34件，现行有效件数424件。")
    mismatches = compare_narrative(report)
    assert [(m.statement.metric, m.statement.value, m.expected) for m in mismatches] == [
        (Metric.NORMATIVE_IN_FORCE, 424, (89,))
    ]


def test_a_negative_statement_contradicting_table4_is_only_a_warning():
    report = seed().with_section(1, "本年度未发生政府信息公开行政复议案件。")
    findings = [f for f in check_report(report) if f.rule == "M-05"]
    assert [f.severity for f in findings] == [Severity.WARNING]
    assert report.table4_value(T4Group.REV, "TOTAL") == 1
