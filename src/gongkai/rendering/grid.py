"""Renderer-neutral table grids: every statutory table as positioned cells with row/column spans.

HTML, DOCX, XLSX, Markdown and plain text all draw the same :class:`Grid`, so the merged header
cells of the official layout (spec §1.4–§1.6) are decided once, here. The builders take plain
label data; :mod:`gongkai.rendering.document` feeds them from ``gongkai.statutory.formats``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

CellKind = Literal["block", "colhead", "note", "group", "label", "value"]
Scope = Literal["col", "colgroup", "row", "rowgroup"]
Value = int | Decimal | str | None

# The type area of an A4 page in GB/T 9704 layout is 156 mm wide.
TYPE_AREA_MM = 156.0


@dataclass(frozen=True)
class Cell:
    """One cell anchored at (row, col), covering ``rowspan`` x ``colspan`` grid positions."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: CellKind = "value"
    scope: Scope | None = None
    key: str = ""  # for value cells: "<row key>/<column index>" (stable, for tests and tooltips)

    @property
    def is_header(self) -> bool:
        return self.kind != "value"

    @property
    def is_merged(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Grid:
    """A statutory table laid out on a rectangular grid."""

    key: str  # "table2" | "table3" | "table4"
    caption: str
    n_rows: int
    n_cols: int
    head_rows: int  # leading rows repeated on each page (<thead>)
    cells: tuple[Cell, ...]
    col_widths_mm: tuple[float, ...]
    row_groups: tuple[int, ...] = ()  # first row of each <tbody> after the head (empty: one)
    numeric_cols: frozenset[int] = field(default_factory=frozenset)

    def rows(self) -> list[list[Cell]]:
        """Cells by the row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    def merged(self) -> list[Cell]:
        return [c for c in self.cells if c.is_merged]

    def anchor_at(self, row: int, col: int) -> Cell | None:
        """The cell covering (row, col)."""
        for c in self.cells:
            if c.row <= row <= c.last_row and c.col <= col <= c.last_col:
                return c
        return None

    def labels(self) -> list[str]:
        return [c.text for c in self.cells if c.is_header and c.text]

    def values(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "value"]

    def validate(self) -> None:
        """Every grid position is covered by exactly one cell (raises ``ValueError`` if not)."""
        seen: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if not (0 <= r < self.n_rows and 0 <= k < self.n_cols):
                        raise ValueError(f"{self.key}: cell {c.text!r} leaves the grid")
                    if (r, k) in seen:
                        raise ValueError(f"{self.key}: ({r},{k}) covered twice")
                    seen[(r, k)] = c
        missing = self.n_rows * self.n_cols - len(seen)
        if missing:
            raise ValueError(f"{self.key}: {missing} grid positions not covered")
        if len(self.col_widths_mm) != self.n_cols:
            raise ValueError(f"{self.key}: {len(self.col_widths_mm)} widths for {self.n_cols} cols")


def format_value(value: Value) -> str:
    """The text of a value cell: blank stays blank, decimals keep their digits, no exponent."""
    if value is None:
        return ""
    if isinstance(value, bool):  # pragma: no cover - defensive, bool is an int
        return str(int(value))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _scale(widths: Sequence[float]) -> tuple[float, ...]:
    total = sum(widths)
    return tuple(round(w * TYPE_AREA_MM / total, 2) for w in widths)


# --- Table 二 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Block:
    caption: str  # 第二十条第（一）项
    header: tuple[str, ...]  # 信息内容, then one label per value column
    rows: tuple[tuple[str, tuple[Value, ...]], ...]  # (row label, values)
    key: str = ""


def table2_grid(caption: str, blocks: Sequence[Table2Block]) -> Grid:
    """Table 二: one caption row per block spanning all columns, then its header and rows.

    Blocks with fewer value columns than the widest one stretch their last value cell
    (spec §1.4: "the single value cell spans the three value columns of block 一").
    """
    n_cols = max(len(b.header) for b in blocks)
    cells: list[Cell] = []
    groups: list[int] = []
    r = 0
    for b in blocks:
        groups.append(r)
        cells.append(Cell(b.caption, r, 0, colspan=n_cols, kind="block", scope="rowgroup"))
        r += 1
        spans = _stretch(len(b.header), n_cols)
        col = 0
        for text, span in zip(b.header, spans, strict=True):
            cells.append(Cell(text, r, col, colspan=span, kind="colhead", scope="col"))
            col += span
        r += 1
        for label, values in b.rows:
            if len(values) != len(b.header) - 1:
                raise ValueError(f"{b.caption} {label}: {len(values)} values")
            cells.append(Cell(label, r, 0, kind="label", scope="row"))
            col = 1
            for i, (value, span) in enumerate(zip(values, spans[1:], strict=True)):
                key = f"{b.key or b.caption}/{label}/{i}"
                cells.append(Cell(format_value(value), r, col, colspan=span, key=key))
                col += span
            r += 1
    widths = _scale([46.0] + [110.0 / (n_cols - 1)] * (n_cols - 1))
    grid = Grid(
        key="table2",
        caption=caption,
        n_rows=r,
        n_cols=n_cols,
        head_rows=0,
        cells=tuple(cells),
        col_widths_mm=widths,
        row_groups=tuple(groups),
        numeric_cols=frozenset(range(1, n_cols)),
    )
    grid.validate()
    return grid


def _stretch(n: int, n_cols: int) -> list[int]:
    spans = [1] * n
    spans[-1] += n_cols - n
    return spans


# --- Table 三 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table3Row:
    key: str
    label: str
    groups: tuple[str, ...] = ()  # rowspan group labels, outermost first
    values: tuple[Value, ...] = ()


def table3_grid(
    caption: str,
    *,
    note: str,
    header_top: str,
    columns: Sequence[str],
    column_group: str,
    column_group_members: Sequence[str],
    rows: Sequence[Table3Row],
) -> Grid:
    """Table 三 with the official three header rows (spec §1.5).

    Header: the 勾稽 note (rowspan 3 x colspan 3) | ``header_top`` (colspan = number of value
    columns); then each column either alone (rowspan 2) or under ``column_group`` (colspan =
    members); then the members. Body: row labels indented by their groups, each group label a
    rowspan cell over its rows; no subtotal rows.
    """
    depth = max((len(r.groups) for r in rows), default=0)
    n_label = depth + 1
    n_val = len(columns)
    n_cols = n_label + n_val
    members = list(column_group_members)
    first = next(i for i, c in enumerate(columns) if c in members)
    if columns[first : first + len(members)] != members:
        raise ValueError("column group members must be adjacent columns")
    cells: list[Cell] = [
        Cell(note, 0, 0, rowspan=3, colspan=n_label, kind="note"),
        Cell(header_top, 0, n_label, colspan=n_val, kind="colhead", scope="colgroup"),
    ]
    col = n_label
    i = 0
    while i < n_val:
        if i == first:
            cells.append(
                Cell(column_group, 1, col, colspan=len(members), kind="colhead", scope="colgroup")
            )
            for j, m in enumerate(members):
                cells.append(Cell(m, 2, col + j, kind="colhead", scope="col"))
            col += len(members)
            i += len(members)
        else:
            cells.append(Cell(columns[i], 1, col, rowspan=2, kind="colhead", scope="col"))
            col += 1
            i += 1
    head = 3
    # group label cells: runs of consecutive rows sharing the same group prefix
    for level in range(depth):
        start = 0
        while start < len(rows):
            g = rows[start].groups[: level + 1]
            if len(g) <= level:
                start += 1
                continue
            end = start
            while end + 1 < len(rows) and rows[end + 1].groups[: level + 1] == g:
                end += 1
            cells.append(
                Cell(
                    g[level],
                    head + start,
                    level,
                    rowspan=end - start + 1,
                    kind="group",
                    scope="row",
                )
            )
            start = end + 1
    for idx, row in enumerate(rows):
        if len(row.values) != n_val:
            raise ValueError(f"{row.label}: {len(row.values)} values, expected {n_val}")
        lvl = len(row.groups)
        r = head + idx
        cells.append(Cell(row.label, r, lvl, colspan=n_label - lvl, kind="label", scope="row"))
        for j, v in enumerate(row.values):
            cells.append(Cell(format_value(v), r, n_label + j, key=f"{row.key}/{j}"))
    label_widths = [13.0, 16.0, 49.0] if n_label == 3 else [16.0] * (n_label - 1) + [62.0]
    widths = _scale(label_widths + [78.0 / n_val] * n_val)
    grid = Grid(
        key="table3",
        caption=caption,
        n_rows=head + len(rows),
        n_cols=n_cols,
        head_rows=head,
        cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))),
        col_widths_mm=widths,
        numeric_cols=frozenset(range(n_label, n_cols)),
    )
    grid.validate()
    return grid


# --- Table 四 -------------------------------------------------------------------------------------


def table4_grid(
    caption: str,
    *,
    review: str,
    litigation: str,
    litigation_groups: Sequence[str],
    results: Sequence[str],
    values: Sequence[Value],
) -> Grid:
    """Table 四 (spec §1.6): 行政复议 (colspan 5) | 行政诉讼 (colspan 10); the review results rowspan
    2 beside the two litigation sub-groups (colspan 5 each); their results; one row of 15 values."""
    n = len(results)
    n_cols = n * (1 + len(litigation_groups))
    if len(values) != n_cols:
        raise ValueError(f"table 四: {len(values)} values, expected {n_cols}")
    cells: list[Cell] = [
        Cell(review, 0, 0, colspan=n, kind="colhead", scope="colgroup"),
        Cell(litigation, 0, n, colspan=n_cols - n, kind="colhead", scope="colgroup"),
    ]
    for j, res in enumerate(results):
        cells.append(Cell(res, 1, j, rowspan=2, kind="colhead", scope="col"))
    for g, group in enumerate(litigation_groups):
        base = n * (g + 1)
        cells.append(Cell(group, 1, base, colspan=n, kind="colhead", scope="colgroup"))
        for j, res in enumerate(results):
            cells.append(Cell(res, 2, base + j, kind="colhead", scope="col"))
    for j, v in enumerate(values):
        cells.append(Cell(format_value(v), 3, j, key=f"table4/{j}"))
    grid = Grid(
        key="table4",
        caption=caption,
        n_rows=4,
        n_cols=n_cols,
        head_rows=3,
        cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))),
        col_widths_mm=_scale([1.0] * n_cols),
        numeric_cols=frozenset(range(n_cols)),
    )
    grid.validate()
    return grid
