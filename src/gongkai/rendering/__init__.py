"""Rendering an AnnualReport in the official layout (HTML, DOCX, PDF, XLSX, JSON, Markdown, text).

Pure Python: nothing here imports Django. One entry point per format, plus :func:`render`::

    render_html(report, findings=None, *, fragment=False)   -> str
    render_html_fragment(report, findings=None, *, include_style=True) -> str
    render_pdf(report, findings=None)                        -> bytes
    render_docx(report, findings=None, *, font_profile="official") -> bytes
    render_xlsx(report, findings=None)                       -> bytes
    render_markdown(report, findings=None)                   -> str
    render_text(report, findings=None, *, blank="—")         -> str
    render_json(report)                                      -> str
    render(report, fmt, findings=None)                       -> bytes
    filename(report, fmt)                                    -> str  (for downloads)

``findings`` are the findings of ``gongkai.statutory.checks.check_report`` (or None: no check
run). Modules are imported lazily so that ``import gongkai.rendering`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongkai.statutory.report import AnnualReport

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "SUFFIXES",
    "filename",
    "render",
    "render_docx",
    "render_html",
    "render_html_fragment",
    "render_json",
    "render_markdown",
    "render_pdf",
    "render_text",
    "render_xlsx",
]

FORMATS: tuple[str, ...] = ("pdf", "docx", "html", "xlsx", "md", "json", "txt")

SUFFIXES: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".txt": "txt",
}

MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
}


def render_html(report: AnnualReport, findings: Iterable[Any] | None = None, **kw: Any) -> str:
    from gongkai.rendering import html

    return html.render_html(report, findings, **kw)


def render_html_fragment(
    report: AnnualReport, findings: Iterable[Any] | None = None, **kw: Any
) -> str:
    from gongkai.rendering import html

    return html.render_html_fragment(report, findings, **kw)


def render_pdf(report: AnnualReport, findings: Iterable[Any] | None = None) -> bytes:
    from gongkai.rendering import pdf

    return pdf.render_pdf(report, findings)


def render_docx(report: AnnualReport, findings: Iterable[Any] | None = None, **kw: Any) -> bytes:
    from gongkai.rendering import docx

    return docx.render_docx(report, findings, **kw)


def render_xlsx(report: AnnualReport, findings: Iterable[Any] | None = None) -> bytes:
    from gongkai.rendering import xlsx

    return xlsx.render_xlsx(report, findings)


def render_markdown(report: AnnualReport, findings: Iterable[Any] | None = None) -> str:
    from gongkai.rendering import markdown

    return markdown.render_markdown(report, findings)


def render_text(report: AnnualReport, findings: Iterable[Any] | None = None, **kw: Any) -> str:
    from gongkai.rendering import text

    return text.render_text(report, findings, **kw)


def render_json(report: AnnualReport) -> str:
    """The report's own JSON form (``AnnualReport.to_json``), newline-terminated."""
    return report.to_json() + "\n"


def filename(report: AnnualReport, fmt: str) -> str:
    """A download file name: the report's title plus the format's suffix."""
    from gongkai.rendering.document import report_title

    extension = {v: k for k, v in reversed(list(SUFFIXES.items()))}[fmt]
    title = "".join(c for c in report_title(report) if c not in '\\/:*?"<>|').strip()
    return f"{title or 'report'}{extension}"


def render(
    report: AnnualReport,
    fmt: str,
    findings: Iterable[Any] | None = None,
    **options: Any,
) -> bytes:
    """Render ``report`` to ``fmt`` (one of :data:`FORMATS`) as bytes (text formats in UTF-8).

    ``options`` go to the format's renderer (e.g. ``font_profile`` for docx). JSON carries no
    findings.
    """
    if fmt == "pdf":
        return render_pdf(report, findings)
    if fmt == "docx":
        return render_docx(report, findings, **options)
    if fmt == "xlsx":
        return render_xlsx(report, findings)
    if fmt == "html":
        return render_html(report, findings, **options).encode("utf-8")
    if fmt == "md":
        return render_markdown(report, findings).encode("utf-8")
    if fmt == "txt":
        return render_text(report, findings, **options).encode("utf-8")
    if fmt == "json":
        return render_json(report).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
