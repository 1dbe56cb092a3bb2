"""Rule M-05: figures quoted in the narrative text against the statutory tables.

The narrative of an annual report restates some table figures ("共受理政府信息公开申请859件",
"行政复议7件"). This module finds such statements and compares them with the tables.

It is deliberately conservative. A statement is only read when one clause (text between
commas) names the metric with a known keyword and the number follows it with nothing but filler
words in between; clauses about another year, comparisons with last year, approximate numbers
("300余条") and sub-breakdowns are skipped. Percentages ("占33.9%") are recomputed and reported as
warnings, since the denominator is never stated.

Public API: ``extract_statements(text)`` finds figures; ``compare_narrative(report)`` returns
``NarrativeMismatch`` records, which ``checks`` turns into M-05 findings. Labels come from
``formats``; nothing here imports ``checks``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from gongkai.statutory.formats import (
    APPLICANT_COLUMNS,
    LAYOUT_2019,
    LAYOUT_2021,
    OUTCOME_GROUP_LABELS,
    TABLE3_SHORT_LABELS,
    TABLE4_CELL_LABELS,
    TABLE4_GROUPS,
    TABLE4_LITIGATION_LABEL,
    TABLE4_REVIEW_LABEL,
    Col,
    OutcomeGroup,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
)
from gongkai.statutory.numerals import NUMBER_PATTERN, chinese_to_int, parse_number
from gongkai.statutory.report import AnnualReport

__all__ = [
    "FIGURE_UNITS",
    "Figure",
    "Metric",
    "NarrativeMismatch",
    "Statement",
    "SubheadingGap",
    "compare_narrative",
    "extract_figures",
    "extract_statements",
    "metric_values",
    "stated_fee_notices",
    "subheading_gaps",
]


class Metric(StrEnum):
    """A table figure that narrative text may restate."""

    NEW = "new"
    CARRY_IN = "carry_in"
    CONCLUDED = "concluded"
    CARRY_OUT = "carry_out"
    GRANTED = "granted"
    GRANTED_OR_PARTIAL = "granted_or_partial"
    PARTIAL = "partial"
    WITHHELD = "withheld"
    UNABLE = "unable"
    NOT_PROCESSED = "not_processed"
    RECONSIDERATION = "reconsideration"
    LITIGATION = "litigation"
    NORMATIVE_ISSUED = "normative_issued"
    NORMATIVE_IN_FORCE = "normative_in_force"


def _group(g: OutcomeGroup) -> str:
    """The bare group name, e.g. ``不予公开`` from ``（三）不予公开``."""
    return OUTCOME_GROUP_LABELS[g].split("）", 1)[1]


def _t2_name(key: T2Key) -> str:
    """``行政规范性文件本年制发件数`` — row label + column header of a 2021 table-二 cell."""
    return LAYOUT_2021.table2_row_of(key).label + LAYOUT_2021.table2_cell(key).header


_NORMATIVE = LAYOUT_2019.table2_row_of(T2Key.NORMATIVE_MADE).label
"""``规范性文件`` (the 2021 label adds 行政)."""
_GRANTED = _group(OutcomeGroup.GRANTED)
_PARTIAL = _group(OutcomeGroup.PARTIAL)
_REV = TABLE4_REVIEW_LABEL
_LIT = TABLE4_LITIGATION_LABEL

METRIC_NAMES: dict[Metric, str] = {
    Metric.NEW: TABLE3_SHORT_LABELS[RowKey.NEW],
    Metric.CARRY_IN: TABLE3_SHORT_LABELS[RowKey.CARRY_IN],
    Metric.CONCLUDED: TABLE3_SHORT_LABELS[RowKey.OTOT],
    Metric.CARRY_OUT: TABLE3_SHORT_LABELS[RowKey.CARRY_OUT],
    Metric.GRANTED: _group(OutcomeGroup.GRANTED),
    Metric.GRANTED_OR_PARTIAL: f"{_group(OutcomeGroup.GRANTED)}与{_group(OutcomeGroup.PARTIAL)}之和",
    Metric.PARTIAL: _group(OutcomeGroup.PARTIAL),
    Metric.WITHHELD: _group(OutcomeGroup.WITHHELD),
    Metric.UNABLE: _group(OutcomeGroup.UNABLE),
    Metric.NOT_PROCESSED: _group(OutcomeGroup.NOT_PROCESSED),
    Metric.RECONSIDERATION: f"{_REV}{TABLE4_CELL_LABELS[T4Cell.TOTAL]}",
    Metric.LITIGATION: f"{_LIT}{TABLE4_CELL_LABELS[T4Cell.TOTAL]}",
    Metric.NORMATIVE_ISSUED: _t2_name(T2Key.NORMATIVE_ISSUED),
    Metric.NORMATIVE_IN_FORCE: _t2_name(T2Key.NORMATIVE_IN_FORCE),
}
"""How each metric is named in messages (table vocabulary)."""

# --- patterns ---------------------------------------------------------------------------------

_NUM = rf"(?P<num>{NUMBER_PATTERN})"
_COUNT_UNIT = "件"
_CASE_UNITS = "件|起"
_FILLER = r"(?:申请|案件|案|类|的|共|共计|总计|合计|累计|被|提起|发生|收到|数量|数|为|有|了|信息公开|政府信息公开|依申请公开|依申请|公开|各类|涉及|方面|相关|案件数)*"
"""Words allowed between a metric keyword and its number."""


@dataclass(frozen=True)
class _Pattern:
    metric: Metric
    regex: re.Pattern[str]
    exclude: tuple[str, ...] = ()
    """Words that, anywhere in the clause, make the statement about something else."""
    requires: tuple[str, ...] = ()
    """Words the sentence must contain for the clause to be read."""
    total: bool = True
    """A whole-table figure: a clause opening with 其中 (a breakdown) is not read for it."""


def _p(
    metric: Metric,
    keyword: str,
    *,
    gap: str = _FILLER,
    exclude: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    units: str = _COUNT_UNIT,
    total: bool = True,
) -> _Pattern:
    regex = re.compile(rf"(?:{keyword}){gap}{_NUM}(?:{units})")
    return _Pattern(metric, regex, exclude, requires, total)


_APPEALS = ("复议", "诉讼")
_OTHER_CHANNELS = ("留言", "咨询", "建议", "提案", "信访", "来电", "热线", "邮件数")

_PATTERNS: tuple[_Pattern, ...] = (
    _p(Metric.GRANTED_OR_PARTIAL, rf"{_GRANTED}(?:及|和|与|、){_PARTIAL}", total=False),
    _p(
        Metric.NEW,
        r"新收|收到|受理|接收|接到",
        gap=rf"(?=[^\d]*申请){_FILLER}",
        exclude=(*_APPEALS, *_OTHER_CHANNELS, "结转"),
    ),
    _p(Metric.CARRY_IN, r"上一?年度?结转", exclude=_APPEALS),
    _p(Metric.CARRY_OUT, r"结转(?:到|至)?下一?年度?(?:继续办理|办理)?", exclude=_APPEALS),
    _p(
        Metric.CONCLUDED,
        r"办结|办理完毕|作出答复|答复",
        exclude=(*_APPEALS, *_OTHER_CHANNELS, "结转", "按时", "率"),
    ),
    _p(Metric.GRANTED, rf"(?<!及)(?<!和){_GRANTED}", exclude=(_PARTIAL,), total=False),
    _p(Metric.PARTIAL, rf"(?<!及)(?<!和)(?<!与){_PARTIAL}", exclude=(_GRANTED,), total=False),
    _p(Metric.WITHHELD, _group(OutcomeGroup.WITHHELD), exclude=("部分",), total=False),
    _p(Metric.UNABLE, _group(OutcomeGroup.UNABLE), total=False),
    _p(Metric.NOT_PROCESSED, _group(OutcomeGroup.NOT_PROCESSED), total=False),
    _p(
        Metric.RECONSIDERATION,
        _REV,
        exclude=("诉讼", "维持", "纠正", "尚未", "审结"),
        units=_CASE_UNITS,
    ),
    _p(
        Metric.LITIGATION,
        rf"{_LIT}|(?<!复议)诉讼",
        exclude=("复议", "维持", "纠正", "尚未", "审结"),
        units=_CASE_UNITS,
    ),
    _p(
        Metric.NORMATIVE_ISSUED,
        rf"(?:制发|出台|印发|制定)(?:行政)?{_NORMATIVE}",
        exclude=("规章", "废止", "清理"),
    ),
    _p(
        Metric.NORMATIVE_IN_FORCE,
        r"现行有效(?:件数)?",
        exclude=("规章",),
        requires=(_NORMATIVE,),
    ),
)

_NEGATIVE = re.compile(
    rf"(?:未|没有|无)(?:发生|收到|出现|产生)?[^，。；\d]{{0,12}}?(?P<kw>{_REV}|{_LIT})"
)
_PERCENT = re.compile(r"占[^\d，。；]{0,8}?(?P<pct>\d+(?:\.\d+)?)%")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_SENTENCE_SPLIT = re.compile(r"[。；;！？!?\n]+")
_CLAUSE_SPLIT = re.compile(r"(?<!\d),(?!\d)|，|[（）()]")
_COMPARISON = (
    "同比",
    "去年",
    "较上年",
    "比上年",
    "上年度同期",
    "较上一年",
    "比上一年",
    "增长",
    "下降",
    "减少",
)
_APPROX = ("余", "多", "约", "近", "以上", "左右")


@dataclass(frozen=True)
class Statement:
    """A figure found in the narrative."""

    metric: Metric
    value: int
    section: int | None
    sentence: str
    clause: str
    percent: Decimal | None = None
    """A percentage stated right after the figure ("占33.9%"), if any."""
    negative: bool = False
    """True for statements like "未发生行政复议" (value 0, read less strictly)."""


@dataclass(frozen=True)
class NarrativeMismatch:
    """A narrative figure that disagrees with the tables."""

    statement: Statement
    expected: tuple[int, ...]
    """The table value(s) the figure may legitimately equal."""
    unambiguous: bool
    """True when the sentence names the metric unambiguously (error); else warning."""
    kind: str = "count"
    """``count`` or ``percent``."""
    percent_expected: tuple[Decimal, ...] = ()

    @property
    def metric_name(self) -> str:
        """The metric in table vocabulary."""
        return METRIC_NAMES[self.statement.metric]


_HARD_WRAP = re.compile(r"(?<![。；！？!?：:\n])\n(?!\n)")


def _normalise(text: str) -> str:
    """NFKC, no spaces, and hard line wraps inside a sentence joined (PDF text)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[ \t\u3000]+", "", text)
    return _HARD_WRAP.sub("", text)


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(sentence) if c]


