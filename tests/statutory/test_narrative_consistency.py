"""Rules M-11 (breakdown exceeds its total) and M-12 (last year narrated as this year)."""

from __future__ import annotations

from pathlib import Path

from gongkai.statutory.narrative import breakdown_overflows, stale_year_mentions

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "jiyuan-justice-bureau-2024.txt"


def test_a_breakdown_larger_than_its_total_is_found():
    text = (
        "2023年，在主动公开的61条政府信息中，全文电子化的主动公开信息数共61条，其中:减税降费5条，"
        "财税金融等政策及解读共1条；财政预算、决算报告共7条；财政资金直达基层12条；其他文件共51条等。"
    )
    [found] = breakdown_overflows(text, section=1)
    assert found.total == 61 and found.parts == (5, 1, 7, 12, 51)


def test_a_breakdown_that_adds_up_is_quiet():
    text = "2024年共受理依申请公开 6件，其中，网络申请 2件、信函申请 4件，已全部办结。"
    assert breakdown_overflows(text) == []


def test_a_later_figure_after_a_complete_breakdown_is_quiet():
    text = "共收到申请6件，其中网络申请2件、信函申请4件，办结6件。"
    assert breakdown_overflows(text) == []


def test_the_seed_narrative_has_no_overflow_and_no_stale_year():
    text = SEED.read_text(encoding="utf-8")
    assert breakdown_overflows(text) == []
    assert stale_year_mentions(text, year=2024) == []


def test_last_year_narrated_as_this_year_is_found():
    assert stale_year_mentions("(二)主动公开的主要类别2023年，在主动公开的61条中", year=2024)


def test_comparisons_with_last_year_are_quiet():
    text = "与2023年，相比有所增加。较2023年，增长10%。"
    assert stale_year_mentions(text, year=2024) == []


def test_bracketed_sub_breakdowns_are_not_counted_as_parts():
    text = "今年共发布380条财政资金信息,其中专项资金152条,预决算公开197条(政府预决算32条、部门预决算公开165条)、其他31条。"
    assert breakdown_overflows(text) == []


def test_rules_m11_and_m12_fire_through_check_report():
    from gongkai.statutory.checks import check_report
    from gongkai.statutory.report import empty_report

    report = empty_report("某局", 2024).with_section(
        1, "2023年，全年主动公开信息共10条，其中政策文件8条、动态信息5条。"
    )
    rules = [f.rule for f in check_report(report)]
    assert "M-11" in rules and "M-12" in rules
    quiet = empty_report("某局", 2024).with_section(
        1, "2024年，主动公开信息共13条，其中政策文件8条、动态信息5条。"
    )
    assert not {"M-11", "M-12"} & {f.rule for f in check_report(quiet)}
