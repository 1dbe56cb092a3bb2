"""Find the sections, the table rows and their numbers in a normalised report text.

Everything is located by label (``statutory.formats`` labels and key phrases, plus a few local
variants below), never by position alone:

* section headings by their number and a key word (``四、…复议``), in order;
* table rows by their key phrase, in layout order, each searched after the previous one; a
  row whose phrase appears only after the next row's is reported missing;
* a row's numbers are the run of number tokens that follows its label, up to the next text
  (or the next row's label, whose item number ``2.`` is cut off first: in glued text
  ``00000002.其他…`` the ``2`` belongs to the label).

The result is raw: pieces of digits per row (``digits`` splits them into cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from gongkai.reading.normalise import BLANK_CELL, phrase_pattern
from gongkai.statutory.formats import (
    LAYOUT_2019,
    LAYOUT_2021,
    TABLE3_NOTE,
    FormatVersion,
    Layout,
    RowKey,
    Table2Row,
    Table3Row,
    get_layout,
)

__all__ = [
    "Heading",
    "Located",
    "RowRead",
    "Token",
    "locate",
    "number_run",
    "tokenize",
]

# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<num>(?<![\w.])-\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<sep>[\s|]+)"
    r"|(?P<blank>" + BLANK_CELL + r"|[—–―─－]+|-{1,3}(?!\d)|/|无(?=[\s|]|$))"
    r"|(?P<text>[^\s|\d" + BLANK_CELL + r"—–―─－\-/]+|.)"
)

NARRATIVE_UNITS = frozenset("年月日条件个号%次人家篇期份起余项名天周岁倍位批场元万亿")
"""A number followed by one of these is prose ("2023年", "12条"), not a table cell."""

_WORD = re.compile(r"\w")


class Token(NamedTuple):
    """One token of a text region."""

    kind: str
    """``num``, ``blank``, ``sep`` or ``text``."""
    text: str
    start: int
    end: int
    attached: bool = False
    """A number glued to a preceding letter (``数据1``) — prose or a header, usually."""
    unit: str = ""
    """The character after a number when it is a unit (``年``, ``件``, ``元`` …)."""


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of ``text[start:end]`` (see ``Token``)."""
    out: list[Token] = []
    prev_kind = "sep"
    for m in _TOKEN.finditer(text, start, end):
        kind = m.lastgroup or "text"
        s, e = m.span()
        if kind == "num":
            attached = s > start and bool(_WORD.match(text[s - 1])) and not text[s - 1].isdigit()
            unit = text[e] if e < len(text) and text[e] in NARRATIVE_UNITS else ""
            if unit == "万" and text.startswith("万元", e):
                unit = "万元"
            out.append(Token("num", m.group(), s, e, attached, unit))
        elif kind == "blank":
            standalone = prev_kind in ("sep", "blank") and (e >= end or text[e] in " \t\n|")
            if m.group() == BLANK_CELL or standalone:
                out.append(Token("blank", m.group(), s, e))
            else:
                out.append(Token("text", m.group(), s, e))
        else:
            out.append(Token(kind, m.group(), s, e))
        prev_kind = kind
    return out


def number_run(
    text: str,
    start: int,
    end: int,
    *,
    strict: bool = True,
    units: frozenset[str] = frozenset(),
    all_runs: bool = False,
) -> list[Token]:
    """The number/blank tokens of the first run in ``text[start:end]``.

    Leading prose (the rest of a label, a header row) is skipped; the run ends at the next
    prose token. ``strict`` drops numbers glued to a preceding letter. ``units`` lists units
    accepted after a number (``元`` for money cells). ``all_runs`` collects every run in the
    region (table 四, whose three groups may be printed as separate small tables).
    """
    run: list[Token] = []
    for tok in tokenize(text, start, end):
        if tok.kind == "sep":
            continue
        if tok.kind == "num":
            ok = (not tok.unit or tok.unit in units) and not (strict and tok.attached)
            if ok:
                run.append(tok)
                continue
        elif tok.kind == "blank":
            run.append(tok)
            continue
        if run and not all_runs:
            break
    return run


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