def _other_year(clause: str, year: int | None) -> bool:
    if year is None:
        return False
    return any(int(y) != year for y in _YEAR.findall(clause))


def _skip_clause(clause: str, sentence: str, year: int | None) -> bool:
    if _other_year(clause, year):
        return True
    plain = sentence.replace("上年结转", "").replace("上年度结转", "").replace("上一年度结转", "")
    return any(w in plain for w in _COMPARISON)


def _match_clause(clause: str, sentence: str) -> Iterator[tuple[Metric, int, int]]:
    """(metric, value, end offset) for each metric read in one clause."""
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        if any(w in clause for w in pattern.exclude):
            continue
        if pattern.total and clause.startswith("其中"):
            continue
        if any(w not in sentence for w in pattern.requires) or (
            pattern.requires and "规章" in sentence
        ):
            continue
        for m in pattern.regex.finditer(clause):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            after = clause[m.end() : m.end() + 2]
            if any(after.startswith(w) for w in _APPROX) or clause[
                m.start("num") - 1 : m.start("num")
            ] in ("约", "近"):
                continue
            value = parse_number(m.group("num"))
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            yield pattern.metric, value, m.end()


def extract_statements(
    text: str, *, section: int | None = None, year: int | None = None
) -> list[Statement]:
    """Find table figures stated in ``text`` (one section's narrative).

    ``year`` (the report year) makes clauses about other years be ignored.
    """
    out: list[Statement] = []
    for sentence in _SENTENCE_SPLIT.split(_normalise(text)):
        clauses = _clauses(sentence)
        for i, clause in enumerate(clauses):
            if _skip_clause(clause, sentence, year):
                continue
            for metric, value, end in _match_clause(clause, sentence):
                pct = _percent_after(clause[end:], clauses[i + 1] if i + 1 < len(clauses) else "")
                out.append(Statement(metric, value, section, sentence, clause, pct))
            out.extend(_negatives(clause, sentence, section))
    return out


