"""M-01…M-13: semantic and cross-section rules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gongkai.statutory.checks.common import (
    _finding,
    _plain,
    _row_name,
    _Run,
    _t2_loc,
    _t2_name,
    _t4_label,
    _t4_loc,
)
from gongkai.statutory.checks.model import (
    AgencyKind,
    AgencyLevel,
    CheckContext,
    Finding,
    Location,
    Severity,
    publication_deadline,
)
from gongkai.statutory.checks.yearly import (
    _register_label,
)
from gongkai.statutory.formats import (
    FIRST_2021_YEAR,
    GOVERNMENT_ACCOUNTABILITY_TERMS,
    PROCESSING_FEE_TERM,
    SECTIONS,
    TABLE4_CELL_LABELS,
    Col,
    RowKey,
    T4Cell,
    T4Group,
)
from gongkai.statutory.narrative import (
    NarrativeMismatch,
    breakdown_overflows,
    compare_narrative,
    stale_year_mentions,
    stated_fee_notices,
    subheading_gaps,
)

# ---------------------------------------------------------------------------------------------
# M — semantic and cross-section
# ---------------------------------------------------------------------------------------------

_RULE_MAKERS: frozenset[tuple[AgencyKind, AgencyLevel]] = frozenset(
    {
        (AgencyKind.DEPARTMENT, AgencyLevel.NATIONAL),
        (AgencyKind.GOVERNMENT, AgencyLevel.PROVINCIAL),
        (AgencyKind.GOVERNMENT, AgencyLevel.CITY),
    }
)


def _has_rule_making_power(ctx: CheckContext) -> bool | None:
    if ctx.rule_making_power is not None:
        return ctx.rule_making_power
    if ctx.agency_level in (AgencyLevel.COUNTY, AgencyLevel.TOWNSHIP):
        return False
    if ctx.agency_kind is None or ctx.agency_level is None:
        return None
    return (ctx.agency_kind, ctx.agency_level) in _RULE_MAKERS


def _m01_regulations(run: _Run) -> Iterator[Finding]:
    if _has_rule_making_power(run.ctx) is not False:
        return
    layout = run.layout
    for cell, value in zip(layout.table2_cells, run.report.table2, strict=True):
        if layout.table2_row_of(cell.key).key == "regulation" and value:
            yield _finding(
                "M-01",
                f"本机关没有规章制定权，表二{_t2_name(layout, cell)}应为0，实际填写{value}；"
                f"本机关制发的文件应填入“{_register_label(layout, 'normative')}”行。",
                severity=Severity.ERROR if run.generated else Severity.WARNING,
                location=_t2_loc(layout, cell),
                numbers=(value,),
            )


def _m02_fee_notices(run: _Run) -> Iterator[Finding]:
    if RowKey.O6_2 not in run.layout.table3_keys:
        return
    unpaid = run.report.cell_or_zero(RowKey.O6_2, Col.TOT)
    if unpaid <= 0:
        return
    severity = Severity.ERROR if run.generated else Severity.WARNING
    fees = run.report.processing_fees
    notices = fees.notices if fees is not None else None
    if notices is None:
        notices = stated_fee_notices(run.report.section(6) or "")
    row = _row_name(run.layout, RowKey.O6_2)
    if notices is None:
        yield _finding(
            "M-02",
            f"表三“{row}”为{unpaid}件，但第六部分未报告发出收费通知的件数，请补充信息处理费收费通知情况。",
            severity=severity,
            location=Location(section=6),
            numbers=(unpaid,),
        )
    elif notices < unpaid:
        yield _finding(
            "M-02",
            f"第六部分报告收费通知{notices}件，少于表三“{row}”的{unpaid}件，请核对。",
            severity=severity,
            location=Location(section=6),
            numbers=(notices, unpaid),
        )


def _m03_fee_statement(run: _Run) -> Iterator[Finding]:
    if run.report.year < FIRST_2021_YEAR:
        return
    text = run.report.section(6)
    if text is None and not run.generated:
        return
    if PROCESSING_FEE_TERM not in _plain(text or ""):
        yield _finding(
            "M-03",
            f"第六部分未说明{PROCESSING_FEE_TERM}收取情况，请依据《政府信息公开信息处理费管理办法》写明"
            f"（未收取的，写明“本年度未收取{PROCESSING_FEE_TERM}”）。",
            location=Location(section=6),
        )


def _m04_accountability(run: _Run) -> Iterator[Finding]:
    if run.ctx.agency_kind is not AgencyKind.GOVERNMENT:
        return
    text = _plain(run.report.narrative)
    if not text and not run.generated:
        return
    missing = [t for t in GOVERNMENT_ACCOUNTABILITY_TERMS if t not in text]
    if missing:
        yield _finding(
            "M-04",
            f"人民政府的年度报告应包括工作考核、社会评议和责任追究结果情况，正文未提及“{'、'.join(missing)}”，"
            f"请在“{SECTIONS[0].heading}”的监督保障部分补充。",
            location=Location(section=1),
        )


def _m05_narrative(run: _Run) -> Iterator[Finding]:
    for mismatch in compare_narrative(run.report):
        yield _m05_finding(mismatch)


def _m05_finding(m: NarrativeMismatch) -> Finding:
    st = m.statement
    quote = st.clause if len(st.clause) <= 60 else st.clause[:60] + "…"
    loc = Location(section=st.section)
    if m.kind == "percent":
        options = "、".join(f"{p:.1f}%" for p in m.percent_expected[:3])
        return _finding(
            "M-05",
            f"第{st.section}部分“{quote}”中的比例{st.percent}%与表格不符（按表格计算约为{options}），请核对。",
            severity=Severity.WARNING,
            location=loc,
            numbers=(st.percent or Decimal(0), *m.percent_expected),
        )
    expected = "或".join(str(v) for v in m.expected)
    return _finding(
        "M-05",
        f"第{st.section}部分“{quote}”写的是{st.value}件，表格中{m.metric_name}为{expected}，请核对正文或表格。",
        severity=Severity.ERROR if m.unambiguous else Severity.WARNING,
        location=loc,
        numbers=(st.value, *m.expected),
    )


def _m11_breakdowns(run: _Run) -> Iterator[Finding]:
    for number in range(1, 7):
        text = run.report.section(number)
        if not text:
            continue
        for b in breakdown_overflows(text, section=number):
            parts = "+".join(str(p) for p in b.parts)
            yield _finding(
                "M-11",
                f"第{number}部分“…{b.quote}…”：其中各项{parts}={sum(b.parts)}{b.unit}，"
                f"超过总数{b.total}{b.unit}，请核对。",
                location=Location(section=number),
                numbers=(b.total, *b.parts),
            )


def _m12_stale_year(run: _Run) -> Iterator[Finding]:
    for number in range(1, 5):
        text = run.report.section(number)
        if not text:
            continue
        for clause in stale_year_mentions(text, year=run.report.year):
            yield _finding(
                "M-12",
                f"第{number}部分“{clause}…”以{run.report.year - 1}年叙述，"
                f"而本报告是{run.report.year}年度的，请核对是否沿用了上年报告的文字。",
                location=Location(section=number),
                numbers=(run.report.year - 1,),
            )


_M13_SECTIONS = (1, 5, 6)
"""The narrative parts (二 to 四 are the tables, whose row labels have their own numbering)."""


def _m13_subheadings(run: _Run) -> Iterator[Finding]:
    for number in _M13_SECTIONS:
        text = run.report.section(number)
        if not text:
            continue
        for gap in subheading_gaps(text):
            missing = "".join(gap.label(n) for n in gap.missing)
            yield _finding(
                "M-13",
                f"第{number}部分小标题由{gap.label(gap.previous)}直接跳到"
                f"“{gap.label(gap.found)}{gap.quote}…”，缺少{missing}，请核对是否漏写或编号有误。",
                location=Location(section=number),
                numbers=(gap.previous, gap.found),
            )


def _m08_timeliness(run: _Run) -> Iterator[Finding]:
    published = run.report.published_on
    if published is None:
        return
    deadline = run.ctx.deadline or publication_deadline(run.report.year, run.ctx.agency_kind)
    if published > deadline:
        yield _finding(
            "M-08",
            f"报告于{published.isoformat()}发布，晚于{deadline.isoformat()}的发布期限"
            f"（逾期{(published - deadline).days}天）。",
            numbers=((published - deadline).days,),
        )


def _m09_litigation_after_review(run: _Run) -> Iterator[Finding]:
    after = run.report.table4_value(T4Group.LIT_AFTER_REV, T4Cell.TOTAL) or 0
    reviews = run.report.table4_value(T4Group.REV, T4Cell.TOTAL) or 0
    prev = run.previous
    prev_pending = (prev.table4_value(T4Group.REV, T4Cell.PENDING) or 0) if prev else 0
    if after > 0 and reviews == 0 and prev_pending == 0:
        yield _finding(
            "M-09",
            f"表四“{_t4_label(T4Group.LIT_AFTER_REV)}”为{after}件，但本年{_t4_label(T4Group.REV)}"
            f"{TABLE4_CELL_LABELS[T4Cell.TOTAL]}为0"
            + (f"且上年无{TABLE4_CELL_LABELS[T4Cell.PENDING]}的复议" if prev else "")
            + "，请核实（如系上年已审结的复议案件又被起诉，可忽略）。",
            location=_t4_loc(T4Group.LIT_AFTER_REV, T4Cell.TOTAL),
            numbers=(after, reviews, prev_pending),
        )
