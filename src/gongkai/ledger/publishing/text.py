"""Body text: sanitising rich text, the plain text behind the search, links in the body, and
finding dictionary terms (with the positions the back office highlights). No database access."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
import regex

logger = logging.getLogger(__name__)

# What survives in a body. It covers everything the back-office editor produces (see
# BODY_EDITOR_EXTENSIONS in web/backoffice/publishing/forms.py; a test keeps the two in step) plus
# a few harmless tags that pasted or older bodies may have. Never ``style`` nor event handlers.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "img",
    "hr",
    "span",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Attributes allowed only with these values (nh3 drops any other value).
ALLOWED_ATTRIBUTE_VALUES = {
    # the editor's "在新窗口中打开"; nh3 adds rel="noopener noreferrer" to every link
    "a": {"target": {"_blank"}},
    # the editor's 编号样式, as the HTML attribute and as the editor's own name for it
    "ol": {
        "type": {"1", "a", "A", "i", "I"},
        "data-type": {"decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman"},
    },
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLOCK_END_RE = re.compile(r"</(p|div|li|h[1-6]|tr|table|blockquote)>|<br\s*/?>", re.I)
_SPACE_RE = re.compile(r"[ \t\r\f\v\u3000]+")


def sanitize_body(raw: str) -> str:
    """Clean HTML from the editor (or turn plain text into paragraphs), keeping only safe tags:
    no scripts, no event handlers, no ``style`` (the CSP forbids inline styles anyway)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not _TAG_RE.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", raw) if p.strip()]
        raw = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(body_html: str) -> str:
    """The visible text of sanitised HTML: one line per block, entities decoded."""
    text = _BLOCK_END_RE.sub("\n", body_html or "")
    text = nh3.clean(text, tags=set())
    text = html.unescape(text)
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def search_text(*parts: str) -> str:
    """What the search looks in: the parts (title, body text, 文号, 索引号…), one per line."""
    return "\n".join(p.strip() for p in parts if p and p.strip())


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value and value.strip() and not value.startswith("#"):
                self.links.append(value.strip())


def body_links(body_html: str) -> list[str]:
    """Every distinct link (``a href``, ``img src``) of the body, in order."""
    parser = _LinkCollector()
    parser.feed(body_html or "")
    seen: dict[str, None] = {}
    for link in parser.links:
        seen.setdefault(link, None)
    return list(seen)


@dataclass(frozen=True)
class Term:
    """A dictionary entry as the checker needs it."""

    kind: str
    kind_label: str
    pattern: str
    is_regex: bool
    suggestion: str
    blocking: bool


@dataclass(frozen=True)
class TermFinding:
    """One occurrence of a dictionary term in a text."""

    field: str
    start: int
    end: int
    found: str
    term: Term


TERM_TIMEOUT = 0.25
"""Seconds one dictionary pattern may spend on one text. Staff write the regular expressions;
one with nested repetition (``(a+)+$``) could otherwise hold a check for minutes."""


def _compile_term(pattern: str, *, is_regex: bool) -> regex.Pattern[str]:
    return regex.compile(pattern if is_regex else regex.escape(pattern), regex.VERSION0)


def pattern_is_slow(pattern: str, *, limit: float = 0.05) -> bool:
    """Whether ``pattern`` backtracks catastrophically: it is tried, with a time limit, on long
    runs of the characters it names (the input that makes ``(a+)+$`` or ``(中|中国)*!`` blow
    up). ``ValueError`` if it does not compile."""
    try:
        compiled = _compile_term(pattern, is_regex=True)
    except regex.error as exc:
        raise ValueError(str(exc)) from None
    characters = dict.fromkeys(ch for ch in pattern if ch.isalnum() or ch in " .-_")
    probes = ["a" * 3000 + "\0", *(ch * 3000 + "\0" for ch in list(characters)[:12])]
    try:
        for probe in probes:
            for _match in compiled.finditer(probe, timeout=limit):
                pass
    except TimeoutError:
        return True
    return False


def find_terms(texts: dict[str, str], terms: Iterable[Term]) -> list[TermFinding]:
    """Every occurrence of every term in each named text (e.g. ``{"标题": …, "正文": …}``).

    A pattern that does not compile is skipped; one that runs longer than ``TERM_TIMEOUT`` on a
    text is cut off there (logged) so that a bad dictionary entry never stalls a check."""
    findings: list[TermFinding] = []
    for term in terms:
        try:
            compiled = _compile_term(term.pattern, is_regex=term.is_regex)
        except regex.error:
            continue
        for field, text in texts.items():
            try:
                for match in compiled.finditer(text or "", timeout=TERM_TIMEOUT):
                    if match.end() > match.start():
                        findings.append(
                            TermFinding(field, match.start(), match.end(), match.group(0), term)
                        )
            except TimeoutError:
                logger.warning("错敏词“%s”检查超时，已跳过（%s）", term.pattern, field)
    findings.sort(key=lambda f: (list(texts).index(f.field), f.start))
    return findings


@dataclass(frozen=True)
class Segment:
    """A piece of text for the highlighted view: ``finding`` set when it is an offending term."""

    text: str
    finding: TermFinding | None = None


def highlight(text: str, findings: Iterable[TermFinding]) -> list[Segment]:
    """Split ``text`` into plain and offending segments (overlaps: the first one wins)."""
    segments: list[Segment] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        if finding.start > position:
            segments.append(Segment(text[position : finding.start]))
        segments.append(Segment(text[finding.start : finding.end], finding))
        position = finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def snippet(text: str, query_terms: Iterable[str], width: int = 60) -> list[Segment]:
    """A short extract of ``text`` around the first query term, with the terms marked."""
    terms = [t for t in query_terms if t]
    lowered = text.lower()
    first = min((i for i in (lowered.find(t.lower()) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end].replace("\n", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    found: list[TermFinding] = []
    dummy = Term("query", "", "", False, "", False)
    low_piece = piece.lower()
    for t in terms:
        i = low_piece.find(t.lower())
        while i >= 0:
            found.append(TermFinding("", i, i + len(t), piece[i : i + len(t)], dummy))
            i = low_piece.find(t.lower(), i + len(t))
    segments = highlight(piece, found)
    if prefix:
        segments.insert(0, Segment(prefix))
    if suffix:
        segments.append(Segment(suffix))
    return segments