def _percent_after(rest: str, next_clause: str) -> Decimal | None:
    """A percentage stated right after a figure: in the same clause or opening the next one."""
    m = _PERCENT.match(rest) or _PERCENT.match(next_clause)
    return Decimal(m.group("pct")) if m else None


def _negatives(clause: str, sentence: str, section: int | None) -> Iterator[Statement]:
    if re.search(rf"{NUMBER_PATTERN}(?:件|起)", clause):
        return
    for m in _NEGATIVE.finditer(clause):
        metric = Metric.RECONSIDERATION if m.group("kw") == _REV else Metric.LITIGATION
        yield Statement(metric, 0, section, sentence, clause, negative=True)
        if f"、{_LIT}" in clause[m.end() :] or f"和{_LIT}" in clause[m.end() :]:
            yield Statement(Metric.LITIGATION, 0, section, sentence, clause, negative=True)


@dataclass(frozen=True)
class Figure:
    """Any counted figure or percentage in a text, whatever it refers to."""

    value: int | Decimal
    unit: str
    """One of ``FIGURE_UNITS`` or ``%``."""
    text: str
    """The figure as written, e.g. ``两件`` or ``33.9%``."""


FIGURE_UNITS = ("件", "条", "起", "人", "个")
_FIGURE = re.compile(
    rf"(?P<pct>\d+(?:\.\d+)?)%|(?P<num>{NUMBER_PATTERN})(?P<unit>{'|'.join(FIGURE_UNITS)})"
)


