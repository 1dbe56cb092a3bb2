"""AnnualReport -> PDF through WeasyPrint, with the free CJK fonts embedded (subset).

The PDF uses only the free fonts of :mod:`gongkai.rendering.fonts` (Noto Serif/Sans CJK SC and
AR PL UKai CN), never the official names, so that the same bytes come out on every server and
the embedded fonts may be redistributed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.rendering import fonts
from gongkai.rendering.document import Document, build_document
from gongkai.rendering.html import render_html
from gongkai.statutory.report import AnnualReport

__all__ = ["PdfUnavailable", "check_glyphs", "render_pdf"]


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (pango) are not installed."""


def document_text(doc: Document) -> str:
    """Every character the PDF will show (for the glyph check)."""
    parts = [doc.title, doc.intro, *doc.signature]
    for s in doc.sections:
        parts.append(s.heading)
        parts.extend(s.paragraphs)
        if s.table is not None:
            parts.append(s.table.caption)
            parts.extend(c.text for c in s.table.cells)
    for f in doc.findings or ():
        parts.extend((f.rule, f.severity_label, f.location, f.message))
    return "".join(parts)


def check_glyphs(report: AnnualReport, findings: Iterable[Any] | None = None) -> set[str]:
    """Characters of the rendered report that the body font (Noto Serif CJK SC) lacks.

    An empty set means the PDF shows every character in the intended face. Characters outside
    the font would be drawn from some fallback font, or as a blank box.
    """
    doc = build_document(report, findings)
    return fonts.missing_glyphs(document_text(doc), fonts.BODY.free[0])


def render_pdf(report: AnnualReport, findings: Iterable[Any] | None = None) -> bytes:
    """The report as an A4 PDF (bytes) with embedded CJK fonts."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise PdfUnavailable(f"无法生成 PDF：WeasyPrint 不可用（{exc}）") from exc
    # title, author and language of the PDF come from <title>, <meta name="author"> and lang
    html = render_html(report, findings, official_fonts=False)
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
