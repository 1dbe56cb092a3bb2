"""Y-01…Y-07: year over year."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from gongkai.statutory.checks.common import (
    _COL_LABEL,
    _SHORT,
    _finding,
    _header,
    _Run,
    _t2_loc,
    _t3_loc,
)
from gongkai.statutory.checks.model import (
    Finding,
    Severity,
)
from gongkai.statutory.formats import (
    Col,
    FormatVersion,
    Layout,
    RowKey,
    T2Key,
)
from gongkai.statutory.report import AnnualReport

# ---------------------------------------------------------------------------------------------
# Y — year over year
# ---------------------------------------------------------------------------------------------


def _y01_carry_in(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None:
        return
    severity = Severity.ERROR if run.generated else Severity.WARNING
    for col in Col:
        now = run.report.cell_or_zero(RowKey.CARRY_IN, col)
        before = prev.cell_or_zero(RowKey.CARRY_OUT, col)
        if now != before:
            yield _finding(
                "Y-01",
                f"表三“{_COL_LABEL[col]}”列：{_SHORT[RowKey.CARRY_IN]}填写{now}件，但{prev.year}年度报告的"
                f"{_SHORT[RowKey.CARRY_OUT]}为{before}件，两者应相等。",
                severity=severity,
                location=_t3_loc(run.layout, RowKey.CARRY_IN, col),
                numbers=(now, before),
            )


_REGISTERS_2021: tuple[tuple[str, T2Key, T2Key, T2Key], ...] = (
    ("regulation", T2Key.REGULATION_ISSUED, T2Key.REGULATION_REPEALED, T2Key.REGULATION_IN_FORCE),
    ("normative", T2Key.NORMATIVE_ISSUED, T2Key.NORMATIVE_REPEALED, T2Key.NORMATIVE_IN_FORCE),
)


def _register(
    report: AnnualReport, keys: tuple[T2Key, T2Key, T2Key]
) -> tuple[int, int, int] | None:
    if report.format_version is not FormatVersion.V2021:
        return None
    values = [report.table2_value(k) for k in keys]
    if any(v is None for v in values):
        return None
    issued, repealed, in_force = (int(v or 0) for v in values)
    return issued, repealed, in_force


def _register_label(layout: Layout, key: str) -> str:
    return next(r.label for b in layout.table2 for r in b.rows if r.key == key)


def _y02_to_y04_register(run: _Run) -> Iterator[Finding]:
    for name, *keys in _REGISTERS_2021:
        now = _register(run.report, (keys[0], keys[1], keys[2]))
        if now is None:
            continue
        label = _register_label(run.layout, name)
        issued, repealed, in_force = now
        loc = _t2_loc(run.layout, run.layout.table2_cell(keys[0]))
        if issued > in_force + repealed:
            yield _finding(
                "Y-03",
                f"表二“{label}”：本年制发{issued}件，多于现行有效{in_force}件与本年废止{repealed}件之和，请核对。",
                location=loc,
                numbers=(issued, in_force, repealed),
            )
        prev = _register(run.previous, (keys[0], keys[1], keys[2])) if run.previous else None
        if prev is None:
            continue
        before = prev[2]
        if in_force != before + issued - repealed:
            yield _finding(
                "Y-02",
                f"表二“{label}”：上年现行有效{before}件 + 本年制发{issued}件 − 本年废止{repealed}件 = "
                f"{before + issued - repealed}件，但现行有效填写{in_force}件，请核对（修改、清理的口径应前后一致）。",
                location=loc,
                numbers=(before, issued, repealed, in_force),
            )
        if repealed > before + issued:
            yield _finding(
                "Y-04",
                f"表二“{label}”：本年废止{repealed}件，多于上年现行有效{before}件与本年制发{issued}件之和，请核对。",
                location=loc,
                numbers=(repealed, before, issued),
            )


_ITEMS_2019: tuple[tuple[T2Key, T2Key], ...] = (
    (T2Key.LICENSING_PREV_ITEMS, T2Key.LICENSING_CHANGE),
    (T2Key.OTHER_SERVICES_PREV_ITEMS, T2Key.OTHER_SERVICES_CHANGE),
    (T2Key.PENALTY_PREV_ITEMS, T2Key.PENALTY_CHANGE),
    (T2Key.COERCION_PREV_ITEMS, T2Key.COERCION_CHANGE),
    (T2Key.ADMIN_FEE_PREV_ITEMS, T2Key.ADMIN_FEE_CHANGE),
)


def _y05_items_2019(run: _Run) -> Iterator[Finding]:
    report, prev = run.report, run.previous
    if report.format_version is not FormatVersion.V2019:
        return
    both_2019 = prev is not None and prev.format_version is FormatVersion.V2019
    for prev_key, change_key in _ITEMS_2019:
        label = run.layout.table2_row_of(prev_key).label
        loc = _t2_loc(run.layout, run.layout.table2_cell(prev_key))
        items, change = report.table2_value(prev_key), report.table2_value(change_key)
        if items is not None and change is not None and items + change < 0:
            yield _finding(
                "Y-05",
                f"表二“{label}”：{_header(run.layout, prev_key)}{items} + "
                f"{_header(run.layout, change_key)}{change} 小于0，请核对。",
                location=loc,
                numbers=(items, change),
            )
        if prev is not None and both_2019 and items is not None:
            p_items, p_change = prev.table2_value(prev_key), prev.table2_value(change_key)
            if p_items is not None and p_change is not None and items != p_items + p_change:
                yield _finding(
                    "Y-05",
                    f"表二“{label}”：{_header(run.layout, prev_key)}填写{items}，但{prev.year}年度报告为"
                    f"{p_items} + ({p_change}) = {p_items + p_change}，请核对。",
                    location=loc,
                    numbers=(items, p_items, p_change),
                )


_SHINGLE = 4
_MIN_TEXT = 100
_NON_TEXT = re.compile(r"[\s\W_]+")


def _shingles(text: str) -> set[str]:
    plain = re.sub(r"\d", "0", _NON_TEXT.sub("", unicodedata.normalize("NFKC", text)))
    return {plain[i : i + _SHINGLE] for i in range(max(0, len(plain) - _SHINGLE + 1))}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the 4-character shingles of two texts (digits unified)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _y06_similarity(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None:
        return
    now_text, prev_text = run.report.narrative, prev.narrative
    if len(now_text) < _MIN_TEXT or len(prev_text) < _MIN_TEXT:
        return
    similarity = text_similarity(now_text, prev_text)
    if similarity >= run.ctx.similarity_threshold:
        yield _finding(
            "Y-06",
            f"正文与{prev.year}年度报告的相似度为{similarity:.0%}，内容高度雷同，请结合本年度实际工作重新撰写。",
            numbers=(round(similarity, 4),),
        )


def _y07_identical(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None or prev.format_version is not run.report.format_version:
        return
    now = (run.report.table2, run.report.table3, run.report.table4)
    before = (prev.table2, prev.table3, prev.table4)
    values = [*run.report.table2, *(v for r in run.report.table3 for v in r), *run.report.table4]
    if now == before and any(v for v in values):
        yield _finding(
            "Y-07",
            f"表二、表三、表四的数据与{prev.year}年度报告完全相同，请核实是否照抄了上年数据。",
        )
