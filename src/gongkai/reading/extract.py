"""Bytes of a published report -> plain text with tables written as ``| a | b |`` rows.

The type is detected from the content (magic bytes), the file name is only a hint. Supported:
PDF (pypdfium2 text layer; pdfplumber tables on request), DOCX (paragraphs and tables in
document order, merged cells written once), HTML (block text; tables with rowspan/colspan
written once per cell, site chrome kept — the locator finds the report by its headings),
plain text and Markdown.

Every failure is a ``ReadError`` with a Chinese message (see ``errors``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from gongkai.reading.errors import ReadError, ReadErrorCode
from gongkai.reading.normalise import decode_text

__all__ = ["Extracted", "SourceKind", "detect_kind", "extract", "pdf_table_text"]


class SourceKind(StrEnum):
    """Document types the reader understands."""

    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True)
class Extracted:
    """Text of a document, with tables as pipe rows."""

    kind: SourceKind
    text: str
    pages: int | None = None


_HTML_HINT = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta|title)\b", re.IGNORECASE
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_kind(data: bytes, filename: str | None = None) -> SourceKind:
    """Detect the document type from its first bytes (the name only breaks ties)."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return SourceKind.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ReadError(ReadErrorCode.CORRUPT, "ZIP 压缩包已损坏，无法打开。") from exc
        if "word/document.xml" in names:
            return SourceKind.DOCX
        if any(n.startswith("xl/") for n in names):
            raise ReadError(
                ReadErrorCode.UNSUPPORTED,
                "这是 Excel 表格（XLSX），不是年度报告文档；请提供 PDF、DOCX、HTML 或文本格式的报告。",
            )
        raise ReadError(
            ReadErrorCode.UNSUPPORTED, "这是一个 ZIP 压缩包，不是年度报告文档；请解压后逐个检查。"
        )
    if head.startswith(_OLE_MAGIC):
        raise ReadError(
            ReadErrorCode.UNSUPPORTED,
            "这是旧版 Office 文件（DOC/XLS），暂不支持；请另存为 DOCX 或 PDF 后再检查。",
        )
    if _is_binary(head):
        raise ReadError(
            ReadErrorCode.BINARY,
            "文件内容是二进制数据，不是可识别的文档（支持 PDF、DOCX、HTML、TXT、Markdown）。",
        )
    if _HTML_HINT.search(head) or (filename or "").lower().endswith((".html", ".htm")):
        return SourceKind.HTML
    return SourceKind.TEXT


def _is_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) * 0.05:
        return True
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # cut in the middle of a character
            return False
    try:
        head.decode("gb18030")
        return False
    except UnicodeDecodeError:
        return True


def extract(data: bytes, kind: SourceKind) -> Extracted:
    """Extract the text of a document of a known kind."""
    if kind is SourceKind.PDF:
        return _pdf(data)
    if kind is SourceKind.DOCX:
        return _docx(data)
    if kind is SourceKind.HTML:
        return Extracted(kind, html_text(decode_text(data)))
    return Extracted(kind, decode_text(data))


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$",
    re.M,
)


def _pdf(data: bytes) -> Extracted:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise ReadError(
                ReadErrorCode.ENCRYPTED,
                "PDF 文件已加密（需要密码），无法读取；请提供未加密的文件。",
            ) from exc
        raise ReadError(ReadErrorCode.CORRUPT, "PDF 文件已损坏或格式不正确，无法打开。") from exc
    try:
        pages: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            pages.append(_PAGE_NUMBER.sub("", text))
        n_pages = len(pdf)
    except pdfium.PdfiumError as exc:
        raise ReadError(ReadErrorCode.CORRUPT, "PDF 文件已损坏，无法读取页面内容。") from exc
    finally:
        pdf.close()
    text = "\n".join(pages)
    if n_pages and len(re.sub(r"\s+", "", text)) < 20 * n_pages:
        raise ReadError(
            ReadErrorCode.SCANNED,
            "PDF 没有文字层（可能是扫描件或图片），无法读取表格数字；请先做文字识别（OCR）"
            "或提供原始电子版。",
        )
    return Extracted(SourceKind.PDF, text, n_pages)


