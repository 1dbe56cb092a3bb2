"""AnnualReport -> plain text in the style of text extracted from a published PDF.

One line per heading and paragraph; in tables, each row's labels and numbers on one line
separated by single spaces (as ``pypdfium2`` extracts a table row), group labels (``三、本年度办理结果``,
``（三）不予公开`` …) on a line of their own before their first row, header labels of a header
row on one line. Used by the reader's round-trip tests: ``read(render_text(r)) == r``.

A blank-in-source cell prints as ``blank`` (default ``—``, one of the placeholders the reader
accepts, spec §2.9), so that the numbers of a row keep their columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.rendering.document import Document, build_document
from gongkai.rendering.grid import Grid
from gongkai.statutory.report import AnnualReport

__all__ = ["BLANK", "grid_text", "render_text"]

BLANK = "—"


def grid_text(grid: Grid, *, blank: str = BLANK) -> list[str]:
    lines = []
    for row in grid.rows():
        labels: list[str] = []
        values: list[str] = []
        for cell in row:
            if cell.kind == "group":
                lines.append(cell.text)  # a rowspan label, printed before its first row
            elif cell.kind == "value":
                values.append(cell.text or blank)
            else:
                labels.append(cell.text)
        line = " ".join([*labels, *values])
        if line:
            lines.append(line)
    return lines


def document_text(doc: Document, *, blank: str = BLANK) -> str:
    out = [*doc.title_lines, "", doc.intro, ""]
    for section in doc.sections:
        out += [section.heading, ""]
        for p in section.paragraphs:
            out += [p, ""]
        if section.table is not None:
            out += [*grid_text(section.table, blank=blank), ""]
    if doc.signature:
        out += [*doc.signature, ""]
    if doc.findings is not None:
        out += ["附：检查结果（不属于年度报告正文）", ""]
        if not doc.findings:
            out.append("未发现问题。")
        for f in doc.findings:
            out.append(f"[{f.rule}] {f.severity_label} {f.location}：{f.message}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_text(
    report: AnnualReport, findings: Iterable[Any] | None = None, *, blank: str = BLANK
) -> str:
    """The report as plain text (UTF-8 string, ``\\n`` line ends)."""
    return document_text(build_document(report, findings), blank=blank)
