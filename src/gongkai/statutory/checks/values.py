"""V-01…V-04: cell values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gongkai.statutory.checks.common import (
    _COL_LABEL,
    _TABLE_NAME,
    _TABLE_SECTION,
    _finding,
    _join,
    _ref_name,
    _row_name,
    _Run,
    _t2_loc,
    _t2_name,
    _t3_loc,
    _t4_label,
    _t4_loc,
)
from gongkai.statutory.checks.model import (
    CellRef,
    Finding,
    Location,
    Severity,
    TableId,
)
from gongkai.statutory.formats import (
    TABLE4_CELL_LABELS,
    TABLE4_ORDER,
    Col,
    T2Key,
    ValueKind,
)

# ---------------------------------------------------------------------------------------------
# V — cell values
# ---------------------------------------------------------------------------------------------


def _v01_nonnegative(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for key, values in zip(layout.table3_keys, run.report.table3, strict=True):
        for col, value in zip(Col, values, strict=True):
            if value is not None and value < 0:
                yield _finding(
                    "V-01",
                    f"表三“{_row_name(layout, key)}”行“{_COL_LABEL[col]}”列为{value}，件数不能为负数。",
                    location=_t3_loc(layout, key, col),
                    numbers=(value,),
                )
    for (group, cell), value in zip(TABLE4_ORDER, run.report.table4, strict=True):
        if value is not None and value < 0:
            yield _finding(
                "V-01",
                f"表四“{_t4_label(group)}”“{TABLE4_CELL_LABELS[cell]}”为{value}，件数不能为负数。",
                location=_t4_loc(group, cell),
                numbers=(value,),
            )
    for ref, text in run.notes.invalid_cells:
        if ref.table is not TableId.T2:
            yield _finding(
                "V-01",
                f"{_TABLE_NAME[ref.table]}{_ref_name(layout, ref)}填写为“{text}”，应为非负整数。",
                location=Location(
                    _TABLE_SECTION[ref.table], ref.table, row_key=ref.row, col_key=ref.col
                ),
            )


def _v02_blanks(run: _Run) -> Iterator[Finding]:
    yield from _v02_table3(run)
    yield from _v02_table2(run)
    blanks4 = [
        f"{_t4_label(g)}“{TABLE4_CELL_LABELS[c]}”"
        for (g, c), v in zip(TABLE4_ORDER, run.report.table4, strict=True)
        if v is None
    ]
    if blanks4:
        yield _finding(
            "V-02",
            f"表四有{len(blanks4)}个空白单元格（{_join(blanks4)}），没有数据的应填0。",
            location=Location(section=4, table=TableId.T4),
            numbers=(len(blanks4),),
        )
    yield from _v02_placeholders(run)


def _v02_table3(run: _Run) -> Iterator[Finding]:
    layout, report = run.layout, run.report
    blank_cols = [c for i, c in enumerate(Col) if all(r[i] is None for r in report.table3)]
    for col in blank_cols:
        yield _finding(
            "V-02",
            f"表三“{_COL_LABEL[col]}”列全部空白，没有数据的应逐格填0。",
            location=_t3_loc(layout, None, col),
        )
    rows = [
        (key, [c for i, c in enumerate(Col) if values[i] is None and c not in blank_cols])
        for key, values in zip(layout.table3_keys, report.table3, strict=True)
    ]
    rows = [(k, cols) for k, cols in rows if cols]
    if rows:
        count = sum(len(cols) for _, cols in rows)
        names = [_row_name(layout, k) for k, _ in rows]
        yield _finding(
            "V-02",
            f"表三另有{count}个空白单元格，涉及{len(rows)}行（{_join(names, 4)}），没有数据的应填0。",
            location=Location(section=3, table=TableId.T3),
            numbers=(count,),
        )


def _v02_table2(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for cell, value in zip(layout.table2_cells, run.report.table2, strict=True):
        if value is None:
            yield _finding(
                "V-02",
                f"表二{_t2_name(layout, cell)}为空白，没有数据的应填0。",
                location=_t2_loc(layout, cell),
            )


def _v02_placeholders(run: _Run) -> Iterator[Finding]:
    by_table: dict[TableId, list[tuple[CellRef, str]]] = {}
    for ref, text in run.notes.placeholder_cells:
        by_table.setdefault(ref.table, []).append((ref, text))
    for table, items in by_table.items():
        marks = "、".join(dict.fromkeys(f"“{t}”" for _, t in items))
        where = _join([_ref_name(run.layout, r) for r, _ in items], 4)
        yield _finding(
            "V-02",
            f"{_TABLE_NAME[table]}有{len(items)}个单元格填写为{marks}（{where}），应填0。",
            location=Location(section=_TABLE_SECTION[table], table=table),
            numbers=(len(items),),
        )


def _v03_table2(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for cell, value in zip(layout.table2_cells, run.report.table2, strict=True):
        if value is None or cell.key is T2Key.ADMIN_FEE_AMOUNT:
            continue
        problem = _t2_problem(cell.kind, value)
        if problem:
            yield _finding(
                "V-03",
                f"表二{_t2_name(layout, cell)}为{value}，{problem}。",
                location=_t2_loc(layout, cell),
                numbers=(value,),
            )
    for ref, text in run.notes.invalid_cells:
        if ref.table is TableId.T2:
            yield _finding(
                "V-03",
                f"表二{_ref_name(layout, ref)}填写为“{text}”，不是有效数字。",
                location=Location(2, TableId.T2, row_key=ref.row),
            )


def _t2_problem(kind: ValueKind, value: int | Decimal) -> str | None:
    if kind.is_decimal:
        return "金额不能为负数" if value < 0 else None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "件数应为整数"
    if kind is ValueKind.COUNT and value < 0:
        return "件数不能为负数"
    return None


def _v04_fee(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    if T2Key.ADMIN_FEE_AMOUNT not in layout.table2_keys:
        return
    cell = layout.table2_cell(T2Key.ADMIN_FEE_AMOUNT)
    loc = _t2_loc(layout, cell)
    value = run.report.table2_value(T2Key.ADMIN_FEE_AMOUNT)
    text = run.notes.fee_cell_text
    if text and "元" in text and "万" not in text:
        yield _finding(
            "V-04",
            f"“{cell.header}”写作“{text}”，本栏单位为万元，请换算为万元填写（1万元 = 10000元）。",
            location=loc,
        )
    if value is None:
        return
    if value < 0:
        yield _finding(
            "V-04",
            f"表二{_t2_name(layout, cell)}为{value}，金额不能为负数。",
            severity=Severity.ERROR,
            location=loc,
            numbers=(value,),
        )
    elif value > run.ctx.fee_max_10k_yuan:
        yield _finding(
            "V-04",
            f"表二{_t2_name(layout, cell)}为{value}万元，数额异常大，请确认是否误按“元”填报（本栏单位为万元）。",
            location=loc,
            numbers=(value, run.ctx.fee_max_10k_yuan),
        )
