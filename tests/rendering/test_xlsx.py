"""XLSX: one sheet per table with the official merged cells, a findings sheet, an info sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.rendering.document import build_document
from gongkai.rendering.xlsx import (
    SHEET_FINDINGS,
    SHEET_INFO,
    SHEET_TABLES,
    TABLE_TOP_ROW,
    render_xlsx,
)
from gongkai.statutory import formats


@pytest.fixture(scope="module")
def workbook(seed_report):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(seed_report)))


def _ranges(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_sheets(workbook):
    assert workbook.sheetnames == [*SHEET_TABLES.values(), SHEET_FINDINGS, SHEET_INFO]


def test_table3_merged_header_like_the_official_layout(workbook):
    ws = workbook[SHEET_TABLES["table3"]]
    ranges = _ranges(ws)
    # row 1 = section heading; the table starts in row 2
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= ranges
    assert ws["A2"].value == formats.TABLE3_NOTE
    assert ws["D2"].value == formats.TABLE3_HEADER_TOP
    assert ws["E3"].value == formats.TABLE3_ORG_GROUP_LABEL
    assert [ws.cell(row=4, column=c).value for c in range(5, 10)] == [
        c.label for c in formats.TABLE3_COLUMNS if c.in_org_group
    ]
    assert ws["A1"].value == formats.SECTIONS[2].heading
    assert ws["A7"].value == formats.OUTCOME_BAND_LABEL
    assert "A7:A28" in ranges  # 三、本年度办理结果 over 22 rows
    assert {"B9:B16", "B17:B19", "B20:B24", "B25:B27"} <= ranges  # （三）–（六）


def test_every_grid_merge_is_a_sheet_merge(workbook, seed_report):
    doc = build_document(seed_report)
    for grid in doc.tables:
        ws = workbook[SHEET_TABLES[grid.key]]
        ranges = _ranges(ws)
        for cell in grid.merged():
            top = ws.cell(row=TABLE_TOP_ROW + cell.row, column=1 + cell.col).coordinate
            bottom = ws.cell(row=TABLE_TOP_ROW + cell.last_row, column=1 + cell.last_col).coordinate
            assert f"{top}:{bottom}" in ranges, cell.text
        # one extra range: the heading in row 1
        assert len(ranges) == len(grid.merged()) + 1


def test_values_are_numbers(workbook, seed_report):
    ws = workbook[SHEET_TABLES["table3"]]
    for i, values in enumerate(seed_report.table3):
        row = TABLE_TOP_ROW + 3 + i
        assert [ws.cell(row=row, column=c).value for c in range(4, 11)] == list(values)
    ws4 = workbook[SHEET_TABLES["table4"]]
    assert [ws4.cell(row=TABLE_TOP_ROW + 3, column=c).value for c in range(1, 16)] == list(
        seed_report.table4
    )
    assert {"A2:E2", "F2:O2", "F3:J3", "K3:O3", "A3:A4"} <= _ranges(ws4)


def test_table2_sheet(workbook, seed_report):
    ws = workbook[SHEET_TABLES["table2"]]
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    for block in seed_report.layout.table2:
        assert block.caption in values
        for row in block.rows:
            assert row.label in values
    assert "A2:D2" in _ranges(ws)


def test_blank_cells_stay_empty(seed_report):
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(seed_report.with_cell("NEW", "NP", None))))
    assert wb[SHEET_TABLES["table3"]].cell(row=TABLE_TOP_ROW + 3, column=4).value is None


def test_findings_sheet(seed_report, workbook):
    assert workbook[SHEET_FINDINGS]["A2"].value == "未运行检查"
    checks = pytest.importorskip("gongkai.statutory.checks")
    finding = checks.Finding(
        rule="A-03",
        severity=checks.Severity.ERROR,
        message="勾稽关系不平衡",
        location=checks.Location(table=checks.TableId.T3, column="总计"),
    )
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(seed_report, [finding])))
    ws = wb[SHEET_FINDINGS]
    assert [c.value for c in ws[2]] == [
        "A-03",
        "错误",
        f"{formats.SECTIONS[2].heading} · 总计",
        "勾稽关系不平衡",
    ]
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(seed_report, [])))
    assert wb[SHEET_FINDINGS]["A2"].value == "未发现问题"


def test_info_sheet(workbook, seed_report):
    ws = workbook[SHEET_INFO]
    info = {row[0].value: row[1].value for row in ws.iter_rows()}
    assert info["机关"] == seed_report.agency
    assert info["年度"] == seed_report.year
    assert info["统计期限"] == f"{seed_report.year}年1月1日至{seed_report.year}年12月31日"
    assert "757" in info[formats.SECTIONS[0].heading]