def extract_figures(text: str) -> list[Figure]:
    """Every number followed by a counting unit (件/条/起/人/个) or by ``%`` in ``text``.

    Arabic and Chinese numerals are read (``两件`` → 2, ``一百零五条`` → 105). This does not say
    what a figure refers to; ``extract_statements`` does that for the table metrics.
    """
    out: list[Figure] = []
    for m in _FIGURE.finditer(_normalise(text)):
        if m.group("pct") is not None:
            out.append(Figure(Decimal(m.group("pct")), "%", m.group(0)))
            continue
        value = parse_number(m.group("num"))
        if value is not None:
            out.append(Figure(value, m.group("unit"), m.group(0)))
    return out


# --- table side -------------------------------------------------------------------------------


def _t3(report: AnnualReport, row: RowKey) -> int:
    """The 总计 of a table-三 row; when the publisher left it blank, the sum of its columns
    (and for a blank （七）总计, the sum of the outcome rows)."""
    total = report.cell(row, Col.TOT)
    if total is not None:
        return total
    parts = sum(report.cell_or_zero(row, c) for c in APPLICANT_COLUMNS)
    if parts == 0 and row is RowKey.OTOT:
        return sum(_t3(report, k) for k in report.layout.outcome_keys)
    return parts


def _group_sum(report: AnnualReport, group: OutcomeGroup) -> int:
    return sum(_t3(report, k) for k in report.layout.group_keys(group))


def _t4_total(report: AnnualReport, group: T4Group) -> int:
    return report.table4_value(group, T4Cell.TOTAL) or 0


def _t2(report: AnnualReport, key: T2Key) -> int | None:
    if key not in report.layout.table2_keys:
        return None
    value = report.table2_value(key)
    return int(value) if value is not None else None


_LITIGATION_GROUPS = tuple(g.key for g in TABLE4_GROUPS if g.parent_label == _LIT)

_VALUES: dict[Metric, Callable[[AnnualReport], tuple[int, ...]]] = {
    Metric.NEW: lambda r: (_t3(r, RowKey.NEW), _t3(r, RowKey.NEW) + _t3(r, RowKey.CARRY_IN)),
    Metric.CARRY_IN: lambda r: (_t3(r, RowKey.CARRY_IN),),
    Metric.CONCLUDED: lambda r: (_t3(r, RowKey.OTOT),),
    Metric.CARRY_OUT: lambda r: (_t3(r, RowKey.CARRY_OUT),),
    Metric.GRANTED: lambda r: (_t3(r, RowKey.O1),),
    Metric.GRANTED_OR_PARTIAL: lambda r: (_t3(r, RowKey.O1) + _t3(r, RowKey.O2),),
    Metric.PARTIAL: lambda r: (_t3(r, RowKey.O2),),
    Metric.WITHHELD: lambda r: (_group_sum(r, OutcomeGroup.WITHHELD),),
    Metric.UNABLE: lambda r: (_group_sum(r, OutcomeGroup.UNABLE),),
    Metric.NOT_PROCESSED: lambda r: (_group_sum(r, OutcomeGroup.NOT_PROCESSED),),
    Metric.RECONSIDERATION: lambda r: (_t4_total(r, T4Group.REV),),
    Metric.LITIGATION: lambda r: (sum(_t4_total(r, g) for g in _LITIGATION_GROUPS),),
    Metric.NORMATIVE_ISSUED: lambda r: tuple(
        v for v in (_t2(r, T2Key.NORMATIVE_ISSUED), _t2(r, T2Key.NORMATIVE_MADE)) if v is not None
    ),
    Metric.NORMATIVE_IN_FORCE: lambda r: tuple(
        v for v in (_t2(r, T2Key.NORMATIVE_IN_FORCE),) if v is not None
    ),
}


