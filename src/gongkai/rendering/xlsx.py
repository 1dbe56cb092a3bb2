"""AnnualReport -> XLSX (openpyxl): 表二, 表三, 表四 in the official layout, 检查结果, 报告信息.

Each table sheet has the section heading in row 1 and the table from row 2, with the merged
header cells of the official layout, thin borders, wrapped and centred text, column widths
proportional to the printed ones, numbers stored as numbers (blank source cells stay empty),
and A4 print settings.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.rendering import fonts
from gongkai.rendering.document import Document, build_document, period_phrase
from gongkai.rendering.grid import Grid
from gongkai.statutory.report import AnnualReport

__all__ = ["SHEET_FINDINGS", "SHEET_INFO", "SHEET_TABLES", "TABLE_TOP_ROW", "render_xlsx"]

SHEET_TABLES = {"table2": "表二", "table3": "表三", "table4": "表四"}
SHEET_FINDINGS = "检查结果"
SHEET_INFO = "报告信息"
TABLE_TOP_ROW = 2  # sheet row of the grid's first row (row 1 holds the section heading)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = fonts.docx_font("table", "official")  # Excel users have 宋体; LibreOffice substitutes


def _number(text: str) -> Any:
    """Keep numbers numeric in the sheet; the grid has the printed text."""
    if text == "":
        return None
    try:
        if "." in text:
            return Decimal(text)
        return int(text)
    except (ValueError, ArithmeticError):
        return text


def _write_grid(ws: Worksheet, grid: Grid, heading: str) -> None:
    ws.cell(row=1, column=1, value=heading).font = Font(name=_FONT, bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.n_cols)
    top = TABLE_TOP_ROW
    # border every grid position first: merged ranges only show the borders of their cells
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            ws.cell(row=top + r, column=1 + c).border = _BORDER
    for cell in grid.cells:
        target = ws.cell(row=top + cell.row, column=1 + cell.col)
        if cell.kind == "value":
            target.value = _number(cell.text)
            target.number_format = "General"
        else:
            target.value = cell.text
        target.font = Font(
            name=_FONT,
            size=9 if cell.kind == "note" else 10.5,
            bold=cell.kind in ("block", "colhead"),
        )
        target.alignment = Alignment(
            horizontal="left" if cell.kind in ("label", "note") else "center",
            vertical="center",
            wrap_text=True,
        )
        if cell.kind == "block":
            target.fill = _HEAD_FILL
        if cell.is_merged:
            ws.merge_cells(
                start_row=top + cell.row,
                start_column=1 + cell.col,
                end_row=top + cell.last_row,
                end_column=1 + cell.last_col,
            )
    for i, mm in enumerate(grid.col_widths_mm, start=1):
        # ~1.9 mm per width unit; a CJK character is about 2 units wide
        ws.column_dimensions[get_column_letter(i)].width = max(5.0, round(mm / 1.9 * 1.25, 1))
    if grid.head_rows:
        ws.freeze_panes = ws.cell(row=top + grid.head_rows, column=1)
        ws.print_title_rows = f"{top}:{top + grid.head_rows - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.n_cols > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _write_findings(ws: Worksheet, doc: Document) -> None:
    head = ("规则", "级别", "位置", "说明")
    for c, text in enumerate(head, start=1):
        cell = ws.cell(row=1, column=c, value=text)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
    if doc.findings is None:
        ws.cell(row=2, column=1, value="未运行检查")
    elif not doc.findings:
        ws.cell(row=2, column=1, value="未发现问题")
    else:
        for r, f in enumerate(doc.findings, start=2):
            for c, text in enumerate((f.rule, f.severity_label, f.location, f.message), start=1):
                cell = ws.cell(row=r, column=c, value=text)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = _BORDER
        ws.auto_filter.ref = f"A1:D{len(doc.findings) + 1}"
    for letter, width in zip("ABCD", (10, 8, 40, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _write_info(ws: Worksheet, report: AnnualReport, doc: Document) -> None:
    fees = report.processing_fees
    rows: list[tuple[str, Any]] = [
        ("标题", doc.title),
        ("机关", report.agency),
        ("年度", report.year),
        ("报告格式", f"{report.format_version.value}年版"),
        ("统计期限", period_phrase(report)),
        ("发布日期", report.published_on),
        ("收费通知件数", fees.notices if fees else None),
        ("通知收费金额（元）", fees.amount_notified_yuan if fees else None),
        ("实际收取金额（元）", fees.amount_collected_yuan if fees else None),
    ]
    for section in doc.sections:
        rows.append((section.heading, "\n".join(section.paragraphs) or None))
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=key).font = Font(name=_FONT, bold=True)
        cell = ws.cell(row=r, column=2, value=value)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if hasattr(value, "isoformat"):
            cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100


def render_xlsx(report: AnnualReport, findings: Iterable[Any] | None = None) -> bytes:
    """The report as an XLSX workbook (bytes). Without ``findings`` the 检查结果 sheet says
    that no check was run."""
    doc = build_document(report, findings)
    wb = Workbook()
    first = True
    for section in doc.sections:
        if section.table is None:
            continue
        title = SHEET_TABLES[section.table.key]
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = title
        first = False
        _write_grid(ws, section.table, section.heading)
    _write_findings(wb.create_sheet(SHEET_FINDINGS), doc)
    _write_info(wb.create_sheet(SHEET_INFO), report, doc)
    wb.properties.title = doc.title
    wb.properties.creator = report.agency
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
