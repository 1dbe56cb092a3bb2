"""AnnualReport -> HTML: a complete printable A4 document, or a fragment for a web page.

The markup follows the official layout: the title, an intro stating the statistics period, the
six sections, and the three statutory tables with their merged header cells (``rowspan`` /
``colspan``), ``<th scope>`` and ``id``/``headers`` links for screen readers, and a ``<caption>``.
No external assets: the stylesheet is inlined (or served by the caller for the fragment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from gongkai.rendering import fonts
from gongkai.rendering.document import Document, Finding, Section, build_document, tidy_spaces
from gongkai.rendering.grid import Cell, Grid
from gongkai.statutory.report import AnnualReport

__all__ = ["RUN_IN_HEAD", "render_html", "render_html_fragment", "stylesheet"]

# "（一）主动公开方面。" at the start of a paragraph: a run-in second-level head (楷体 in GB/T 9704)
RUN_IN_HEAD = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。；！？\n]{1,28}?[。：:]")


@cache
def _base_css() -> str:
    return resources.files("gongkai.rendering").joinpath("report.css").read_text(encoding="utf-8")


def font_css(*, official: bool = True) -> str:
    """Font families for each role (official names first unless ``official`` is False)."""
    return "\n".join(
        [
            f".gk-report {{ font-family: {fonts.BODY.css_stack(official=official)}; }}",
            f".gk-report .gk-title {{ font-family: {fonts.TITLE.css_stack(official=official)}; }}",
            f".gk-report h2 {{ font-family: {fonts.HEADING.css_stack(official=official)}; }}",
            ".gk-report h3, .gk-report .gk-runin "
            f"{{ font-family: {fonts.SUBHEADING.css_stack(official=official)}; }}",
            f".gk-report .gk-table {{ font-family: {fonts.TABLE.css_stack(official=official)}; }}",
        ]
    )


def width_css(grids: Iterable[Grid]) -> str:
    """Column widths of each table, as percentages of the type area."""
    lines = []
    for grid in grids:
        total = sum(grid.col_widths_mm)
        for i, w in enumerate(grid.col_widths_mm, start=1):
            pct = 100 * w / total
            lines.append(f".gk-report .gk-{grid.key} col:nth-child({i}) {{ width: {pct:.3f}%; }}")
    return "\n".join(lines)


def stylesheet(report: AnnualReport | None = None, *, official_fonts: bool = True) -> str:
    """The complete CSS for the report markup (serve it when embedding the fragment)."""
    if report is None:
        from gongkai.statutory.report import empty_report

        report = empty_report("", 2021)
    doc = build_document(report)
    return "\n".join([font_css(official=official_fonts), _base_css(), width_css(doc.tables)])


# --- markup -----------------------------------------------------------------------------------


def _attrs(**attrs: Any) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def _cell_id(prefix: str, grid: Grid, cell: Cell) -> str:
    return f"{prefix}-{grid.key}-r{cell.row}c{cell.col}"


def _headers_of(grid: Grid, cell: Cell, group_start: int) -> list[Cell]:
    """Header cells that describe a value cell: column heads above it, row heads to its left."""
    out = []
    for h in grid.cells:
        if not h.is_header or h.kind == "note":
            continue
        above = h.last_row < cell.row and h.col <= cell.col <= h.last_col and h.row >= group_start
        left = h.row <= cell.row <= h.last_row and h.last_col < cell.col
        if above or left:
            out.append(h)
    return sorted(out, key=lambda h: (h.row, h.col))


def _paragraph(text: str) -> str:
    text = tidy_spaces(text)
    m = RUN_IN_HEAD.match(text)
    if m:
        head, rest = text[: m.end()], text[m.end() :]
        return f'<p><span class="gk-runin">{escape(head)}</span>{escape(rest)}</p>'
    return f"<p>{escape(text)}</p>"


def table_html(grid: Grid, *, prefix: str = "gk") -> str:
    """One statutory table as ``<table>`` with merged cells and accessible headers."""
    rows = grid.rows()
    head = grid.head_rows
    body_starts = sorted({head, *(s for s in grid.row_groups if s >= head)} - {grid.n_rows})
    out = [
        f'<table class="gk-table gk-{grid.key}" id="{prefix}-{grid.key}">',
        f"<caption>{escape(grid.caption)}</caption>",
        "<colgroup>" + "<col>" * grid.n_cols + "</colgroup>",
    ]
    for r, row in enumerate(rows):
        if r == 0 and head:
            out.append("<thead>")
        if r == head and head:
            out.append("</thead>")
        if r in body_starts:
            if r != body_starts[0]:
                out.append("</tbody>")
            out.append("<tbody>")
        group_start = max((s for s in grid.row_groups if s <= r), default=0)
        out.append("<tr>")
        for cell in row:
            span = _attrs(
                rowspan=cell.rowspan if cell.rowspan > 1 else None,
                colspan=cell.colspan if cell.colspan > 1 else None,
            )
            text = escape(cell.text)
            if cell.kind == "value":
                headers = " ".join(
                    _cell_id(prefix, grid, h) for h in _headers_of(grid, cell, group_start)
                )
                out.append(f'<td class="gk-num"{span}{_attrs(headers=headers or None)}>{text}</td>')
            elif cell.kind == "note":
                out.append(f'<td class="gk-note"{span}>{text}</td>')
            else:
                cls = {"block": "gk-block", "colhead": "gk-colhead", "group": "gk-group"}.get(
                    cell.kind, "gk-label"
                )
                ident = _cell_id(prefix, grid, cell)
                out.append(
                    f'<th class="{cls}"{_attrs(id=ident, scope=cell.scope)}{span}>{text}</th>'
                )
        out.append("</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _section_html(section: Section, prefix: str) -> str:
    hid = f"{prefix}-s{section.number}"
    parts = [f'<section class="gk-section" aria-labelledby="{hid}">']
    heading = f'<h2 id="{hid}">{escape(section.heading)}</h2>'
    keep = section.table is not None and not section.paragraphs and section.table.key != "table2"
    if keep:  # keep the heading on the page of its table
        parts.append('<div class="gk-keep">')
    parts.append(heading)
    parts.extend(_paragraph(p) for p in section.paragraphs)
    if section.table is not None:
        parts.append(f'<div class="gk-table-wrap gk-wrap-{section.table.key}">')
        parts.append(table_html(section.table, prefix=prefix))
        parts.append("</div>")
    if keep:
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _findings_html(findings: tuple[Finding, ...], prefix: str) -> str:
    hid = f"{prefix}-findings"
    out = [
        f'<section class="gk-findings" aria-labelledby="{hid}">',
        f'<h2 id="{hid}">附：检查结果（不属于年度报告正文）</h2>',
    ]
    if not findings:
        out.append("<p>未发现问题。</p>")
    else:
        out.append('<table class="gk-table gk-findings-table">')
        out.append("<caption>检查结果</caption>")
        out.append(
            '<thead><tr><th scope="col">规则</th><th scope="col">级别</th>'
            '<th scope="col">位置</th><th scope="col">说明</th></tr></thead><tbody>'
        )
        for f in findings:
            out.append(
                f"<tr><td>{escape(f.rule)}</td>"
                f'<td class="gk-sev-{escape(f.severity)}">{escape(f.severity_label)}</td>'
                f"<td>{escape(f.location)}</td><td>{escape(f.message)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def document_html(doc: Document, *, prefix: str = "gk") -> str:
    """The ``<article>`` holding the whole report."""
    tid = f"{prefix}-title"
    parts = [f'<article class="gk-report" lang="zh-CN" aria-labelledby="{tid}">']
    title = "".join(f"<span>{escape(line)}</span>" for line in doc.title_lines)
    parts.append(f'<h1 class="gk-title" id="{tid}">{title}</h1>')
    parts.append(f'<p class="gk-intro">{escape(doc.intro)}</p>')
    parts.extend(_section_html(s, prefix) for s in doc.sections)
    if doc.signature:
        parts.append('<div class="gk-signature">')
        parts.extend(f"<p>{escape(line)}</p>" for line in doc.signature)
        parts.append("</div>")
    if doc.findings is not None:
        parts.append(_findings_html(doc.findings, prefix))
    parts.append("</article>")
    return "\n".join(parts)


def render_html_fragment(
    report: AnnualReport,
    findings: Iterable[Any] | None = None,
    *,
    include_style: bool = True,
    official_fonts: bool = True,
    prefix: str = "gk",
) -> str:
    """The report as an ``<article class="gk-report">`` to embed in a page.

    With ``include_style=False`` the caller serves :func:`stylesheet` itself (CSP without
    inline styles); ``prefix`` keeps element ids unique when several reports share a page.
    """
    doc = build_document(report, findings)
    body = document_html(doc, prefix=prefix)
    if not include_style:
        return body
    css = "\n".join([font_css(official=official_fonts), _base_css(), width_css(doc.tables)])
    return f"<style>\n{css}\n</style>\n{body}"


def render_html(
    report: AnnualReport,
    findings: Iterable[Any] | None = None,
    *,
    fragment: bool = False,
    official_fonts: bool = True,
    prefix: str = "gk",
) -> str:
    """The report as a complete, self-contained A4 HTML document (or a fragment)."""
    if fragment:
        return render_html_fragment(report, findings, official_fonts=official_fonts, prefix=prefix)
    doc = build_document(report, findings)
    css = "\n".join([font_css(official=official_fonts), _base_css(), width_css(doc.tables)])
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(doc.title)}</title>",
            f'<meta name="author" content="{escape(report.agency, quote=True)}">',
            '<meta name="generator" content="gongkai">',
            f"<style>\n{css}\n</style>",
            "</head>",
            "<body>",
            document_html(doc, prefix=prefix),
            "</body>",
            "</html>",
            "",
        ]
    )
