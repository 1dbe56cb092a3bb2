"""AnnualReport -> Markdown: headings, paragraphs and one pipe table per statutory table.

Pipe tables cannot merge cells, so the official grid is flattened:

* tables with header rows (三, 四): one header row whose cells join the header labels above each
  column (``法人或其他组织／商业企业``); the row labels (group labels and the row's own label)
  are joined in the first column (``三、本年度办理结果／（三）不予公开／1.属于国家秘密``);
* table 二 (blocks with different headers): the grid row by row, a spanned cell's text in its
  first column, the block captions in bold.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.rendering.document import Document, build_document
from gongkai.rendering.grid import Grid
from gongkai.statutory.report import AnnualReport

__all__ = ["grid_markdown", "render_markdown"]

JOIN = "／"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_esc(c) for c in cells) + " |"


def _rule(n: int, first_left: bool) -> str:
    aligns = [":---" if (i == 0 and first_left) else "---:" for i in range(n)]
    return "| " + " | ".join(aligns) + " |"


def _flat(grid: Grid) -> list[str]:
    rows = []
    for r in range(grid.n_rows):
        line = []
        for c in range(grid.n_cols):
            cell = grid.anchor_at(r, c)
            if cell is None or (cell.row, cell.col) != (r, c):
                line.append("")
            elif cell.kind == "block":
                line.append(f"**{cell.text}**")
            else:
                line.append(cell.text)
        rows.append(line)
    header, body = rows[0], rows[1:]
    return [_row(header), _rule(grid.n_cols, True), *(_row(r) for r in body)]


def _headed(grid: Grid) -> list[str]:
    label_cols = min(grid.numeric_cols) if grid.numeric_cols else 0
    header: list[str] = []
    if label_cols:
        note = grid.anchor_at(0, 0)
        header.append(note.text if note is not None else "")
    for c in range(label_cols, grid.n_cols):
        parts = []
        for r in range(grid.head_rows):
            cell = grid.anchor_at(r, c)
            if cell is not None and cell.text and cell.text not in parts:
                parts.append(cell.text)
        header.append(JOIN.join(parts))
    lines = [_row(header), _rule(len(header), bool(label_cols))]
    for r in range(grid.head_rows, grid.n_rows):
        labels = []
        for c in range(label_cols):
            cell = grid.anchor_at(r, c)
            if cell is not None and cell.text and cell.text not in labels:
                labels.append(cell.text)
        values = []
        for c in range(label_cols, grid.n_cols):
            cell = grid.anchor_at(r, c)
            values.append(cell.text if cell is not None else "")
        lines.append(_row(([JOIN.join(labels)] if label_cols else []) + values))
    return lines


def grid_markdown(grid: Grid) -> str:
    return "\n".join(_headed(grid) if grid.head_rows else _flat(grid))


def document_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", "", doc.intro, ""]
    for section in doc.sections:
        out += [f"## {section.heading}", ""]
        for p in section.paragraphs:
            out += [p, ""]
        if section.table is not None:
            out += [grid_markdown(section.table), ""]
    if doc.signature:
        out += [
            '<div align="right">',
            "",
            *(f"{line}  " for line in doc.signature),
            "",
            "</div>",
            "",
        ]
    if doc.findings is not None:
        out += ["## 附：检查结果（不属于年度报告正文）", ""]
        if not doc.findings:
            out += ["未发现问题。", ""]
        else:
            out += [_row(("规则", "级别", "位置", "说明")), "| --- | --- | --- | --- |"]
            out += [_row((f.rule, f.severity_label, f.location, f.message)) for f in doc.findings]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_markdown(report: AnnualReport, findings: Iterable[Any] | None = None) -> str:
    """The report as Markdown (GitHub-flavoured pipe tables)."""
    return document_markdown(build_document(report, findings))
