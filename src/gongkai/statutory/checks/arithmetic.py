"""A-01…A-06: arithmetic inside one report."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gongkai.statutory.checks.common import (
    _COL_LABEL,
    _SHORT,
    _finding,
    _join,
    _ref_value,
    _row_name,
    _Run,
    _t3_loc,
    _t4_label,
    _t4_loc,
    _t4_sum_text,
)
from gongkai.statutory.checks.model import (
    Finding,
    Severity,
)
from gongkai.statutory.formats import (
    TABLE3_COLUMNS,
    TABLE4_CELL_LABELS,
    Col,
    Layout,
    RowKey,
    T4Cell,
    T4Group,
)
from gongkai.statutory.report import AnnualReport

# ---------------------------------------------------------------------------------------------
# A — arithmetic inside one report
# ---------------------------------------------------------------------------------------------

_TOT_INDEX = len(TABLE3_COLUMNS) - 1


def _parts_sum(values: Sequence[int | None]) -> int:
    return sum(v or 0 for v in values[:_TOT_INDEX])


def _effective_table3(report: AnnualReport) -> dict[RowKey, list[int]]:
    """Table 三 with blanks as 0, a blank 总计 filled with its row sum, and a blank （七）总计
    cell filled with its column's outcome sum — so that one unfilled total is reported once
    (by A-01/A-02) and not again as a 勾稽 mismatch."""
    layout = report.layout
    eff: dict[RowKey, list[int]] = {}
    for key, values in zip(layout.table3_keys, report.table3, strict=True):
        row = [v or 0 for v in values]
        if values[_TOT_INDEX] is None:
            row[_TOT_INDEX] = _parts_sum(values)
        eff[key] = row
    printed = report.row(RowKey.OTOT)
    for i in range(len(TABLE3_COLUMNS)):
        if printed[i] is None:
            eff[RowKey.OTOT][i] = sum(eff[k][i] for k in layout.outcome_keys)
    return eff


def _a01_row_totals(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    unfilled: list[tuple[RowKey, int]] = []
    for key, values in zip(layout.table3_keys, run.report.table3, strict=True):
        parts = _parts_sum(values)
        total = values[_TOT_INDEX]
        if total is None:
            if parts:
                unfilled.append((key, parts))
        elif total != parts:
            yield _finding(
                "A-01",
                f"表三“{_row_name(layout, key)}”行：各列之和为{parts}，总计列填写{total}，请核对后改正。",
                location=_t3_loc(layout, key, Col.TOT),
                numbers=(*(v or 0 for v in values[:_TOT_INDEX]), total),
            )
    yield from _a01_unfilled(layout, unfilled)


def _a01_unfilled(layout: Layout, unfilled: list[tuple[RowKey, int]]) -> Iterator[Finding]:
    if len(unfilled) > 1:
        names = _join([_row_name(layout, k) for k, _ in unfilled], 4)
        yield _finding(
            "A-01",
            f"表三总计列未填（共{len(unfilled)}行，如{names}），请按各列之和填写总计；本次核对按各列之和计算。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, None, Col.TOT),
            numbers=tuple(p for _, p in unfilled),
        )
    elif unfilled:
        key, parts = unfilled[0]
        yield _finding(
            "A-01",
            f"表三“{_row_name(layout, key)}”行：总计列未填，各列之和为{parts}，请填写。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, key, Col.TOT),
            numbers=(parts,),
        )


def _a02_outcome_total(run: _Run) -> Iterator[Finding]:
    layout, report = run.layout, run.report
    eff = _effective_table3(report)
    printed = report.row(RowKey.OTOT)
    unfilled: list[tuple[Col, int]] = []
    for i, col in enumerate(Col):
        parts = [eff[k][i] for k in layout.outcome_keys]
        total = sum(parts)
        if printed[i] is None:
            if total:
                unfilled.append((col, total))
        elif printed[i] != total:
            yield _finding(
                "A-02",
                f"表三“{_COL_LABEL[col]}”列：（一）至（六）各项办理结果之和为{total}，"
                f"{_SHORT[RowKey.OTOT]}填写{printed[i]}，请核对后改正。",
                location=_t3_loc(layout, RowKey.OTOT, col),
                numbers=(*parts, printed[i] or 0),
            )
    if unfilled:
        cols = "、".join(f"“{_COL_LABEL[c]}”列应为{t}" for c, t in unfilled)
        yield _finding(
            "A-02",
            f"表三{_SHORT[RowKey.OTOT]}行未填（{cols}），请填写。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, RowKey.OTOT),
            numbers=tuple(t for _, t in unfilled),
        )


def _a03_reconciliation(run: _Run) -> Iterator[Finding]:
    eff = _effective_table3(run.report)
    for i, col in enumerate(Col):
        new, carry_in = eff[RowKey.NEW][i], eff[RowKey.CARRY_IN][i]
        done, carry_out = eff[RowKey.OTOT][i], eff[RowKey.CARRY_OUT][i]
        if new + carry_in != done + carry_out:
            yield _finding(
                "A-03",
                f"表三“{_COL_LABEL[col]}”列不符合勾稽关系：{_SHORT[RowKey.NEW]}{new} + "
                f"{_SHORT[RowKey.CARRY_IN]}{carry_in} = {new + carry_in}，而{_SHORT[RowKey.OTOT]}{done} + "
                f"{_SHORT[RowKey.CARRY_OUT]}{carry_out} = {done + carry_out}。"
                "请核对各项办理结果和结转数。",
                location=_t3_loc(run.layout, None, col),
                numbers=(new, carry_in, done, carry_out),
            )


def _a04_table4(run: _Run) -> Iterator[Finding]:
    for group in T4Group:
        values = run.report.table4_group(group)
        parts = [v or 0 for v in values[:-1]]
        total = values[-1]
        if total is None:
            if sum(parts):
                yield _finding(
                    "A-04",
                    f"表四“{_t4_label(group)}”总计未填，各结果之和为{sum(parts)}，请填写。",
                    severity=Severity.WARNING,
                    location=_t4_loc(group, T4Cell.TOTAL),
                    numbers=(*parts,),
                )
        elif total != sum(parts):
            yield _finding(
                "A-04",
                f"表四“{_t4_label(group)}”：{_t4_sum_text(parts)} = {sum(parts)}，"
                f"{TABLE4_CELL_LABELS[T4Cell.TOTAL]}填写{total}，请核对后改正。",
                location=_t4_loc(group, T4Cell.TOTAL),
                numbers=(*parts, total),
            )


def _a05_subtotals(run: _Run) -> Iterator[Finding]:
    for sub in run.notes.subtotals:
        values = [_ref_value(run.report, ref) for ref in sub.parts]
        parts = sum((v for v in values if v is not None), start=0)
        if sub.value is not None and sub.value != parts:
            yield _finding(
                "A-05",
                f"小计“{sub.label}”填写{sub.value}，其组成部分之和为{parts}，请核对。",
                numbers=(*(v or 0 for v in values), sub.value),
            )


def _a06_carry_out(run: _Run) -> Iterator[Finding]:
    eff = _effective_table3(run.report)
    for i, col in enumerate(Col):
        available = eff[RowKey.NEW][i] + eff[RowKey.CARRY_IN][i]
        carry_out = eff[RowKey.CARRY_OUT][i]
        if carry_out > available:
            yield _finding(
                "A-06",
                f"表三“{_COL_LABEL[col]}”列：{_SHORT[RowKey.CARRY_OUT]}{carry_out}件，超过"
                f"{_SHORT[RowKey.NEW]}与{_SHORT[RowKey.CARRY_IN]}之和{available}件，不可能成立。",
                location=_t3_loc(run.layout, RowKey.CARRY_OUT, col),
                numbers=(eff[RowKey.NEW][i], eff[RowKey.CARRY_IN][i], carry_out),
            )
