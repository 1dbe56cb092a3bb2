"""Hand-built documents in the official table layout (independent of ``gongkai.rendering``):
HTML with rowspan/colspan and site chrome, DOCX with merged cells."""

from __future__ import annotations

import io
from html import escape

from gongkai.statutory.formats import (
    OUTCOME_BAND_LABEL,
    SECTIONS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    RowKind,
)
from gongkai.statutory.report import AnnualReport


def _v(value: object) -> str:
    return "" if value is None else str(value)


def table3_rows(report: AnnualReport) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan) cells in the official table-三 layout."""
    layout = report.layout
    out: list[list[tuple[str, int, int]]] = [
        [(TABLE3_NOTE, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(c.label, 1, 1) for c in TABLE3_COLUMNS[1:6]],
    ]
    band_rows = [r for r in layout.table3_rows if r.band]
    seen_groups: set[str] = set()
    for row in layout.table3_rows:
        cells: list[tuple[str, int, int]] = []
        values = [(_v(v), 1, 1) for v in report.row(row.key)]
        if row.kind in (RowKind.INTAKE, RowKind.CARRY_OUT):
            cells.append((row.label, 1, 3))
        else:
            if row is band_rows[0]:
                cells.append((OUTCOME_BAND_LABEL, len(band_rows), 1))
            if row.group_label:
                if row.group_label not in seen_groups:
                    seen_groups.add(row.group_label)
                    size = sum(1 for r in layout.table3_rows if r.group_label == row.group_label)
                    cells.append((row.group_label, size, 1))
                cells.append((row.label, 1, 1))
            else:
                cells.append((row.label, 1, 2))
        out.append(cells + values)
    return out


def report_html(report: AnnualReport, *, chrome: bool = True) -> str:
    """A government-portal page: navigation chrome around the report."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告</title>",
        "<style>td{border:1px solid #000}</style></head><body>",
    ]
    if chrome:
        parts.append(
            "<div class='nav'>首页 | 政务公开 | <a href='#'>2023年政府信息公开工作年度报告</a>"
            " | 微信 微博 QQ空间</div><div class='crumb'>当前位置：首页 &gt; 信息公开年报</div>"
        )
    parts.append(f"<h1>{escape(report.agency)}{report.year}年政府信息公开工作年度报告</h1>")
    parts.append(
        f"<p>本报告所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。</p>"
    )
    for spec in SECTIONS:
        parts.append(f"<h2>{escape(spec.heading)}</h2>")
        if spec.number == 2:
            parts.append(_table2_html(report))
        elif spec.number == 3:
            parts.append(_grid_html(table3_rows(report)))
        elif spec.number == 4:
            parts.append(_table4_html(report))
        else:
            parts.append(f"<p>{escape(report.section(spec.number) or '本部分正文。')}</p>")
    if chrome:
        parts.append(
            "<div class='footer'>主办单位：某某人民政府办公室 网站标识码 1234567890 附件下载</div>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def _grid_html(rows: list[list[tuple[str, int, int]]]) -> str:
    html = ["<table>"]
    for row in rows:
        html.append("<tr>")
        for text, rs, cs in row:
            attrs = (f" rowspan='{rs}'" if rs > 1 else "") + (f" colspan='{cs}'" if cs > 1 else "")
            html.append(f"<td{attrs}>{escape(text)}</td>")
        html.append("</tr>")
    html.append("</table>")
    return "".join(html)


def _table2_html(report: AnnualReport) -> str:
    rows: list[list[tuple[str, int, int]]] = []
    for block in report.layout.table2:
        rows.append([(block.caption, 1, 4)])
        span = 4 - len(block.header) + 1
        rows.append(
            [
                (h, 1, span if i == len(block.header) - 1 and span > 1 else 1)
                for i, h in enumerate(block.header)
            ]
        )
        for row in block.rows:
            cells = [(row.label, 1, 1)]
            for cell in row.cells:
                cells.append(
                    (
                        _v(report.table2_value(cell.key)),
                        1,
                        4 - len(row.cells) if len(row.cells) == 1 else 1,
                    )
                )
            rows.append(cells)
    return _grid_html(rows)


def _table4_html(report: AnnualReport) -> str:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(r, 2, 1) for r in results], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(r, 1, 1) for r in results * 2],
        [(_v(v), 1, 1) for v in report.table4],
    ]
    return _grid_html(rows)


def report_docx(report: AnnualReport, *, with_tables: bool = True) -> bytes:
    """A DOCX with the three tables as Word tables with merged cells."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(f"{report.agency}{report.year}年政府信息公开工作年度报告")
    doc.add_paragraph(f"本报告所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。")
    for spec in SECTIONS:
        doc.add_paragraph(spec.heading)
        if with_tables and spec.number == 3:
            _docx_grid(doc, table3_rows(report))
        elif with_tables and spec.number == 4:
            results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            _docx_grid(
                doc,
                [
                    [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
                    [
                        *[(r, 2, 1) for r in results],
                        ("未经复议直接起诉", 1, 5),
                        ("复议后起诉", 1, 5),
                    ],
                    [(r, 1, 1) for r in results * 2],
                    [(_v(v), 1, 1) for v in report.table4],
                ],
            )
        elif with_tables and spec.number == 2:
            for block in report.layout.table2:
                doc.add_paragraph(block.caption)
                t = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
                for i, h in enumerate(block.header):
                    t.cell(0, i).text = h
                for r, row in enumerate(block.rows, start=1):
                    t.cell(r, 0).text = row.label
                    for c, cell in enumerate(row.cells, start=1):
                        t.cell(r, c).text = _v(report.table2_value(cell.key))
        else:
            doc.add_paragraph(report.section(spec.number) or "本部分正文。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_grid(doc: object, rows: list[list[tuple[str, int, int]]]) -> None:
    n_cols = max(sum(cs for _, _, cs in rows[-1]) for _ in [0])
    table = doc.add_table(rows=len(rows), cols=n_cols)  # type: ignore[attr-defined]
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in occupied:
                c += 1
            cell = table.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            cell.text = text
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((r + dr, c + dc))
            c += cs
