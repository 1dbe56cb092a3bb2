"""DOCX: A4, real merged cells, East Asian fonts, column widths, every statutory label."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.rendering import fonts
from gongkai.rendering.document import build_document
from gongkai.rendering.docx import render_docx
from gongkai.statutory import formats
from gongkai.statutory.report import empty_report

from .labels import statutory_labels


@pytest.fixture(scope="module")
def document(seed_report):
    return docx.Document(io.BytesIO(render_docx(seed_report)))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for tr in table._tbl.tr_lst:
            for tc in tr.tc_lst:
                parts.append("".join(t.text or "" for t in tc.iter(qn("w:t"))))
    return "\n".join(parts)


def _merges(table):
    """(grid row, grid col, gridSpan, vMerge) of every <w:tc>."""
    out = []
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            out.append((r, c, tc.grid_span, tc.vMerge))
            c += tc.grid_span
    return out


def test_a4_page(document):
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_every_statutory_label_is_present(document, seed_report):
    text = _all_text(document)
    missing = [label for label in statutory_labels(seed_report.layout) if label not in text]
    assert missing == []


def test_three_tables_with_the_grid_merges(document, seed_report):
    doc = build_document(seed_report)
    assert len(document.tables) == 3
    for table, grid in zip(document.tables, doc.tables, strict=True):
        merges = _merges(table)
        for cell in grid.cells:
            # the anchor carries gridSpan = colspan and starts a vertical merge if rowspan > 1
            anchor = next(m for m in merges if m[0] == cell.row and m[1] == cell.col)
            assert anchor[2] == cell.colspan, cell.text
            assert anchor[3] == ("restart" if cell.rowspan > 1 else None), cell.text
            for r in range(cell.row + 1, cell.last_row + 1):
                cont = next(m for m in merges if m[0] == r and m[1] == cell.col)
                assert cont[2] == cell.colspan and cont[3] == "continue"


def test_table3_merged_regions(document):
    merges = _merges(document.tables[1])
    assert (0, 0, 3, "restart") in merges  # 勾稽 note: 3 x 3
    assert (0, 3, 7, None) in merges  # 申请人情况
    assert (1, 3, 1, "restart") in merges  # 自然人
    assert (1, 4, 5, None) in merges  # 法人或其他组织
    assert (1, 9, 1, "restart") in merges  # 总计
    assert (5, 0, 1, "restart") in merges  # 三、本年度办理结果
    restarts_col1 = [m for m in merges if m[1] == 1 and m[3] == "restart"]
    assert [m[0] for m in restarts_col1] == [7, 15, 18, 23]  # （三）（四）（五）（六）
    table4 = _merges(document.tables[2])
    assert (0, 0, 5, None) in table4 and (0, 5, 10, None) in table4


def test_text_written_once_after_merging(document):
    table = document.tables[1]
    note = table._tbl.tr_lst[0].tc_lst[0]
    assert "".join(t.text for t in note.iter(qn("w:t"))) == formats.TABLE3_NOTE
    assert len(note.findall(qn("w:p"))) == 1


def test_column_widths_on_columns_and_cells(document, seed_report):
    grid = build_document(seed_report).table("table3")
    table = document.tables[1]
    got = [round(col.width.mm, 1) for col in table.columns]
    assert got == [round(w, 1) for w in grid.col_widths_mm]
    for tr in table._tbl.tr_lst:
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            assert abs(tc.width.mm - sum(grid.col_widths_mm[c : c + span])) < 0.2
            c += span


def _east_asia_fonts(document) -> set[str]:
    found = set()
    for rfonts in document.element.body.iter(qn("w:rFonts")):
        if rfonts.get(qn("w:eastAsia")):
            found.add(rfonts.get(qn("w:eastAsia")))
    return found


def test_east_asian_fonts_official_profile(document):
    used = _east_asia_fonts(document)
    for role in ("title", "heading", "body", "table"):
        assert fonts.docx_font(role, "official") in used
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == fonts.docx_font("body", "official")


def test_east_asian_fonts_free_profile(seed_report):
    document = docx.Document(io.BytesIO(render_docx(seed_report, font_profile="free")))
    used = _east_asia_fonts(document)
    assert used <= {r.free[0] for r in fonts.ROLES.values()}
    assert fonts.HEADING.free[0] in used and fonts.BODY.free[0] in used


def test_headings_use_heading_style(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in formats.SECTIONS]


def test_header_rows_repeat(document):
    for table, head in zip(document.tables[1:], (3, 3), strict=True):
        rows = table._tbl.tr_lst
        flags = [r.trPr is not None and r.trPr.find(qn("w:tblHeader")) is not None for r in rows]
        assert flags[:head] == [True] * head and not any(flags[head:])


def test_2019_report_renders():
    document = docx.Document(io.BytesIO(render_docx(empty_report("某局", 2019))))
    assert len(document.tables) == 3
    assert len(document.tables[1]._tbl.tr_lst) == 3 + 23


def test_unknown_font_profile(seed_report):
    with pytest.raises(ValueError):
        render_docx(seed_report, font_profile="comic")