_SEC = r"[^0-9、\n|]"
_HEADING_PATTERNS: dict[int, re.Pattern[str]] = {
    1: re.compile(r"一\s*、\s*总\s*体\s*情\s*况"),
    2: re.compile(r"二\s*、\s*主\s*动\s*公\s*开" + _SEC + r"{0,8}?情\s*况"),
    3: re.compile(r"三\s*、" + _SEC + r"{0,6}?收\s*到\s*和\s*处\s*理" + _SEC + r"{0,16}?情\s*况"),
    4: re.compile(r"四\s*、" + _SEC + r"{0,24}?复\s*议[^0-9\n|]{0,20}?情\s*况"),
    5: re.compile(r"[五六]\s*、" + _SEC + r"{0,16}?问\s*题" + _SEC + r"{0,12}?(?:情\s*况|措\s*施)"),
    6: re.compile(r"[六七]\s*、" + _SEC + r"{0,12}?(?:其\s*他|其\s*它)" + _SEC + r"{0,10}?事\s*项"),
}
_ANY_HEADING = re.compile(r"[一二三四五六七八九]\s*、")


@dataclass(frozen=True)
class Heading:
    """A section heading found in the text."""

    number: int
    printed: str
    start: int
    end: int


def find_headings(text: str, pos: int = 0) -> dict[int, Heading]:
    """Section headings 1–6, each searched after the previous one found (from ``pos``)."""
    out: dict[int, Heading] = {}
    for number, pattern in _HEADING_PATTERNS.items():
        m = pattern.search(text, pos)
        if m is None:
            continue
        # the heading ends at the end of its line or sentence, not in the middle of a word
        out[number] = Heading(number, m.group(), m.start(), m.end())
        pos = m.end()
    return out


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------

_ITEM_NUMBER = re.compile(r"^(\d{1,2})\.")
_NON_WORD = re.compile(r"[^\w]*")

# Local variants (parse only) in addition to formats' key phrases.
_T3_EXTRA_PHRASES: dict[RowKey, tuple[str, ...]] = {
    RowKey.NEW: ("本年新收", "本年度新收", "新收政府信息公开申请"),
    RowKey.CARRY_IN: ("上年结转", "上年度结转"),
    RowKey.O3_2: ("禁止公开",),
    RowKey.O3_3: ("三安全一稳定", "危及"),
    RowKey.O5_1: ("信访举报投诉", "信访、举报、投诉"),
    RowKey.OTOT: ("(七)总计", "总计"),
    RowKey.CARRY_OUT: ("结转下年度", "结转下一年度", "结转下年"),
}

_GENERIC_ROWS = frozenset({RowKey.O6_3.value, RowKey.OTOT.value})

_T2_PHRASES: dict[str, tuple[str, ...]] = {
    "regulation": ("规章",),
    "normative": ("规范性文件",),
    "licensing": ("行政许可",),
    "other_services": ("其他对外管理服务事项", "对外管理服务"),
    "penalty": ("行政处罚",),
    "coercion": ("行政强制",),
    "admin_fee": ("行政事业性收费",),
    "procurement": ("政府集中采购", "集中采购"),
}


@dataclass
class RowRead:
    """What was found for one table row."""

    key: str
    found: bool = False
    label_start: int = -1
    label_end: int = -1
    printed_label: str = ""
    tokens: list[Token] = field(default_factory=list)


def _first_match(text: str, phrases: tuple[str, ...], start: int, end: int) -> re.Match[str] | None:
    best: re.Match[str] | None = None
    for phrase in phrases:
        m = phrase_pattern(phrase).search(text, start, end)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


def _label_start(text: str, match_start: int, floor: int, item: str | None) -> int:
    """Where a row label starts: at its item number (``2.``) when printed just before."""
    if item is None:
        return match_start
    window_start = max(floor, match_start - 40)
    window = text[window_start:match_start]
    found = -1
    for m in re.finditer(re.escape(item) + r"\s*[.、]", window):
        if not re.search(r"\d", window[m.end() :]):
            found = m.start()
    return window_start + found if found >= 0 else match_start


