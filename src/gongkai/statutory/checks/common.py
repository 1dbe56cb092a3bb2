"""Helpers shared by the rule modules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.statutory.checks.catalogue import (
    RULES_BY_ID,
)
from gongkai.statutory.checks.model import (
    CellRef,
    CheckContext,
    Finding,
    Location,
    Number,
    Origin,
    ParseNotes,
    Severity,
    TableId,
)
from gongkai.statutory.formats import (
    TABLE3_COLUMNS,
    TABLE3_SHORT_LABELS,
    TABLE4_CELL_LABELS,
    TABLE4_CELLS,
    TABLE4_GROUPS,
    Col,
    Layout,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
    Table2Cell,
)
from gongkai.statutory.report import AnnualReport

# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    report: AnnualReport
    previous: AnnualReport | None
    ctx: CheckContext

    @property
    def layout(self) -> Layout:
        return self.report.layout

    @property
    def generated(self) -> bool:
        return self.ctx.origin is Origin.GENERATED

    @property
    def notes(self) -> ParseNotes:
        return self.ctx.notes or ParseNotes()


_COL_LABEL: dict[Col, str] = {c.key: c.label for c in TABLE3_COLUMNS}
_SHORT = TABLE3_SHORT_LABELS
_TABLE_NAME: dict[TableId, str] = {TableId.T2: "表二", TableId.T3: "表三", TableId.T4: "表四"}
_TABLE_SECTION: dict[TableId, int] = {TableId.T2: 2, TableId.T3: 3, TableId.T4: 4}
_PARENTHETICAL = re.compile(r"（[^（）]*）$")


def _finding(
    rule: str,
    message: str,
    *,
    severity: Severity | None = None,
    location: Location | None = None,
    numbers: Iterable[Number] = (),
) -> Finding:
    return Finding(
        rule,
        severity or RULES_BY_ID[rule].severity,
        message,
        location or Location(),
        tuple(numbers),
    )


def _row_name(layout: Layout, key: RowKey) -> str:
    """Short row label for messages, e.g. ``（二）部分公开`` or ``（三）不予公开 1.属于国家秘密``."""
    row = layout.table3_row(key)
    label = _PARENTHETICAL.sub("", row.label) if row.label.startswith("（") else row.label
    return f"{row.group_label} {label}" if row.group_label else label


def _t3_loc(layout: Layout, row: RowKey | None = None, col: Col | None = None) -> Location:
    return Location(
        section=3,
        table=TableId.T3,
        row=_row_name(layout, row) if row else None,
        column=_COL_LABEL[col] if col else None,
        row_key=row.value if row else None,
        col_key=col.value if col else None,
    )


def _t4_label(group: T4Group) -> str:
    spec = next(g for g in TABLE4_GROUPS if g.key is group)
    return f"{spec.parent_label}（{spec.label}）" if spec.parent_label else spec.label


def _t4_loc(group: T4Group, cell: T4Cell | None = None) -> Location:
    return Location(
        section=4,
        table=TableId.T4,
        row=_t4_label(group),
        column=TABLE4_CELL_LABELS[cell] if cell else None,
        row_key=group.value,
        col_key=cell.value if cell else None,
    )


def _t2_name(layout: Layout, cell: Table2Cell) -> str:
    row = layout.table2_row_of(cell.key)
    return f"“{row.label}”行“{cell.header}”"


def _t2_loc(layout: Layout, cell: Table2Cell) -> Location:
    row = layout.table2_row_of(cell.key)
    return Location(2, TableId.T2, row.label, cell.header, cell.key.value, "")


def _header(layout: Layout, key: T2Key) -> str:
    return layout.table2_cell(key).header


def _t4_sum_text(parts: Sequence[int]) -> str:
    return " + ".join(
        f"{TABLE4_CELL_LABELS[c]}{v}" for c, v in zip(TABLE4_CELLS, parts, strict=False)
    )


def _ref_name(layout: Layout, ref: CellRef) -> str:
    """Human name of a referenced cell."""
    if ref.table is TableId.T3:
        try:
            return f"“{_row_name(layout, RowKey(ref.row))}”行“{_COL_LABEL[Col(ref.col)]}”列"
        except (KeyError, ValueError):
            return f"{ref.row}/{ref.col}"
    if ref.table is TableId.T4:
        try:
            return f"“{_t4_label(T4Group(ref.row))}”“{TABLE4_CELL_LABELS[T4Cell(ref.col)]}”"
        except ValueError:
            return f"{ref.row}/{ref.col}"
    try:
        return _t2_name(layout, layout.table2_cell(T2Key(ref.row)))
    except (KeyError, ValueError):
        return ref.row


def _ref_value(report: AnnualReport, ref: CellRef) -> int | Decimal | None:
    try:
        if ref.table is TableId.T3:
            return report.cell(ref.row, ref.col)
        if ref.table is TableId.T4:
            return report.table4_value(ref.row, ref.col)
        return report.table2_value(ref.row)
    except (KeyError, ValueError):
        return None


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _join(items: Sequence[str], limit: int = 6) -> str:
    shown = "、".join(items[:limit])
    return shown + (f"等{len(items)}处" if len(items) > limit else "")