def metric_values(report: AnnualReport, metric: Metric) -> tuple[int, ...]:
    """The table value(s) a narrative figure for ``metric`` may equal (blank cells as 0)."""
    return _VALUES[metric](report)


_PERCENT_BASES: tuple[Callable[[AnnualReport], int], ...] = (
    lambda r: _t3(r, RowKey.OTOT),
    lambda r: _t3(r, RowKey.NEW),
    lambda r: _t3(r, RowKey.NEW) + _t3(r, RowKey.CARRY_IN),
)
_PERCENT_METRICS = frozenset(
    {
        Metric.GRANTED,
        Metric.GRANTED_OR_PARTIAL,
        Metric.PARTIAL,
        Metric.WITHHELD,
        Metric.UNABLE,
        Metric.NOT_PROCESSED,
        Metric.CONCLUDED,
        Metric.CARRY_OUT,
    }
)


def _percent_options(report: AnnualReport, metric: Metric) -> tuple[Decimal, ...]:
    values = metric_values(report, metric)
    out: list[Decimal] = []
    for base in _PERCENT_BASES:
        denominator = base(report)
        if denominator:
            out.extend(Decimal(v * 100) / Decimal(denominator) for v in values)
    return tuple(out)


def _percent_matches(stated: Decimal, options: tuple[Decimal, ...]) -> bool:
    exponent = stated.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(1).scaleb(-places) / 2 + Decimal("0.0001")
    return any(abs(stated - option) <= tolerance for option in options)


def compare_narrative(report: AnnualReport) -> list[NarrativeMismatch]:
    """Every narrative figure of ``report`` that disagrees with its tables (rule M-05)."""
    out: list[NarrativeMismatch] = []
    for number in range(1, 7):
        text = report.section(number)
        if not text:
            continue
        for st in extract_statements(text, section=number, year=report.year):
            expected = metric_values(report, st.metric)
            if not expected:
                continue
            if st.value not in expected:
                out.append(NarrativeMismatch(st, expected, unambiguous=not st.negative))
            if st.percent is not None and st.metric in _PERCENT_METRICS:
                options = _percent_options(report, st.metric)
                if options and not _percent_matches(st.percent, options):
                    out.append(NarrativeMismatch(st, expected, False, "percent", options))
    return out


_FEE_NOTICE = re.compile(
    rf"(?:收费通知书?|缴费通知书?)[^\d，。；]{{0,6}}?(?P<num>{NUMBER_PATTERN})(?:件|份|次|个)"
    rf"|(?P<num2>{NUMBER_PATTERN})(?:件|份|次|个)(?:信息处理费)?(?:收费通知|缴费通知)"
)
_NO_FEE_NOTICE = re.compile(
    r"(?:未|没有|无)(?:发出|出具|发送|制发)?[^，。；\d]{0,6}?(?:收费通知|缴费通知)"
)


def stated_fee_notices(text: str) -> int | None:
    """The number of 信息处理费 fee notices stated in ``text`` (section 六), or None.

    "发出收费通知3件" → 3; "未发出收费通知" → 0.
    """
    plain = _normalise(text)
    m = _FEE_NOTICE.search(plain)
    if m:
        return parse_number(m.group("num") or m.group("num2"))
    return 0 if _NO_FEE_NOTICE.search(plain) else None


# ---------------------------------------------------------------------------------------------
# Internal consistency of the narrative (rules M-11, M-12, M-13)
# ---------------------------------------------------------------------------------------------

_FULL_SENTENCE_SPLIT = re.compile(r"[。！？!?\n]+")
_COUNT = re.compile(rf"(?P<num>{NUMBER_PATTERN})(?P<unit>件|条|起|人|个)(?!%)")


@dataclass(frozen=True)
class Breakdown:
    """A total followed by a 其中 breakdown whose parts add up to more than the total."""

    section: int | None
    sentence: str
    total: int
    parts: tuple[int, ...]
    unit: str
    quote: str = ""
    """The total and the start of its breakdown, as written."""


