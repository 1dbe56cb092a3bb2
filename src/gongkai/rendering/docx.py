"""AnnualReport -> DOCX (python-docx), in the layout of an official Chinese government report.

* A4, GB/T 9704 margins; body 三号 (16 pt) 仿宋 at a fixed 28 pt line pitch, section headings
  黑体, title 方正小标宋 二号, run-in heads （一）… 楷体, tables 宋体 五号/小五; page numbers
  "— 1 —" in the footer.
* East Asian fonts are written to ``w:eastAsia`` of ``rPr/rFonts`` (``font.name`` alone only sets
  the Latin fonts). Which names are written depends on the font profile, see
  :mod:`gongkai.rendering.fonts`.
* The statutory tables have real merged cells (``gridSpan`` / ``vMerge``): cells are merged first,
  text is written after (``merge()`` would join texts). Column widths are set on the grid columns
  and on every cell, with a fixed table layout. Header rows repeat on a new page; rows never
  split; each table (each block of table 二) is kept on one page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gongkai.rendering import fonts
from gongkai.rendering.document import Document, Finding, build_document, tidy_spaces
from gongkai.rendering.grid import Grid
from gongkai.rendering.html import RUN_IN_HEAD
from gongkai.statutory.report import AnnualReport

__all__ = ["render_docx"]

BODY_PT = 16.0  # 三号
TITLE_PT = 22.0  # 二号
LINE_PITCH_PT = 28.0
TABLE_PT = {"table2": 10.5, "table3": 9.0, "table4": 9.0}  # 五号 / 小五
NOTE_PT = 8.0
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# --- fonts ------------------------------------------------------------------------------------


def _set_fonts(rpr_parent: Any, east_asia: str, latin: str) -> None:
    """Set Latin and East Asian fonts on a run or style (``w:rFonts``), dropping theme fonts."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    # the language decides which font Word uses for ambiguous characters such as “ ”
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _font_run(
    run: Run, role: str, profile: fonts.FontProfile, size: float, bold: bool = False
) -> None:
    _set_fonts(run._element, fonts.docx_font(role, profile), fonts.ROLES[role].latin)
    run.font.size = Pt(size)
    run.font.bold = bold


def _style_fonts(style: Any, role: str, profile: fonts.FontProfile) -> None:
    _set_fonts(style.element, fonts.docx_font(role, profile), fonts.ROLES[role].latin)


# --- document setup ---------------------------------------------------------------------------


def _setup(doc: DocxDocument, title: str, agency: str, profile: fonts.FontProfile) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)

    normal = doc.styles["Normal"]
    _style_fonts(normal, "body", profile)
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True

    heading = doc.styles["Heading 1"]  # built-in: shows in the navigation pane and PDF outline
    _style_fonts(heading, "heading", profile)
    heading.font.size = Pt(BODY_PT)
    heading.font.bold = False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    hpf = heading.paragraph_format
    hpf.space_before = hpf.space_after = Pt(0)
    hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    hpf.line_spacing = Pt(LINE_PITCH_PT)
    hpf.first_line_indent = Pt(2 * BODY_PT)
    hpf.keep_with_next = True

    props = doc.core_properties
    props.title = title
    props.author = agency
    props.language = "zh-CN"
    props.subject = "政府信息公开工作年度报告"

    # page number "— 1 —" (GB/T 9704), centred in the footer
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font_run(footer.add_run("— "), "table", profile, 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    fld.append(inner)
    footer._p.append(fld)
    _font_run(footer.add_run(" —"), "table", profile, 14)


def _paragraph(doc: DocxDocument, text: str, profile: fonts.FontProfile) -> Paragraph:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    text = tidy_spaces(text)
    m = RUN_IN_HEAD.match(text)
    if m:
        _font_run(p.add_run(text[: m.end()]), "subheading", profile, BODY_PT)
        text = text[m.end() :]
    if text:
        _font_run(p.add_run(text), "body", profile, BODY_PT)
    return p


def _heading(doc: DocxDocument, text: str, profile: fonts.FontProfile) -> Paragraph:
    p = doc.add_paragraph(style="Heading 1")
    _font_run(p.add_run(text), "heading", profile, BODY_PT)
    return p


# --- tables -----------------------------------------------------------------------------------


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _table_width(tbl: Any, mm: float) -> None:
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), _twips(mm))


def _cell_margins(tbl: Any) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side, mm in (("top", 0.6), ("left", 0.8), ("bottom", 0.6), ("right", 0.8)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), _twips(mm))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tbl.tblPr.find(qn("w:tblLook"))  # schema order: … tblLayout, tblCellMar, tblLook
    if look is not None:
        look.addprevious(mar)
    else:
        tbl.tblPr.append(mar)