def _label_end(text: str, match_end: int, rest: str) -> int:
    """Extend a key-phrase match over the rest of the full label when it is printed."""
    if not rest:
        return match_end
    skip = _NON_WORD.match(text, match_end)
    m = phrase_pattern(rest, loose_punct=True).match(text, skip.end() if skip else match_end)
    if m is None:
        return match_end
    # allow a closing bracket right after the label
    end = m.end()
    close = re.compile(r"\s*[)）\]]").match(text, end)
    return close.end() if close else end


@dataclass(frozen=True)
class _RowSpec:
    key: str
    phrases: tuple[str, ...]
    item: str | None
    label: str


@lru_cache(maxsize=4)
def _t3_specs(version: FormatVersion) -> list[_RowSpec]:
    layout = get_layout(version)
    from gongkai.statutory.formats import normalize_label

    specs: list[_RowSpec] = []
    for row in layout.table3_rows:
        phrases = tuple(dict.fromkeys((*row.key_phrases, *_T3_EXTRA_PHRASES.get(row.key, ()))))
        if row.key is RowKey.O6_3:
            phrases = ("3.其他", "其他")
        if row.key is RowKey.O6:
            phrases = ("其他处理",)
        item_m = _ITEM_NUMBER.match(normalize_label(row.label))
        specs.append(
            _RowSpec(row.key.value, phrases, item_m.group(1) if item_m else None, row.label)
        )
    return specs


@lru_cache(maxsize=4)
def _t2_specs(version: FormatVersion) -> list[_RowSpec]:
    layout = get_layout(version)
    return [
        _RowSpec(row.key, _T2_PHRASES.get(row.key, (row.label,)), None, row.label)
        for block in layout.table2
        for row in block.rows
    ]


@lru_cache(maxsize=512)
def _rest_of_label(label: str, phrase: str) -> str:
    from gongkai.statutory.formats import normalize_label

    norm = normalize_label(label)
    key = normalize_label(phrase)
    i = norm.find(key)
    return norm[i + len(key) :] if i >= 0 else ""


def locate_rows(text: str, specs: list[_RowSpec], start: int, end: int) -> dict[str, RowRead]:
    """Find each row of ``specs`` in order inside ``text[start:end]``."""
    reads: dict[str, RowRead] = {s.key: RowRead(s.key) for s in specs}
    pos = start
    found: list[RowRead] = []
    for i, spec in enumerate(specs):
        m = None
        if spec.key in _GENERIC_ROWS:
            # "3.其他" before a bare "其他" (which also occurs in "（六）其他处理")
            m = _first_match(text, spec.phrases[:1], pos, end)
        if m is None:
            m = _first_match(text, spec.phrases, pos, end)
        if m is None:
            continue
        # if the next row's phrase comes first, this row is missing here (a later occurrence
        # is somebody else's text); generic phrases (其他, 总计) prove nothing
        if i + 1 < len(specs) and specs[i + 1].key not in _GENERIC_ROWS:
            nxt = _first_match(text, specs[i + 1].phrases, pos, end)
            if nxt is not None and nxt.end() <= m.start():
                continue
        read = reads[spec.key]
        read.found = True
        floor = found[-1].label_end if found else start
        read.label_start = _label_start(text, m.start(), floor, spec.item)
        phrase = next(
            (p for p in spec.phrases if phrase_pattern(p).fullmatch(m.group())), spec.phrases[0]
        )
        read.label_end = _label_end(text, m.end(), _rest_of_label(spec.label, phrase))
        read.printed_label = text[read.label_start : read.label_end]
        found.append(read)
        pos = read.label_end
    for i, read in enumerate(found):
        stop = found[i + 1].label_start if i + 1 < len(found) else end
        read.tokens = _row_tokens(text, read.label_end, stop)
    return reads


def _row_tokens(text: str, start: int, stop: int) -> list[Token]:
    run = number_run(text, start, stop, units=frozenset("元") | {"万元"})
    if not run:
        run = number_run(text, start, stop, strict=False, units=frozenset("元") | {"万元"})
    return run


# ---------------------------------------------------------------------------------------------
# Whole document
# ---------------------------------------------------------------------------------------------