def pdf_table_text(data: bytes) -> str:
    """PDF text rebuilt with pdfplumber: table cells as pipe rows, other lines as text, in
    reading order. Slower than the text layer; used when the text layer is ambiguous."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            blocks: list[tuple[float, str]] = []
            for table in tables:
                rows = table.extract()
                lines = [
                    "| " + " | ".join((c or "").replace("\n", "") for c in row) + " |"
                    for row in rows
                ]
                blocks.append((table.bbox[1], "\n".join(lines)))
            for line in page.extract_text_lines():
                mid_y = (line["top"] + line["bottom"]) / 2
                mid_x = (line["x0"] + line["x1"]) / 2
                if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes):
                    continue
                blocks.append((line["top"], line["text"]))
            blocks.sort(key=lambda b: b[0])
            out.append("\n".join(b[1] for b in blocks))
    return _PAGE_NUMBER.sub("", "\n".join(out))


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes) -> Extracted:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > 200 * 1024 * 1024:
                raise ReadError(ReadErrorCode.TOO_LARGE, "DOCX 文档内容过大，无法读取。")
            xml = zf.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise ReadError(ReadErrorCode.CORRUPT, "DOCX 文件已损坏，无法打开。") from exc
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(ReadErrorCode.CORRUPT, "DOCX 文件内容格式错误，无法读取。") from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise ReadError(ReadErrorCode.CORRUPT, "DOCX 文件没有正文。")
    lines: list[str] = []
    for child in body:
        if child.tag == f"{_W}p":
            lines.append(_docx_para(child))
        elif child.tag == f"{_W}tbl":
            lines.extend(_docx_table(child))
    return Extracted(SourceKind.DOCX, "\n".join(lines))


def _docx_para(p: object) -> str:
    parts: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):  # type: ignore[attr-defined]
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _docx_table(tbl: object) -> list[str]:
    lines: list[str] = []
    for tr in tbl.iterfind(f"{_W}tr"):  # type: ignore[attr-defined]
        cells: list[str] = []
        for tc in tr.iterfind(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                continue  # continuation of a vertically merged cell: written once above
            text = " ".join(_docx_para(p) for p in tc.iter(f"{_W}p")).strip()
            nested = tc.find(f".//{_W}tbl")
            if nested is not None:
                text = " ".join(_docx_table(nested))
            cells.append(text.replace("|", " "))
        if cells:
            lines.append("| " + " | ".join(cells) + " |")
    return lines


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "title",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "form",
        "nav",
        "aside",
        "main",
        "center",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]
)


def html_text(markup: str) -> str:
    """Visible text of an HTML page; tables as pipe rows (one cell per ``td``/``th``)."""
    import lxml.html
    from lxml import etree

    if not markup.strip():
        return ""
    try:
        doc = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", markup)
    out: list[str] = []

    def walk(el: object) -> None:
        tag = getattr(el, "tag", None)
        if not isinstance(tag, str):
            tail = getattr(el, "tail", None)
            if tail:
                out.append(tail)
            return
        tag = tag.lower()
        if tag in _SKIP_TAGS:
            if el.tail:  # type: ignore[attr-defined]
                out.append(el.tail)  # type: ignore[attr-defined]
            return
        if tag == "table":
            out.append("\n")
            for tr in el.iter("tr"):  # type: ignore[attr-defined]
                cells = [
                    re.sub(r"\s+", " ", cell.text_content()).strip().replace("|", " ")
                    for cell in tr
                    if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")
                ]
                if cells:
                    out.append("| " + " | ".join(cells) + " |\n")
            out.append("\n")
            if el.tail:  # type: ignore[attr-defined]
                out.append(el.tail)  # type: ignore[attr-defined]
            return
        block = tag in _BLOCK_TAGS
        if block:
            out.append("\n")
        if el.text:  # type: ignore[attr-defined]
            out.append(el.text)  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            walk(child)
        if block:
            out.append("\n")
        if el.tail:  # type: ignore[attr-defined]
            out.append(el.tail)  # type: ignore[attr-defined]

    body = doc.find("body")
    walk(body if body is not None else doc)
    text = "".join(out)
    return re.sub(r"\n[ \t]*(?=\n)", "\n", text)