def add_grid_table(doc: DocxDocument, grid: Grid, profile: fonts.FontProfile) -> Any:
    """Draw ``grid`` as a Word table with merged cells; returns the python-docx table."""
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl  # autofit=False has set <w:tblLayout w:type="fixed"/>
    _table_width(tbl, sum(grid.col_widths_mm))
    _cell_margins(tbl)
    caption = OxmlElement("w:tblCaption")  # alternative text title for screen readers
    caption.set(qn("w:val"), grid.caption)
    tbl.tblPr.append(caption)

    widths = [Mm(w) for w in grid.col_widths_mm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    # fetch all cells once (table.cell() rescans the table), merge, then write
    cells = [list(row.cells) for row in table.rows]
    anchors = {}
    for c in grid.cells:
        anchor = cells[c.row][c.col]
        if c.is_merged:
            anchor = anchor.merge(cells[c.last_row][c.last_col])
        anchors[(c.row, c.col)] = anchor

    size = TABLE_PT.get(grid.key, 10.5)
    for c in grid.cells:
        cell = anchors[(c.row, c.col)]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.alignment = (
            WD_ALIGN_PARAGRAPH.LEFT if c.kind in ("label", "note") else WD_ALIGN_PARAGRAPH.CENTER
        )
        if c.text:
            run = p.add_run(c.text)
            _font_run(
                run,
                "table",
                profile,
                NOTE_PT if c.kind == "note" else size,
                bold=c.kind in ("block", "colhead"),
            )

    # widths on every cell (a merged cell gets the sum of its grid columns)
    for tr in tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(grid.col_widths_mm[col : col + span]))
            col += span

    # repeat header rows, never split a row, keep each table (each block of 二) on one page
    group_starts = set(grid.row_groups)
    for r, tr in enumerate(tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r < grid.head_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        keep = r + 1 < grid.n_rows and (r + 1) not in group_starts
        if keep:
            for tc in tr.tc_lst:
                for p_el in tc.p_lst:
                    Paragraph(p_el, table).paragraph_format.keep_with_next = True
    return table


def _findings(doc: DocxDocument, findings: tuple[Finding, ...], profile: fonts.FontProfile) -> None:
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    _heading(doc, "附：检查结果（不属于年度报告正文）", profile)
    if not findings:
        _paragraph(doc, "未发现问题。", profile)
        return
    head = ("规则", "级别", "位置", "说明")
    widths = (16.0, 14.0, 46.0, 80.0)
    table = doc.add_table(rows=1 + len(findings), cols=4)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    rows = [(f.rule, f.severity_label, f.location, f.message) for f in findings]
    for r, values in enumerate([head, *rows]):
        for c, (value, width) in enumerate(zip(values, widths, strict=True)):
            cell = table.rows[r].cells[c]
            cell.width = Mm(width)
            para = cell.paragraphs[0]
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _font_run(para.add_run(value), "table", profile, 9, bold=r == 0)
    tr_pr = table._tbl.tr_lst[0].get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def document_docx(doc_model: Document, agency: str, profile: fonts.FontProfile) -> bytes:
    doc = new_document()
    _setup(doc, doc_model.title, agency, profile)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)

    for line in doc_model.title_lines:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        p.paragraph_format.keep_with_next = True
        # 方正小标宋 is a heavy face by design; its free stand-in needs bold
        _font_run(p.add_run(line), "title", profile, TITLE_PT, bold=profile == "free")
    doc.add_paragraph()  # one blank line under the title, as in printed reports
    _paragraph(doc, doc_model.intro, profile)

    for section in doc_model.sections:
        _heading(doc, section.heading, profile)
        for text in section.paragraphs:
            _paragraph(doc, text, profile)
        if section.table is not None:
            add_grid_table(doc, section.table, profile)

    if doc_model.signature:
        doc.add_paragraph()
        for line in doc_model.signature:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(2 * BODY_PT)
            _font_run(p.add_run(line), "body", profile, BODY_PT)

    if doc_model.findings is not None:
        _findings(doc, doc_model.findings, profile)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(
    report: AnnualReport,
    findings: Iterable[Any] | None = None,
    *,
    font_profile: fonts.FontProfile = "official",
) -> bytes:
    """The report as a DOCX file (bytes).

    ``font_profile="official"`` writes 仿宋 / 黑体 / 楷体 / 宋体 / 方正小标宋简体 (as installed
    on the Windows/WPS machines where agencies edit reports); ``"free"`` writes the free fonts
    used for the PDF (Noto Serif/Sans CJK SC, AR PL UKai CN).
    """
    if font_profile not in fonts.FONT_PROFILES:
        raise ValueError(f"unknown font profile {font_profile!r}")
    return document_docx(build_document(report, findings), report.agency, font_profile)
