"""Every figure of every hand-checked corpus report is read exactly.

``null`` in a truth file means the source leaves the value blank or prints a glued digit run
that cannot be split in only one way: the reader must then give None (never a guess).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from gongkai.reading import read_report
from gongkai.statutory.formats import TABLE4_GROUPS, get_layout
from tests.reading.conftest import SEED, corpus_names, load_report_bytes, load_truth


def _truth_node(section2: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = section2
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _compare(name: str) -> tuple[int, list[str]]:
    truth = load_truth(name)
    result = read_report(load_report_bytes(name), f"{name}.txt")
    report = result.report
    wrong: list[str] = []
    checked = 0

    def expect(where: str, got: Any, want: Any) -> None:
        nonlocal checked
        if want is None:
            if got is not None:
                wrong.append(f"{where}: read {got!r} where the source is blank/ambiguous")
            return
        checked += 1
        same = got is not None and Decimal(str(got)) == Decimal(str(want))
        if not same:
            wrong.append(f"{where}: read {got!r}, truth {want!r}")

    assert report.format_version.value == truth["format_version"], name
    assert report.year == truth["report_year"], name
    layout = get_layout(truth["format_version"])
    rows = truth["section3"]["rows"]
    for row in layout.table3_rows:
        for i, (got, want) in enumerate(zip(report.row(row.key), rows[row.truth_key], strict=True)):
            expect(f"{row.truth_key}[{i}]", got, want)
    for group in TABLE4_GROUPS:
        got4 = report.table4_group(group.key)
        for i, (got, want) in enumerate(zip(got4, truth["section4"][group.truth_key], strict=True)):
            expect(f"{group.truth_key}[{i}]", got, want)
    assert result.table2_version is not None, name
    for cell in get_layout(result.table2_version).table2_cells:
        want = _truth_node(truth["section2"], cell.truth_path)
        if isinstance(want, str):
            continue
        expect(cell.key.value, result.table2_values.get(cell.key), want)
    fee = truth.get("information_processing_fee")
    if fee:
        pf = report.processing_fees
        assert pf is not None, name
        expect("fee.notices", pf.notices, fee["notices_count"])
        expect("fee.notified", pf.amount_notified_yuan, fee["notices_amount_yuan"])
        expect("fee.collected", pf.amount_collected_yuan, fee["collected_yuan"])
    return checked, wrong


@pytest.mark.parametrize("corpus_name", corpus_names())
def test_every_truth_number_is_read_exactly(corpus_name: str) -> None:
    """Each corpus report: all numbers equal the truth; blanks/ambiguous cells are None."""
    checked, wrong = _compare(corpus_name)
    assert checked > 100
    assert wrong == []


def test_corpus_total_accuracy() -> None:
    """Across the corpus every one of the ~4,170 truth numbers is read."""
    total = 0
    for name in corpus_names():
        checked, wrong = _compare(name)
        assert wrong == [], name
        total += checked
    assert total >= 4170


def test_seed_parses_to_its_printed_figures() -> None:
    """The seed (PDF text with broken labels, wrapped totals, vertical headers) reads exactly."""
    report = read_report(SEED.read_bytes(), SEED.name).report
    assert report.year == 2024
    assert report.format_version.value == "2021"
    assert report.agency.endswith("司法局")
    assert report.row("NEW") == (6, 0, 0, 0, 0, 0, 6)
    assert report.row("O1") == (1, 0, 0, 0, 0, 0, 1)
    assert report.row("O2") == (3, 0, 0, 0, 0, 0, 3)
    assert report.row("O6_3") == (2, 0, 0, 0, 0, 0, 2)
    assert report.row("OTOT") == (6, 0, 0, 0, 0, 0, 6)
    assert report.row("CARRY_OUT") == (0,) * 7
    assert all(report.row(k) == (0,) * 7 for k in ("O3_1", "O4_1", "O5_5", "O6_1", "O6_2"))
    assert report.table4 == (0, 0, 1, 0, 1) + (0,) * 10
    assert report.table2_value("normative_issued") == 1
    assert report.table2_value("normative_in_force") == 6
    assert report.table2_value("admin_fee_amount") == 0
    assert all(report.section(n) for n in range(1, 7))


KNOWN_CHECK_GAPS: dict[str, str] = {}
"""Source inconsistencies the reader delivers (section texts) but no rule flags yet."""


def _checks_implemented() -> bool:
    from gongkai.statutory import checks

    return hasattr(checks, "RULES") and bool(getattr(checks, "RULES", ()))


@pytest.mark.parametrize(
    "name", [n for n in corpus_names() if load_truth(n).get("inconsistencies_in_source")]
)
def test_every_source_inconsistency_gives_a_finding(name: str) -> None:
    """Each ``inconsistencies_in_source`` entry is flagged by at least one finding.

    Entries are matched to rule families: arithmetic errors to A-/V- rules, narrative errors
    to M-/S- rules (the checker decides the exact rule)."""
    if not _checks_implemented():
        pytest.skip("statutory.checks has no rules yet")
    if name in KNOWN_CHECK_GAPS:
        pytest.xfail(KNOWN_CHECK_GAPS[name])
    from gongkai.statutory.checks import check_report

    result = read_report(load_report_bytes(name), f"{name}.txt")
    findings = check_report(result.report, context=result.context)
    rules = {f.rule for f in findings}
    for entry in load_truth(name)["inconsistencies_in_source"]:
        text = entry.lower()
        if any(w in text for w in ("row sum", "≠", "sums to", "column", "counted twice", "1+0")):
            assert any(r.startswith(("A-", "V-")) for r in rules), (name, entry, rules)
        elif any(w in text for w in ("narrative", "text", "numbering", "sub-heading", "vs")):
            assert any(r.startswith(("M-", "S-")) for r in rules), (name, entry, rules)
        else:
            assert findings, (name, entry)


def test_corpus_021_copy_paste_year_and_overflowing_breakdown_are_flagged():
    """The truth notes a 2023 sub-heading and categories 76 > 61 in the 2024 report."""
    from gongkai.statutory.checks import check_report

    result = read_report(load_report_bytes("021"), "021.txt")
    rules = {f.rule for f in check_report(result.report, context=result.context)}
    assert {"M-11", "M-12"} <= rules