@dataclass
class Located:
    """Everything the locator found in one normalised text."""

    text: str
    headings: dict[int, Heading]
    table2_version: FormatVersion | None
    table2: dict[str, RowRead]
    table2_span: tuple[int, int]
    table3_version: FormatVersion | None
    table3: dict[str, RowRead]
    table3_span: tuple[int, int]
    table3_note_present: bool
    table4_tokens: list[Token]
    table4_lenient: list[Token]
    table4_span: tuple[int, int]
    fee_tokens: list[Token]
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    period_text: str | None = None
    period: tuple[date, date] | None = None
    published_on: date | None = None

    @property
    def rows_found(self) -> int:
        """Number of table-三 rows found."""
        return sum(1 for r in self.table3.values() if r.found)


def _section_span(headings: dict[int, Heading], number: int, text: str) -> tuple[int, int] | None:
    h = headings.get(number)
    if h is None:
        return None
    later = [x.start for n, x in headings.items() if n > number]
    return h.end, min(later) if later else len(text)


_T2_2019_MARKERS = ("新制作", "上一年项目", "采购项目数量", "对外公开总数")


def _detect_table3(text: str, start: int, end: int) -> tuple[FormatVersion | None, Layout]:
    region = text[start:end]
    compact = re.sub(r"\s+", "", region)
    has_2021 = "逾期不补正" in compact or "收费通知" in compact or "缴纳费用" in compact
    has_2019 = "其他处理" in compact
    if not any(p in compact for p in ("予以公开", "本年新收", "结转", "不予公开")):
        return None, LAYOUT_2021
    if has_2021 or not has_2019:
        return FormatVersion.V2021, LAYOUT_2021
    return FormatVersion.V2019, LAYOUT_2019