def breakdown_overflows(text: str, *, section: int | None = None) -> list[Breakdown]:
    """Sentences "共N条，其中：a条；b条…" where the parts exceed N (rule M-11).

    Parts are read up to the end of the sentence or the next 其中; when some leading parts add
    up to the total exactly, the breakdown is taken to have ended there (a later figure such as
    "已办结6件" is about something else), so nothing is reported.
    """
    out: list[Breakdown] = []
    for sentence in _FULL_SENTENCE_SPLIT.split(_normalise(text)):
        at = sentence.find("其中")
        if at < 0:
            continue
        before = list(_COUNT.finditer(sentence[:at]))
        if not before:
            continue
        total_text, unit = before[-1].group("num"), before[-1].group("unit")
        total = parse_number(total_text)
        # Sub-breakdowns in brackets ("197条（政府预决算32条、部门预决算165条）") are not parts.
        rest = re.sub(r"\([^()]*\)", "", sentence[at + 2 :])
        nested = rest.find("其中")
        if nested >= 0:
            rest = rest[:nested]
        parts = [
            value
            for m in _COUNT.finditer(rest)
            if m.group("unit") == unit and (value := parse_number(m.group("num"))) is not None
        ]
        if total is None or len(parts) < 2 or sum(parts) <= total:
            continue
        running = 0
        ended = False
        for value in parts:
            running += value
            if running == total:
                ended = True
                break
        if not ended:
            start = before[-1].start()
            quote = sentence[max(0, start - 20) : at + 30]
            out.append(Breakdown(section, sentence, total, tuple(parts), unit, quote))
    return out


def stale_year_mentions(text: str, *, year: int) -> list[str]:
    """Clauses that narrate the previous year as if it were the report year (rule M-12).

    "2023年，在主动公开的…" inside a 2024 report is the classic copy-paste from last year's
    report; comparisons ("与2023年相比，", "较2023年") are not reported.
    """
    previous = f"{year - 1}年"
    out: list[str] = []
    normal = _normalise(text)
    for m in re.finditer(rf"{previous}[，,]", normal):
        lead = normal[max(0, m.start() - 3) : m.start()]
        if any(word in lead for word in ("较", "比", "与", "同", "和", "至", "到", "于", "及")):
            continue
        out.append(normal[m.start() : m.start() + 40])
    return out


_SUBHEADING = re.compile(r"\((?P<num>[一二三四五六七八九十]{1,3})\)")
_ARTICLE_BEFORE = re.compile(r"(?:第|第[0-9一二三四五六七八九十百零〇]+[条款])$")
_CN_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class SubheadingGap:
    """Sub-heading numbering that jumps: （二） followed directly by （五）."""

    previous: int
    found: int
    quote: str = ""
    """The first words after the heading jumped to (normalised text)."""

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(range(self.previous + 1, self.found))

    @staticmethod
    def label(n: int) -> str:
        """``（五）`` for 5."""
        return f"（{_chinese_numeral(n)}）"


def subheading_gaps(text: str) -> list[SubheadingGap]:
    """Places where the （一）（二）（三） numbering of ``text`` jumps (rule M-13).

    Numbering restarts at （一） (a new part or a nested list); a number lower than or equal to
    the last one is not a jump. References to provisions ("第（一）项", "第二十条（一）",
    "（五）项") are not headings and are skipped. The first heading of the text is not checked
    (a part whose list starts at （三） is not reported).
    """
    normal = _normalise(text)
    out: list[SubheadingGap] = []
    previous = 0
    for m in _SUBHEADING.finditer(normal):
        if normal[m.end() : m.end() + 1] in ("项", "条", "款", "目"):
            continue
        if _ARTICLE_BEFORE.search(normal[max(0, m.start() - 8) : m.start()]):
            continue
        try:
            n = chinese_to_int(m.group("num"))
        except ValueError:
            continue
        if previous > 0 and n > previous + 1:
            out.append(SubheadingGap(previous, n, normal[m.end() : m.end() + 12]))
        previous = n if n == 1 else max(previous, n)
    return out


def _chinese_numeral(n: int) -> str:
    """1…99 as written in headings: 五, 十, 十二, 二十三."""
    if n < 10:
        return _CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        (_CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (_CN_DIGITS[ones - 1] if ones else "")
    )
