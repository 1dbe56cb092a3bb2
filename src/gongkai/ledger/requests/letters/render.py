"""A frozen ``Letter`` → DOCX (python-docx) and PDF (WeasyPrint), in government letter layout.

Layout after GB/T 9704-2012 practice: A4, margins 37/35/28/26 mm; title in 小标宋 二号 centred;
the document number centred under it; addressee flush left; body 仿宋 三号 with a two-character
first-line indent at a fixed 28 pt pitch; quoted articles in 楷体; the issuing agency and the
date flush right with a seal placeholder. DOCX writes the East Asian font into ``w:eastAsia``
(``font.name`` alone only sets the Latin font); PDF embeds the free Noto CJK fonts.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.ledger.requests.letters.build import cn_date
from gongkai.ledger.requests.models import Letter
from gongkai.rendering import fonts

__all__ = ["LetterUnavailable", "docx_filename", "pdf_filename", "render_docx", "render_pdf"]

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PITCH_PT = 28
SEAL_PLACEHOLDER = "（印章）"


class LetterUnavailable(RuntimeError):
    """PDF rendering is not possible on this server (WeasyPrint / pango missing)."""


def _is_quote(text: str) -> bool:
    return text.startswith("附：") or text.startswith("第") and "条" in text[:12] and "：" in text


def _font(run, role: str, profile: fonts.FontProfile = "official") -> None:  # type: ignore[no-untyped-def]
    east = fonts.docx_font(role, profile)
    latin = fonts.ROLES[role].latin
    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _para(
    doc,
    text: str,
    *,
    role: str = "body",
    size: float = BODY_PT,
    align=None,  # type: ignore[no-untyped-def]
    indent: bool = True,
    bold: bool = False,
    color: RGBColor | None = None,
    profile: fonts.FontProfile = "official",
):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(PITCH_PT if size <= BODY_PT else size + 8)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _font(run, role, profile)
    return p


def render_docx(letter: Letter, *, profile: fonts.FontProfile = "official") -> bytes:
    """The letter as a DOCX file (bytes)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # Normal style: 仿宋 三号 everywhere, East Asian font included.
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), fonts.docx_font("body", profile))
    core = doc.core_properties
    core.title = f"{letter.title} {letter.number}".strip()
    core.author = letter.signature
    core.language = "zh-CN"

    _para(
        doc,
        letter.title,
        role="title",
        size=TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        profile=profile,
    )
    if letter.number:
        _para(doc, letter.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, profile=profile)
    _para(doc, "", indent=False, profile=profile)
    paragraphs = list(letter.paragraphs)
    if paragraphs and paragraphs[0].endswith("："):
        _para(doc, paragraphs.pop(0), indent=False, profile=profile)
    for text in paragraphs:
        role = "subheading" if _is_quote(text) else "body"
        _para(doc, text, role=role, profile=profile)
    for _ in range(2):
        _para(doc, "", indent=False, profile=profile)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(
        doc,
        SEAL_PLACEHOLDER,
        align=right,
        indent=False,
        color=RGBColor(0xC0, 0x00, 0x00),
        profile=profile,
    )
    _para(doc, letter.signature, align=right, indent=False, profile=profile)
    _para(doc, cn_date(letter.letter_date), align=right, indent=False, profile=profile)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def letter_html(letter: Letter) -> str:
    paragraphs = list(letter.paragraphs)
    addressee = paragraphs.pop(0) if paragraphs and paragraphs[0].endswith("：") else ""
    return render_to_string(
        "requests/letters/letter.html",
        {
            "letter": letter,
            "addressee_line": addressee,
            "paragraphs": [{"text": t, "quote": _is_quote(t)} for t in paragraphs],
            "date": cn_date(letter.letter_date),
            "seal": SEAL_PLACEHOLDER,
            "body_font": fonts.BODY.free[0],
            "title_font": fonts.TITLE.free[0],
            "quote_font": fonts.SUBHEADING.free[0],
        },
    )


def render_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF (bytes) with the Noto CJK fonts embedded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the server
        raise LetterUnavailable(f"无法生成 PDF：WeasyPrint 不可用（{exc}）") from exc
    pdf = HTML(string=letter_html(letter)).write_pdf(
        metadata={"title": letter.title, "authors": [letter.signature], "lang": "zh-CN"}
    )
    assert pdf is not None
    return bytes(pdf)


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch not in '\\/:*?"<>|〔〕').strip() or "letter"


def docx_filename(letter: Letter) -> str:
    return f"{_safe(letter.title)}-{_safe(letter.application.registration_no)}.docx"


def pdf_filename(letter: Letter) -> str:
    return f"{_safe(letter.title)}-{_safe(letter.application.registration_no)}.pdf"