_TITLE = re.compile(
    r"([^\s,，。:：;；\"《》()（）|#]{2,50}?)\s*(?:关于)?\s*(\d{4})\s*年\s*度?\s*"
    r"(?:政府信息公开|政务公开|信息公开)[^。，|]{0,14}?报\s*告"
)
_PERIOD = re.compile(
    r"(?:统计|时限|期限|周期)[^。]{0,14}?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
    r"(?:起)?\s*(?:至|到|-|—|~)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_META = re.compile(r"(?:发布|成文)?(?:时间|日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def _safe_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _longest_agency_name(text: str, agency: str) -> str:
    """``司法局`` in a title often stands for a longer name printed elsewhere in the text
    (``济源产城融合示范区司法局``): take the longest place-prefixed form."""
    best = agency
    for m in re.finditer(r"(?<!\w)\w{1,20}" + re.escape(agency), text[:8000]):
        candidate = m.group(0)
        prefix = candidate[: -len(agency)]
        place = re.search(r"(?:省|市|区|县|州|盟|旗|镇|乡)$", prefix)
        if place and not re.search(r"\d", prefix) and len(candidate) > len(best):
            best = candidate
    return best


def _meta(loc: Located) -> None:
    text = loc.text
    head_end = loc.headings[1].start if 1 in loc.headings else min(len(text), 3000)
    head = text[: max(head_end, 200)]
    m = _TITLE.search(head) or _TITLE.search(text[:6000])
    if m:
        loc.agency = m.group(1).lstrip("-—·•*#>")
        loc.year = int(m.group(2))
        loc.title = re.sub(r"\s+", "", m.group(0))
        loc.agency = _longest_agency_name(text, loc.agency)
    p = _PERIOD.search(text)
    if p:
        y1, m1, d1, y2, m2, d2 = p.groups()
        start = _safe_date(y1, m1, d1)
        end = _safe_date(y2 or y1, m2, d2)
        loc.period_text = re.sub(r"\s+", "", p.group(0))
        if start and end:
            loc.period = (start, end)
        if loc.year is None and end is not None:
            loc.year = end.year
    if loc.year is None:
        years = re.findall(r"(20\d{2})\s*年", text[:4000])
        if years:
            loc.year = int(max(set(years), key=years.count))
    # publication date: signature date at the end, else page metadata
    tail = text[-300:]
    dates = [d for d in (_safe_date(*g) for g in _DATE_CN.findall(tail)) if d is not None]
    if dates and (loc.year is None or dates[-1].year in (loc.year, loc.year + 1)):
        loc.published_on = dates[-1]
    else:
        meta = _DATE_META.search(text[:2000])
        if meta:
            loc.published_on = _safe_date(*meta.groups())


_FEE_HEADER = re.compile(r"通\s*知\s*收\s*取\s*件\s*数|收\s*费\s*通\s*知\s*件\s*数")


def locate(text: str) -> Located:
    """Locate sections, tables, rows and metadata in a normalised report text.

    When the headings first found enclose no statistics table (an introduction that lists
    "一、总体情况；二、…" before the report proper), the search starts again after them."""
    first = _locate(text, find_headings(text))
    if first.rows_found >= 5 or len(first.headings) < 3:
        return first
    again = _locate(text, find_headings(text, max(h.end for h in first.headings.values())))
    return again if again.rows_found > first.rows_found else first


def _locate(text: str, headings: dict[int, Heading]) -> Located:
    n = len(text)
    # --- table 三
    span3 = _section_span(headings, 3, text)
    if span3 is None:
        after = headings[2].end if 2 in headings else 0
        span3 = (after, headings[4].start if 4 in headings else n)
    t3_version, layout3 = _detect_table3(text, *span3)
    t3_reads = locate_rows(text, _t3_specs(layout3.version), *span3) if t3_version else {}
    note_region = re.sub(r"\s+", "", text[span3[0] : span3[0] + 400])
    note_present = any(
        k in note_region for k in ("勾稽关系", "钩稽关系", re.sub(r"\W", "", TABLE3_NOTE)[:8])
    )
    # --- table 二
    span2 = _section_span(headings, 2, text)
    if span2 is None:
        span2 = (headings[1].end if 1 in headings else 0, span3[0])
    start2 = span2[0]
    cap = re.compile(r"第\s*二\s*十\s*条").search(text, *span2)
    if cap:
        start2 = cap.start()
    region2 = re.sub(r"\s+", "", text[start2 : span2[1]])
    t2_version = (
        FormatVersion.V2019 if any(k in region2 for k in _T2_2019_MARKERS) else FormatVersion.V2021
    )
    layout2 = LAYOUT_2019 if t2_version is FormatVersion.V2019 else LAYOUT_2021
    t2_reads = locate_rows(text, _t2_specs(layout2.version), start2, span2[1])
    if not any(r.found for r in t2_reads.values()):
        t2_version_out: FormatVersion | None = None
    else:
        t2_version_out = t2_version
    # --- table 四
    if 4 in headings:
        start4 = headings[4].end
    else:
        start4 = max((t.end for r in t3_reads.values() for t in r.tokens), default=span3[1])
        review = re.compile(r"行\s*政\s*复\s*议").search(text, start4)
        if review:
            start4 = review.end()
    stop = _ANY_HEADING.search(text, start4)
    end4 = stop.start() if stop else n
    if 5 in headings and headings[5].start > start4:
        end4 = min(end4, headings[5].start)
    t4 = number_run(text, start4, end4, all_runs=True)
    t4_lenient = number_run(text, start4, end4, strict=False, all_runs=True)
    # --- 信息处理费 table (local addition, e.g. an extra section)
    fee_tokens: list[Token] = []
    fee_header = _FEE_HEADER.search(text, span3[0])
    if fee_header:
        stop_fee = _ANY_HEADING.search(text, fee_header.end())
        fee_tokens = number_run(
            text, fee_header.end(), stop_fee.start() if stop_fee else n, strict=False
        )
    loc = Located(
        text=text,
        headings=headings,
        table2_version=t2_version_out,
        table2=t2_reads,
        table2_span=(start2, span2[1]),
        table3_version=t3_version,
        table3=t3_reads,
        table3_span=span3,
        table3_note_present=note_present,
        table4_tokens=t4,
        table4_lenient=t4_lenient,
        table4_span=(start4, end4),
        fee_tokens=fee_tokens,
    )
    _meta(loc)
    return loc


__all__ += ["Table2Row", "Table3Row"]
