"""Rule M-13: the （一）（二）（三） numbering of the sub-headings of a part does not jump."""

from __future__ import annotations

from pathlib import Path

from gongkai.statutory.checks import Location, Severity, check_report
from gongkai.statutory.narrative import SubheadingGap, subheading_gaps
from gongkai.statutory.report import empty_report

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "jiyuan-justice-bureau-2024.txt"

PART_ONE = (
    "（一）主动公开政府信息情况。本年度主动公开信息120条。\n\n"
    "（二）依申请公开政府信息情况。共受理申请6件。\n\n"
    "（三）政府信息管理情况。清理规范性文件3件。\n\n"
    "（四）平台建设情况。完善门户网站栏目。\n\n"
    "（五）监督保障情况。开展培训2次。"
)


def test_a_jump_is_found_with_the_missing_numbers():
    text = "（一）加强组织领导。（二）融合推进。（五）强化监督保障。"
    [gap] = subheading_gaps(text)
    assert (gap.previous, gap.found) == (2, 5)
    assert gap.missing == (3, 4)
    assert gap.quote == "强化监督保障。"
    assert [gap.label(n) for n in gap.missing] == ["（三）", "（四）"]


def test_consecutive_numbering_is_quiet():
    assert subheading_gaps(PART_ONE) == []
    # half-width brackets, no line breaks, numbers past ten
    tail = "".join(f"({n})第{n}项工作。" for n in ("六", "七", "八", "九", "十", "十一", "十二"))
    assert subheading_gaps("(一)甲。(二)乙。(三)丙。(四)丁。(五)戊。" + tail) == []


def test_a_restart_at_one_is_a_new_list_not_a_jump():
    text = (
        "（一）存在的主要问题。（一）公开内容不够全面；（二）解读形式单一；（三）培训不足。"
        "（二）改进情况。（一）加强审核；（二）丰富解读形式。"
    )
    assert subheading_gaps(text) == []


def test_references_to_provisions_are_not_headings():
    text = (
        "（一）主动公开情况。依据条例第二十条第（五）项、第（八）项公开相关信息，"
        "按第二十条（六）的要求整理；（七）项所列信息已全部公开，第（九）条不适用。"
        "（二）依申请公开情况。"
    )
    assert subheading_gaps(text) == []


def test_a_list_that_does_not_start_at_one_and_repeats_are_not_jumps():
    assert subheading_gaps("（三）平台建设。（四）监督保障。") == []
    assert subheading_gaps("（一）甲。（二）乙。（二）乙续。（三）丙。") == []


def test_labels_above_ten():
    assert [SubheadingGap.label(n) for n in (1, 10, 11, 20, 23)] == [
        "（一）",
        "（十）",
        "（十一）",
        "（二十）",
        "（二十三）",
    ]
    [gap] = subheading_gaps("(九)甲。(十)乙。(十三)丙。")
    assert gap.missing == (11, 12)


def test_the_seed_narrative_has_no_jump():
    assert subheading_gaps(SEED.read_text(encoding="utf-8")) == []


def test_rule_m13_fires_through_check_report():
    report = empty_report("某局", 2024).with_section(1, PART_ONE.replace("（三）", "（六）"))
    [found] = [f for f in check_report(report) if f.rule == "M-13"]
    assert found.severity is Severity.WARNING
    assert found.location == Location(section=1)
    assert found.numbers == (2, 6)
    assert "由（二）直接跳到“（六）政府信息管理情况。清理规…”" in found.message
    assert "缺少（三）（四）（五）" in found.message

    in_part_five = empty_report("某局", 2024).with_section(5, "（一）存在问题。（三）改进情况。")
    assert [f.numbers for f in check_report(in_part_five) if f.rule == "M-13"] == [(1, 3)]

    quiet = empty_report("某局", 2024).with_section(1, PART_ONE)
    assert not [f for f in check_report(quiet) if f.rule == "M-13"]
