"""Findings of an audit as an XLSX workbook, the raw material of the office's circular (通报).

Sheets: 审查汇总 (one row per report), 问题清单 (one row per finding), 按规则统计 (how many
reports break each rule) and, when known, 未报送 (registered bodies without a report).
Pure Python (openpyxl), no Django.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.oversight.engine import (
    ALL_RULES,
    SEVERITY_ZH,
    AuditRow,
    location_label,
    rule_title,
)

__all__ = [
    "SHEET_FINDINGS",
    "SHEET_MISSING",
    "SHEET_RULES",
    "SHEET_SUMMARY",
    "findings_workbook",
    "rule_counts",
]

SHEET_SUMMARY = "审查汇总"
SHEET_FINDINGS = "问题清单"
SHEET_RULES = "按规则统计"
SHEET_MISSING = "未报送"

SUMMARY_HEADER = (
    "序号",
    "机关",
    "文件",
    "报告年度",
    "格式版本",
    "发布日期",
    "发布期限",
    "逾期天数",
    "能否读取",
    "无法读取的原因",
    "错误",
    "警告",
    "提示",
    "涉及规则",
    "上年报告",
    "备注",
)
FINDINGS_HEADER = (
    "序号",
    "机关",
    "文件",
    "报告年度",
    "规则",
    "规则名称",
    "严重程度",
    "位置",
    "问题说明",
)
RULES_HEADER = ("规则", "规则名称", "默认严重程度", "涉及报告数", "问题条数", "涉及机关")

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_ERR_FILL = PatternFill("solid", fgColor="F8CBAD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _header(ws: Worksheet, header: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(header))
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"


def _date(value: date | None) -> date | None:
    return value


def rule_counts(rows: Sequence[AuditRow]) -> list[tuple[str, int, int, list[str]]]:
    """(rule, reports breaking it, findings, agencies) in catalogue order."""
    order = {rule_id: i for i, rule_id in enumerate(ALL_RULES)}
    by_rule: dict[str, tuple[set[int], int, list[str]]] = {}
    for index, row in enumerate(rows):
        for f in row.findings:
            reports, n, agencies = by_rule.get(f.rule, (set(), 0, []))
            if index not in reports:
                reports.add(index)
                agencies.append(row.agency or row.file)
            by_rule[f.rule] = (reports, n + 1, agencies)
    return [
        (rule, len(reports), n, agencies)
        for rule, (reports, n, agencies) in sorted(
            by_rule.items(), key=lambda kv: order.get(kv[0], len(order))
        )
    ]


def findings_workbook(
    rows: Sequence[AuditRow],
    *,
    title: str = "政府信息公开工作年度报告审查结果",
    missing: Sequence[str] = (),
) -> bytes:
    """The workbook (bytes) with one summary row per report and one row per finding."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_SUMMARY
    _header(ws, SUMMARY_HEADER, (6, 30, 30, 9, 9, 12, 12, 9, 9, 40, 6, 6, 6, 24, 24, 30))
    for i, row in enumerate(rows, start=1):
        ws.append(
            [
                i,
                row.agency,
                row.file,
                row.year,
                row.format_version,
                _date(row.published_on),
                _date(row.deadline),
                row.late_days,
                "是" if row.readable else "否",
                row.error,
                row.errors,
                row.warnings,
                row.infos,
                "、".join(row.rules),
                row.previous,
                "；".join(row.notes),
            ]
        )
        r = ws.max_row
        for col in (6, 7):
            ws.cell(row=r, column=col).number_format = "yyyy-mm-dd"
        if not row.readable or row.errors:
            ws.cell(row=r, column=9 if not row.readable else 11).fill = _ERR_FILL
    ws.cell(row=ws.max_row + 2, column=1, value=title).font = _BOLD

    wf = wb.create_sheet(SHEET_FINDINGS)
    _header(wf, FINDINGS_HEADER, (6, 30, 30, 9, 7, 24, 9, 36, 80))
    n = 0
    for row in rows:
        if not row.readable:
            n += 1
            wf.append([n, row.agency, row.file, row.year, "", "无法读取", "错误", "", row.error])
            wf.cell(row=wf.max_row, column=9).alignment = _WRAP
            continue
        for f in row.findings:
            n += 1
            wf.append(
                [
                    n,
                    row.agency,
                    row.file,
                    row.year,
                    f.rule,
                    rule_title(f.rule),
                    SEVERITY_ZH.get(str(f.severity), str(f.severity)),
                    location_label(f.location),
                    f.message,
                ]
            )
            wf.cell(row=wf.max_row, column=9).alignment = _WRAP

    wr = wb.create_sheet(SHEET_RULES)
    _header(wr, RULES_HEADER, (7, 30, 12, 11, 9, 80))
    for rule, reports, count, agencies in rule_counts(rows):
        spec = ALL_RULES.get(rule)
        wr.append(
            [
                rule,
                rule_title(rule),
                SEVERITY_ZH.get(str(spec.severity), "") if spec else "",
                reports,
                count,
                "、".join(agencies),
            ]
        )
        wr.cell(row=wr.max_row, column=6).alignment = _WRAP

    if missing:
        wm = wb.create_sheet(SHEET_MISSING)
        _header(wm, ("序号", "应报送而未报送的机关"), (6, 40))
        for i, name in enumerate(missing, start=1):
            wm.append([i, name])

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
