"""Consistency rules for an annual report (spec §2.1–§2.5).

``check_report(report, previous=..., context=...)`` runs every rule that can be decided from one
report, or from two consecutive years of the same agency, and returns ``Finding`` objects with a
rule ID, a severity, a location and a Chinese message a clerk can act on. The same code checks a
report generated from the ledger (``Origin.GENERATED``) and one read from a published document
(``Origin.PARSED``, with ``ParseNotes`` saying what the reader saw); a few severities differ.

The rule catalogue is data (``RULES``); ``docs/checks.md`` is generated from it by
``rules_markdown()``. Labels in messages come from ``formats``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from gongkai.statutory.formats import (
    FIRST_2021_YEAR,
    GOVERNMENT_ACCOUNTABILITY_TERMS,
    OUTCOME_BAND_LABEL,
    PERIOD_TEMPLATE,
    PROCESSING_FEE_TERM,
    SECTIONS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE3_SHORT_LABELS,
    TABLE4_CELL_LABELS,
    TABLE4_CELLS,
    TABLE4_GROUPS,
    TABLE4_LITIGATION_LABEL,
    TABLE4_ORDER,
    TABLE4_REVIEW_LABEL,
    Col,
    FormatVersion,
    Layout,
    RowKey,
    T2Key,
    T4Cell,
    T4Group,
    Table2Cell,
    ValueKind,
    layout_for_year,
    normalize_label,
)
from gongkai.statutory.narrative import (
    NarrativeMismatch,
    breakdown_overflows,
    compare_narrative,
    stale_year_mentions,
    stated_fee_notices,
)
from gongkai.statutory.report import AnnualReport

__all__ = [
    "RULES",
    "AgencyKind",
    "AgencyLevel",
    "CellRef",
    "CheckContext",
    "Finding",
    "Location",
    "Number",
    "Origin",
    "ParseNotes",
    "Rule",
    "Severity",
    "Subtotal",
    "TableId",
    "check_rendered_labels",
    "check_report",
    "expected_labels",
    "findings_by_rule",
    "publication_deadline",
    "rules_markdown",
    "text_similarity",
]

Number = int | Decimal | float


class Severity(StrEnum):
    """How serious a finding is (spec §2)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Origin(StrEnum):
    """Where the report came from; some severities differ (spec §2.1–§2.5)."""

    GENERATED = "generated"
    """Produced by our ledger: statutory/arithmetic problems block publication."""
    PARSED = "parsed"
    """Read from a published document."""


class AgencyKind(StrEnum):
    """Who publishes the report."""

    GOVERNMENT = "government"
    """A 人民政府's own report (county level and above: deadline 3月31日; M-04 applies)."""
    DEPARTMENT = "department"
    """A 政府部门 or other body reporting to a government (deadline 1月31日)."""


class AgencyLevel(StrEnum):
    """Administrative level of the agency."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    """设区的市、自治州."""
    COUNTY = "county"
    TOWNSHIP = "township"


class TableId(StrEnum):
    """The three statutory tables."""

    T2 = "table2"
    T3 = "table3"
    T4 = "table4"


@dataclass(frozen=True)
class CellRef:
    """A cell of a statutory table, by keys.

    table 二: ``row`` = ``T2Key`` value, ``col`` = "". table 三: ``row`` = ``RowKey`` value, ``col``
    = ``Col`` value. table 四: ``row`` = ``T4Group`` value, ``col`` = ``T4Cell`` value.
    """

    table: TableId
    row: str
    col: str = ""


@dataclass(frozen=True)
class Subtotal:
    """An extra subtotal printed in a parsed report (a 法人或其他组织 小计 column, or a subtotal row
    for （三）–（六）); A-05 checks ``value`` against the sum of ``parts``."""

    label: str
    value: int | None
    parts: tuple[CellRef, ...]


@dataclass(frozen=True)
class ParseNotes:
    """What the reader saw in a published report, beyond the values in ``AnnualReport``.

    Leave a field at its default when the reader did not look; the rules that need it then stay
    quiet. ``CheckContext.notes is None`` means "not parsed" (generated report).
    """

    headings_seen: tuple[tuple[int, str], ...] = ()
    """(section number 1–6, heading as printed) in document order; S-01. Empty = not recorded."""
    table3_note_present: bool | None = None
    """Whether the 勾稽 note was found in table 三's header; S-06."""
    table2_rows_missing: tuple[str, ...] = ()
    """``Table2Row.key`` of required table-二 rows not found (e.g. ``"normative"``); S-03."""
    table2_extra_rows: tuple[str, ...] = ()
    """Labels of extra (local) table-二 rows found; S-03 info."""
    table3_rows_missing: tuple[RowKey, ...] = ()
    """Table-三 rows of the report's layout not found; S-04."""
    table3_extra_rows: tuple[str, ...] = ()
    """Labels of table-三 rows that match no row of the layout; S-04."""
    table3_bad_rows: tuple[tuple[RowKey, int], ...] = ()
    """Rows found with a number of values other than 7: (row, values found); S-04."""
    table4_values_found: int | None = None
    """How many numbers the table-四 data row had (15 expected); S-05."""
    placeholder_cells: tuple[tuple[CellRef, str], ...] = ()
    """Cells printed as a placeholder (``—``, ``-``, ``/``, ``无``), with the text; V-02."""
    invalid_cells: tuple[tuple[CellRef, str], ...] = ()
    """Cells whose text is not a valid number for the cell (e.g. ``1.5`` in table 三), with the
    text; the report holds None there; V-01/V-03."""
    fee_cell_text: str | None = None
    """The 行政事业性收费 cell as printed (to spot ``元`` written instead of ``万元``); V-04."""
    subtotals: tuple[Subtotal, ...] = ()
    """Extra subtotals printed in the report; A-05."""


@dataclass(frozen=True)
class CheckContext:
    """Facts about the report that the report itself does not carry."""

    origin: Origin = Origin.PARSED
    agency_kind: AgencyKind | None = None
    agency_level: AgencyLevel | None = None
    rule_making_power: bool | None = None
    """Whether the agency may make 规章 (M-01); None = infer from kind and level."""
    deadline: date | None = None
    """Publication deadline; None = the statutory one for ``agency_kind`` (M-08)."""
    fee_max_10k_yuan: Decimal = Decimal(100000)
    """Above this, a 行政事业性收费 amount looks like it was entered in 元 (V-04)."""
    similarity_threshold: float = 0.9
    """Narrative similarity to the previous year that triggers Y-06."""
    notes: ParseNotes | None = None


@dataclass(frozen=True)
class Location:
    """Where a finding is, in words a clerk recognises (labels from ``formats``)."""

    section: int | None = None
    table: TableId | None = None
    row: str | None = None
    """Row label as printed (e.g. ``（二）部分公开…``)."""
    column: str | None = None
    """Column label as printed (e.g. ``总计``)."""
    row_key: str | None = None
    col_key: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule."""

    rule: str
    """Rule ID, e.g. ``A-01``."""
    severity: Severity
    message: str
    """Chinese, saying what is wrong and how to fix it."""
    location: Location = field(default_factory=Location)
    numbers: tuple[Number, ...] = ()
    """The numbers involved (operands, then the printed result where relevant)."""


# ---------------------------------------------------------------------------------------------
# Rule catalogue
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue, as listed in docs and UIs."""

    id: str
    title: str
    severity: Severity
    """Default severity; ``severity_note`` says when it differs."""
    description: str
    severity_note: str = ""


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[Rule, ...] = (
    Rule(
        "S-01",
        "六个部分齐全且顺序正确",
        _E,
        "报告应依次包含一、总体情况至六、其他需要报告的事项六个部分。",
        "缺少部分为 error；使用非标准标题为 warning",
    ),
    Rule(
        "S-02",
        "格式版本与报告年度相符",
        _E,
        "2021年及以后的报告使用2021年格式（本年制发件数等、（六）其他处理分3项、无第（九）项）；2019、2020年度使用2019年格式。",
    ),
    Rule(
        "S-03",
        "表二栏目齐全",
        _E,
        "主动公开情况表应包含本格式规定的全部栏目和行；地方增加的行允许存在。",
        "缺少必填行为 error；多出的地方行为 info",
    ),
    Rule(
        "S-04",
        "表三行列齐全",
        _E,
        "收到和处理申请情况表应有25行（2019年格式23行）数据、每行7列，顺序与格式一致。",
    ),
    Rule("S-05", "表四数据为15项", _E, "行政复议、行政诉讼情况表的数据行应恰好有15个数。"),
    Rule(
        "S-06",
        "表三印有勾稽关系说明",
        _W,
        "表三表头应印有“（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）”。",
    ),
    Rule(
        "S-07",
        "统计期限与报告年度一致",
        _E,
        "统计期限应为报告年度1月1日至12月31日，标题中的年度应与报告年度一致。",
        "期限不符为 error；未写明期限为 warning",
    ),
    Rule(
        "S-08",
        "生成的标签与格式逐字一致",
        _E,
        "生成（渲染）的报告中，标题、表头、行列名称须与官方格式逐字相同（含全角标点）。仅用于生成端。",
    ),
    Rule("V-01", "表三、表四为非负整数", _E, "表三、表四每个单元格应为大于等于0的整数。"),
    Rule(
        "V-02",
        "空白单元格应填0",
        _W,
        "表二、表三、表四中不应留空或填写“—”“/”“无”，没有数据的应填0；计算时按0处理。",
    ),
    Rule("V-03", "表二数值合法", _E, "表二件数应为非负整数；2019年格式的“本年增/减”可以为负数。"),
    Rule(
        "V-04",
        "行政事业性收费金额单位为万元",
        _W,
        "2021年格式的收费金额以万元为单位，可有小数；写成“元”或数值明显过大的，可能误按元填报。",
        "金额为负数为 error",
    ),
    Rule(
        "A-01",
        "表三各行总计等于各列之和",
        _E,
        "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。",
        "总计列整列未填为 warning（按各列之和继续核对）",
    ),
    Rule(
        "A-02",
        "办理结果（七）总计等于各项结果之和",
        _E,
        "每一列：（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）各项。",
    ),
    Rule(
        "A-03",
        "勾稽关系：第一项＋第二项＝第三项＋第四项",
        _E,
        "每一列：本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理。",
    ),
    Rule(
        "A-04",
        "表四各组总计等于各结果之和",
        _E,
        "行政复议、未经复议直接起诉、复议后起诉三组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
    ),
    Rule(
        "A-05",
        "额外小计与其组成部分一致",
        _W,
        "报告自行增加的小计（如“法人或其他组织”小计列，或（三）至（六）的小计行）应等于其组成部分之和。",
    ),
    Rule(
        "A-06",
        "结转下年度不超过可办理总数",
        _E,
        "每一列：结转下年度继续办理 ≤ 本年新收 + 上年结转。",
    ),
    Rule(
        "Y-01",
        "上年结转等于上年报告的结转下年度",
        _W,
        "每一列：本年“上年结转”应等于上一年度报告的“结转下年度继续办理”。",
        "由台账生成的报告为 error",
    ),
    Rule(
        "Y-02",
        "现行有效件数前后年度衔接",
        _W,
        "2021年格式：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数（规章、行政规范性文件分别核对）。",
    ),
    Rule(
        "Y-03",
        "本年制发件数不超过现行有效与废止之和",
        _W,
        "本年制发件数 ≤ 现行有效件数 + 本年废止件数。",
    ),
    Rule(
        "Y-04",
        "本年废止件数不超过可废止件数",
        _W,
        "本年废止件数 ≤ 上年现行有效件数 + 本年制发件数。",
    ),
    Rule(
        "Y-05",
        "2019年格式项目数量前后衔接",
        _W,
        "2019年格式：上一年项目数量 + 本年增/减 ≥ 0；两年均为2019年格式时，本年“上一年项目数量”应等于上年的“上一年项目数量 + 本年增/减”。",
    ),
    Rule(
        "Y-06",
        "正文与上年报告高度雷同",
        _W,
        "正文文字与上一年度报告的相似度达到阈值（默认90%）。2021年格式将“内容雷同”列为追责情形。",
    ),
    Rule(
        "Y-07",
        "表格数据与上年完全相同",
        _W,
        "表二、表三、表四的全部数据与上一年度完全相同且不全为0，应核实是否照抄上年数据。",
    ),
    Rule(
        "M-01",
        "无规章制定权的机关规章栏应为0",
        _W,
        "只有国务院部门，省、自治区、直辖市人民政府，设区的市、自治州人民政府可以制定规章；其他机关“规章”一行应为0。",
        "由台账生成且已知机关类型时为 error",
    ),
    Rule(
        "M-02",
        "逾期未缴费不再处理的，第六部分应报告收费通知",
        _W,
        "表三（六）2“逾期未按收费通知要求缴纳费用”大于0时，第六部分应报告发出的收费通知件数，且不少于该行总计。",
        "由台账生成的报告为 error",
    ),
    Rule(
        "M-03",
        "第六部分报告信息处理费情况",
        _W,
        "2021年及以后，第六部分应说明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取也应说明）。",
    ),
    Rule(
        "M-04",
        "人民政府报告包含工作考核、社会评议和责任追究结果",
        _W,
        "各级人民政府的年度报告还应包括工作考核、社会评议和责任追究结果情况（条例第五十条第一款第（四）项）。",
    ),
    Rule(
        "M-05",
        "正文数字与表格一致",
        _W,
        "正文中提到的申请数、办结数、结转数、复议诉讼数、规范性文件件数、各类办理结果及百分比应与表格一致。",
        "句子明确指向同一指标且数字不符时为 error",
    ),
    Rule(
        "M-11",
        "正文分项之和不超过总数",
        _W,
        "正文“共N条（件），其中……”列出的分项之和不应超过总数（gongkai 增加的规则）。",
    ),
    Rule(
        "M-12",
        "正文年份与报告年度一致",
        _W,
        "正文以上一年年份叙述本年情况（如2024年报告中写“2023年，在主动公开的……”），多为沿用上年报告未改（gongkai 增加的规则）。",
    ),
    Rule(
        "M-08",
        "按时发布",
        _W,
        "县级以上人民政府部门应于每年1月31日前、县级以上地方人民政府应于3月31日前公布上一年度报告（或按本地规定的期限）。",
    ),
    Rule(
        "M-09",
        "复议后起诉而本年无复议",
        _I,
        "表四“复议后起诉”有数据，但本年行政复议总计为0且上年无尚未审结的复议，请核实。",
    ),
)
"""Every rule ``check_report`` implements (plus S-08, run by ``check_rendered_labels``)."""

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def rules_markdown() -> str:
    """The rule catalogue as Markdown (the content of ``docs/checks.md``)."""
    lines = [
        "# 年度报告检查规则",
        "",
        "由 `gongkai.statutory.checks.RULES` 生成（`rules_markdown()`），请勿手工修改；"
        "规则编号与 `docs/reference/annual-report-and-regulation-spec.md` §2 一致。",
        "",
        "严重程度：error = 违反法定格式或算术关系（生成时阻止发布）；warning = 很可能有误或质量问题；info = 值得一看。",
        "",
        "| 编号 | 规则 | 严重程度 | 说明 |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        severity = rule.severity.value + (f"（{rule.severity_note}）" if rule.severity_note else "")
        lines.append(f"| {rule.id} | {rule.title} | {severity} | {rule.description} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    context: CheckContext | None = None,
) -> list[Finding]:
    """Run every rule on ``report``; the year-over-year rules (Y-, M-09) also use ``previous``,
    the same agency's report for the year before (ignored unless its year is ``report.year − 1``).

    Findings come in catalogue order (S-, V-, A-, Y-, M-).
    """
    ctx = context or CheckContext()
    prev = previous if previous is not None and previous.year == report.year - 1 else None
    run = _Run(report, prev, ctx)
    out: list[Finding] = []
    for rule in _RULE_FUNCS:
        out.extend(rule(run))
    return out


def findings_by_rule(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """Group findings by rule ID."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def publication_deadline(year: int, kind: AgencyKind | None) -> date:
    """Statutory publication deadline of the report for ``year`` (条例第四十九条).

    Departments: 1月31日 of the next year; governments (and unknown kinds, to stay
    conservative): 3月31日.
    """
    if kind is AgencyKind.DEPARTMENT:
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    report: AnnualReport
    previous: AnnualReport | None
    ctx: CheckContext

    @property
    def layout(self) -> Layout:
        return self.report.layout

    @property
    def generated(self) -> bool:
        return self.ctx.origin is Origin.GENERATED

    @property
    def notes(self) -> ParseNotes:
        return self.ctx.notes or ParseNotes()


_COL_LABEL: dict[Col, str] = {c.key: c.label for c in TABLE3_COLUMNS}
_SHORT = TABLE3_SHORT_LABELS
_TABLE_NAME: dict[TableId, str] = {TableId.T2: "表二", TableId.T3: "表三", TableId.T4: "表四"}
_TABLE_SECTION: dict[TableId, int] = {TableId.T2: 2, TableId.T3: 3, TableId.T4: 4}
_PARENTHETICAL = re.compile(r"（[^（）]*）$")


def _finding(
    rule: str,
    message: str,
    *,
    severity: Severity | None = None,
    location: Location | None = None,
    numbers: Iterable[Number] = (),
) -> Finding:
    return Finding(
        rule,
        severity or RULES_BY_ID[rule].severity,
        message,
        location or Location(),
        tuple(numbers),
    )


def _row_name(layout: Layout, key: RowKey) -> str:
    """Short row label for messages, e.g. ``（二）部分公开`` or ``（三）不予公开 1.属于国家秘密``."""
    row = layout.table3_row(key)
    label = _PARENTHETICAL.sub("", row.label) if row.label.startswith("（") else row.label
    return f"{row.group_label} {label}" if row.group_label else label


def _t3_loc(layout: Layout, row: RowKey | None = None, col: Col | None = None) -> Location:
    return Location(
        section=3,
        table=TableId.T3,
        row=_row_name(layout, row) if row else None,
        column=_COL_LABEL[col] if col else None,
        row_key=row.value if row else None,
        col_key=col.value if col else None,
    )


def _t4_label(group: T4Group) -> str:
    spec = next(g for g in TABLE4_GROUPS if g.key is group)
    return f"{spec.parent_label}（{spec.label}）" if spec.parent_label else spec.label


def _t4_loc(group: T4Group, cell: T4Cell | None = None) -> Location:
    return Location(
        section=4,
        table=TableId.T4,
        row=_t4_label(group),
        column=TABLE4_CELL_LABELS[cell] if cell else None,
        row_key=group.value,
        col_key=cell.value if cell else None,
    )


def _t2_name(layout: Layout, cell: Table2Cell) -> str:
    row = layout.table2_row_of(cell.key)
    return f"“{row.label}”行“{cell.header}”"


def _t2_loc(layout: Layout, cell: Table2Cell) -> Location:
    row = layout.table2_row_of(cell.key)
    return Location(2, TableId.T2, row.label, cell.header, cell.key.value, "")


def _header(layout: Layout, key: T2Key) -> str:
    return layout.table2_cell(key).header


def _t4_sum_text(parts: Sequence[int]) -> str:
    return " + ".join(
        f"{TABLE4_CELL_LABELS[c]}{v}" for c, v in zip(TABLE4_CELLS, parts, strict=False)
    )


def _ref_name(layout: Layout, ref: CellRef) -> str:
    """Human name of a referenced cell."""
    if ref.table is TableId.T3:
        try:
            return f"“{_row_name(layout, RowKey(ref.row))}”行“{_COL_LABEL[Col(ref.col)]}”列"
        except (KeyError, ValueError):
            return f"{ref.row}/{ref.col}"
    if ref.table is TableId.T4:
        try:
            return f"“{_t4_label(T4Group(ref.row))}”“{TABLE4_CELL_LABELS[T4Cell(ref.col)]}”"
        except ValueError:
            return f"{ref.row}/{ref.col}"
    try:
        return _t2_name(layout, layout.table2_cell(T2Key(ref.row)))
    except (KeyError, ValueError):
        return ref.row


def _ref_value(report: AnnualReport, ref: CellRef) -> int | Decimal | None:
    try:
        if ref.table is TableId.T3:
            return report.cell(ref.row, ref.col)
        if ref.table is TableId.T4:
            return report.table4_value(ref.row, ref.col)
        return report.table2_value(ref.row)
    except (KeyError, ValueError):
        return None


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _join(items: Sequence[str], limit: int = 6) -> str:
    shown = "、".join(items[:limit])
    return shown + (f"等{len(items)}处" if len(items) > limit else "")


# ---------------------------------------------------------------------------------------------
# S — structure and version
# ---------------------------------------------------------------------------------------------


def _s01_sections(run: _Run) -> Iterator[Finding]:
    seen = run.notes.headings_seen
    if seen:
        yield from _s01_from_headings(seen)
        return
    if not run.generated and not any(run.report.sections):
        return  # the reader recorded nothing about sections
    for spec in SECTIONS:
        if spec.number in (1, 5, 6) and not (run.report.section(spec.number) or "").strip():
            yield _finding(
                "S-01",
                f"缺少“{spec.heading}”部分的内容，请按格式补写。",
                location=Location(section=spec.number),
            )


def _s01_from_headings(seen: tuple[tuple[int, str], ...]) -> Iterator[Finding]:
    numbers = [n for n, _ in seen]
    for spec in SECTIONS:
        if spec.number not in numbers:
            yield _finding(
                "S-01",
                f"未找到第{spec.number}部分“{spec.heading}”，年度报告六个部分缺一不可，请补充。",
                location=Location(section=spec.number),
            )
    if numbers != sorted(numbers):
        yield _finding(
            "S-01",
            f"各部分顺序与格式不一致（实际顺序：{'、'.join(str(n) for n in numbers)}），请按一至六的顺序排列。",
        )
    by_number = {s.number: s for s in SECTIONS}
    for number, printed in seen:
        section = by_number.get(number)
        if section and normalize_label(printed) != normalize_label(section.heading):
            yield _finding(
                "S-01",
                f"第{number}部分标题“{printed}”不是格式规定的标题，应为“{section.heading}”。",
                severity=Severity.WARNING,
                location=Location(section=number),
            )


def _s02_version(run: _Run) -> Iterator[Finding]:
    required = layout_for_year(run.report.year).version
    if run.report.format_version is not required:
        yield _finding(
            "S-02",
            f"{run.report.year}年度报告应使用{required.value}年格式，实际使用的是"
            f"{run.report.format_version.value}年格式的表格，请改用{required.value}年格式重新填报。",
            numbers=(run.report.year,),
        )


def _s03_table2(run: _Run) -> Iterator[Finding]:
    notes = run.notes
    labels = {row.key: row.label for block in run.layout.table2 for row in block.rows}
    for key in notes.table2_rows_missing:
        label = labels.get(key, key)
        yield _finding(
            "S-03",
            f"表二缺少“{label}”一行，请按{run.layout.version.value}年格式补齐（没有数据填0）。",
            location=Location(section=2, table=TableId.T2, row=label, row_key=key),
        )
    for label in notes.table2_extra_rows:
        yield _finding(
            "S-03",
            f"表二有格式以外的行“{label}”（地方增加的行可以保留，汇总时不计入）。",
            severity=Severity.INFO,
            location=Location(section=2, table=TableId.T2, row=label),
        )


def _s04_table3(run: _Run) -> Iterator[Finding]:
    notes = run.notes
    for key in notes.table3_rows_missing:
        yield _finding(
            "S-04",
            f"表三缺少“{_row_name(run.layout, key)}”一行，请按格式补齐（没有数据填0）。",
            location=_t3_loc(run.layout, key),
        )
    for key, found in notes.table3_bad_rows:
        yield _finding(
            "S-04",
            f"表三“{_row_name(run.layout, key)}”行有{found}个数，应为{len(TABLE3_COLUMNS)}个"
            f"（{TABLE3_COLUMNS[0].label}至{TABLE3_COLUMNS[-1].label}）。",
            location=_t3_loc(run.layout, key),
            numbers=(found, len(TABLE3_COLUMNS)),
        )
    for label in notes.table3_extra_rows:
        yield _finding(
            "S-04",
            f"表三有格式以外的行“{label}”，请删除或并入格式规定的行。",
            location=Location(section=3, table=TableId.T3, row=label),
        )


def _s05_table4(run: _Run) -> Iterator[Finding]:
    found = run.notes.table4_values_found
    if found is not None and found != len(TABLE4_ORDER):
        yield _finding(
            "S-05",
            f"表四数据行有{found}个数，应为{len(TABLE4_ORDER)}个（{TABLE4_REVIEW_LABEL}{len(TABLE4_CELLS)}项、"
            f"两类{TABLE4_LITIGATION_LABEL}各{len(TABLE4_CELLS)}项）。",
            location=Location(section=4, table=TableId.T4),
            numbers=(found, len(TABLE4_ORDER)),
        )


def _s06_note(run: _Run) -> Iterator[Finding]:
    if run.notes.table3_note_present is False:
        yield _finding(
            "S-06",
            f"表三表头缺少勾稽关系说明，应印有“{TABLE3_NOTE}”。",
            location=Location(section=3, table=TableId.T3),
        )


_PERIOD = re.compile(r"(?P<y1>\d{4})年0?1月0?1日?(?:至|到|-|—|~)(?:(?P<y2>\d{4})年)?12月31日")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def _s07_period(run: _Run) -> Iterator[Finding]:
    report = run.report
    year = report.year
    expected = PERIOD_TEMPLATE.format(year=year)
    if report.title:
        m = _TITLE_YEAR.search(_plain(report.title))
        if m and int(m.group(1)) != year:
            yield _finding(
                "S-07",
                f"标题中的年度为{m.group(1)}年，与报告年度{year}年不一致，请改正。",
                numbers=(int(m.group(1)), year),
            )
    period = report.period
    if period is None or (period.start is None and period.end is None and not period.text):
        yield _finding(
            "S-07",
            f"未写明统计期限，应写明“本报告所列数据的统计期限为{expected}”。",
            severity=Severity.WARNING,
        )
        return
    wrong = _period_wrong(period.start, period.end, period.text, year)
    if wrong:
        yield _finding("S-07", f"统计期限“{wrong}”与报告年度不符，应为{expected}。")


def _period_wrong(start: date | None, end: date | None, text: str | None, year: int) -> str | None:
    if start is not None and start != date(year, 1, 1):
        return f"{start.isoformat()}起"
    if end is not None and end != date(year, 12, 31):
        return f"至{end.isoformat()}"
    if text and start is None and end is None:
        m = _PERIOD.search(_plain(text))
        if m is None:
            return text
        if int(m.group("y1")) != year or (m.group("y2") and int(m.group("y2")) != year):
            return m.group(0)
    return None


# ---------------------------------------------------------------------------------------------
# S-08 — generator side: rendered labels
# ---------------------------------------------------------------------------------------------


def expected_labels(layout: Layout) -> tuple[str, ...]:
    """Every label a rendering of ``layout`` must contain verbatim (S-08)."""
    labels: list[str] = [s.heading for s in layout.sections]
    for block in layout.table2:
        labels.extend((block.caption, *block.header, *(r.label for r in block.rows)))
    labels.append(TABLE3_NOTE)
    labels.extend(c.label for c in TABLE3_COLUMNS)
    labels.append(OUTCOME_BAND_LABEL)
    for row in layout.table3_rows:
        labels.append(row.label)
        if row.group_label:
            labels.append(row.group_label)
    labels.extend(g.label for g in TABLE4_GROUPS)
    labels.extend(g.parent_label for g in TABLE4_GROUPS if g.parent_label)
    labels.extend(TABLE4_CELL_LABELS.values())
    return tuple(dict.fromkeys(labels))


def check_rendered_labels(rendered: Iterable[str], layout: Layout) -> list[Finding]:
    """S-08: each statutory label of ``layout`` must appear byte-for-byte among the rendered
    strings (cell texts and headings of a generated report). A label present only in a
    normalised form (e.g. half-width brackets) is reported with what was found."""
    texts = [t.strip() for t in rendered]
    exact = set(texts)
    by_norm: dict[str, str] = {}
    for t in texts:
        by_norm.setdefault(normalize_label(t), t)
    out: list[Finding] = []
    for label in expected_labels(layout):
        if label in exact or any(label in t for t in texts):
            continue
        near = by_norm.get(normalize_label(label))
        detail = f"，实际为“{near}”（标点或字形不同）" if near else "，未找到"
        out.append(_finding("S-08", f"标签应为“{label}”{detail}。请使用格式规定的原文。"))
    return out


# ---------------------------------------------------------------------------------------------
# V — cell values
# ---------------------------------------------------------------------------------------------


def _v01_nonnegative(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for key, values in zip(layout.table3_keys, run.report.table3, strict=True):
        for col, value in zip(Col, values, strict=True):
            if value is not None and value < 0:
                yield _finding(
                    "V-01",
                    f"表三“{_row_name(layout, key)}”行“{_COL_LABEL[col]}”列为{value}，件数不能为负数。",
                    location=_t3_loc(layout, key, col),
                    numbers=(value,),
                )
    for (group, cell), value in zip(TABLE4_ORDER, run.report.table4, strict=True):
        if value is not None and value < 0:
            yield _finding(
                "V-01",
                f"表四“{_t4_label(group)}”“{TABLE4_CELL_LABELS[cell]}”为{value}，件数不能为负数。",
                location=_t4_loc(group, cell),
                numbers=(value,),
            )
    for ref, text in run.notes.invalid_cells:
        if ref.table is not TableId.T2:
            yield _finding(
                "V-01",
                f"{_TABLE_NAME[ref.table]}{_ref_name(layout, ref)}填写为“{text}”，应为非负整数。",
                location=Location(
                    _TABLE_SECTION[ref.table], ref.table, row_key=ref.row, col_key=ref.col
                ),
            )


def _v02_blanks(run: _Run) -> Iterator[Finding]:
    yield from _v02_table3(run)
    yield from _v02_table2(run)
    blanks4 = [
        f"{_t4_label(g)}“{TABLE4_CELL_LABELS[c]}”"
        for (g, c), v in zip(TABLE4_ORDER, run.report.table4, strict=True)
        if v is None
    ]
    if blanks4:
        yield _finding(
            "V-02",
            f"表四有{len(blanks4)}个空白单元格（{_join(blanks4)}），没有数据的应填0。",
            location=Location(section=4, table=TableId.T4),
            numbers=(len(blanks4),),
        )
    yield from _v02_placeholders(run)


def _v02_table3(run: _Run) -> Iterator[Finding]:
    layout, report = run.layout, run.report
    blank_cols = [c for i, c in enumerate(Col) if all(r[i] is None for r in report.table3)]
    for col in blank_cols:
        yield _finding(
            "V-02",
            f"表三“{_COL_LABEL[col]}”列全部空白，没有数据的应逐格填0。",
            location=_t3_loc(layout, None, col),
        )
    rows = [
        (key, [c for i, c in enumerate(Col) if values[i] is None and c not in blank_cols])
        for key, values in zip(layout.table3_keys, report.table3, strict=True)
    ]
    rows = [(k, cols) for k, cols in rows if cols]
    if rows:
        count = sum(len(cols) for _, cols in rows)
        names = [_row_name(layout, k) for k, _ in rows]
        yield _finding(
            "V-02",
            f"表三另有{count}个空白单元格，涉及{len(rows)}行（{_join(names, 4)}），没有数据的应填0。",
            location=Location(section=3, table=TableId.T3),
            numbers=(count,),
        )


def _v02_table2(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for cell, value in zip(layout.table2_cells, run.report.table2, strict=True):
        if value is None:
            yield _finding(
                "V-02",
                f"表二{_t2_name(layout, cell)}为空白，没有数据的应填0。",
                location=_t2_loc(layout, cell),
            )


def _v02_placeholders(run: _Run) -> Iterator[Finding]:
    by_table: dict[TableId, list[tuple[CellRef, str]]] = {}
    for ref, text in run.notes.placeholder_cells:
        by_table.setdefault(ref.table, []).append((ref, text))
    for table, items in by_table.items():
        marks = "、".join(dict.fromkeys(f"“{t}”" for _, t in items))
        where = _join([_ref_name(run.layout, r) for r, _ in items], 4)
        yield _finding(
            "V-02",
            f"{_TABLE_NAME[table]}有{len(items)}个单元格填写为{marks}（{where}），应填0。",
            location=Location(section=_TABLE_SECTION[table], table=table),
            numbers=(len(items),),
        )


def _v03_table2(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    for cell, value in zip(layout.table2_cells, run.report.table2, strict=True):
        if value is None or cell.key is T2Key.ADMIN_FEE_AMOUNT:
            continue
        problem = _t2_problem(cell.kind, value)
        if problem:
            yield _finding(
                "V-03",
                f"表二{_t2_name(layout, cell)}为{value}，{problem}。",
                location=_t2_loc(layout, cell),
                numbers=(value,),
            )
    for ref, text in run.notes.invalid_cells:
        if ref.table is TableId.T2:
            yield _finding(
                "V-03",
                f"表二{_ref_name(layout, ref)}填写为“{text}”，不是有效数字。",
                location=Location(2, TableId.T2, row_key=ref.row),
            )


def _t2_problem(kind: ValueKind, value: int | Decimal) -> str | None:
    if kind.is_decimal:
        return "金额不能为负数" if value < 0 else None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "件数应为整数"
    if kind is ValueKind.COUNT and value < 0:
        return "件数不能为负数"
    return None


def _v04_fee(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    if T2Key.ADMIN_FEE_AMOUNT not in layout.table2_keys:
        return
    cell = layout.table2_cell(T2Key.ADMIN_FEE_AMOUNT)
    loc = _t2_loc(layout, cell)
    value = run.report.table2_value(T2Key.ADMIN_FEE_AMOUNT)
    text = run.notes.fee_cell_text
    if text and "元" in text and "万" not in text:
        yield _finding(
            "V-04",
            f"“{cell.header}”写作“{text}”，本栏单位为万元，请换算为万元填写（1万元 = 10000元）。",
            location=loc,
        )
    if value is None:
        return
    if value < 0:
        yield _finding(
            "V-04",
            f"表二{_t2_name(layout, cell)}为{value}，金额不能为负数。",
            severity=Severity.ERROR,
            location=loc,
            numbers=(value,),
        )
    elif value > run.ctx.fee_max_10k_yuan:
        yield _finding(
            "V-04",
            f"表二{_t2_name(layout, cell)}为{value}万元，数额异常大，请确认是否误按“元”填报（本栏单位为万元）。",
            location=loc,
            numbers=(value, run.ctx.fee_max_10k_yuan),
        )


# ---------------------------------------------------------------------------------------------
# A — arithmetic inside one report
# ---------------------------------------------------------------------------------------------

_TOT_INDEX = len(TABLE3_COLUMNS) - 1


def _parts_sum(values: Sequence[int | None]) -> int:
    return sum(v or 0 for v in values[:_TOT_INDEX])


def _effective_table3(report: AnnualReport) -> dict[RowKey, list[int]]:
    """Table 三 with blanks as 0, a blank 总计 filled with its row sum, and a blank （七）总计
    cell filled with its column's outcome sum — so that one unfilled total is reported once
    (by A-01/A-02) and not again as a 勾稽 mismatch."""
    layout = report.layout
    eff: dict[RowKey, list[int]] = {}
    for key, values in zip(layout.table3_keys, report.table3, strict=True):
        row = [v or 0 for v in values]
        if values[_TOT_INDEX] is None:
            row[_TOT_INDEX] = _parts_sum(values)
        eff[key] = row
    printed = report.row(RowKey.OTOT)
    for i in range(len(TABLE3_COLUMNS)):
        if printed[i] is None:
            eff[RowKey.OTOT][i] = sum(eff[k][i] for k in layout.outcome_keys)
    return eff


def _a01_row_totals(run: _Run) -> Iterator[Finding]:
    layout = run.layout
    unfilled: list[tuple[RowKey, int]] = []
    for key, values in zip(layout.table3_keys, run.report.table3, strict=True):
        parts = _parts_sum(values)
        total = values[_TOT_INDEX]
        if total is None:
            if parts:
                unfilled.append((key, parts))
        elif total != parts:
            yield _finding(
                "A-01",
                f"表三“{_row_name(layout, key)}”行：各列之和为{parts}，总计列填写{total}，请核对后改正。",
                location=_t3_loc(layout, key, Col.TOT),
                numbers=(*(v or 0 for v in values[:_TOT_INDEX]), total),
            )
    yield from _a01_unfilled(layout, unfilled)


def _a01_unfilled(layout: Layout, unfilled: list[tuple[RowKey, int]]) -> Iterator[Finding]:
    if len(unfilled) > 1:
        names = _join([_row_name(layout, k) for k, _ in unfilled], 4)
        yield _finding(
            "A-01",
            f"表三总计列未填（共{len(unfilled)}行，如{names}），请按各列之和填写总计；本次核对按各列之和计算。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, None, Col.TOT),
            numbers=tuple(p for _, p in unfilled),
        )
    elif unfilled:
        key, parts = unfilled[0]
        yield _finding(
            "A-01",
            f"表三“{_row_name(layout, key)}”行：总计列未填，各列之和为{parts}，请填写。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, key, Col.TOT),
            numbers=(parts,),
        )


def _a02_outcome_total(run: _Run) -> Iterator[Finding]:
    layout, report = run.layout, run.report
    eff = _effective_table3(report)
    printed = report.row(RowKey.OTOT)
    unfilled: list[tuple[Col, int]] = []
    for i, col in enumerate(Col):
        parts = [eff[k][i] for k in layout.outcome_keys]
        total = sum(parts)
        if printed[i] is None:
            if total:
                unfilled.append((col, total))
        elif printed[i] != total:
            yield _finding(
                "A-02",
                f"表三“{_COL_LABEL[col]}”列：（一）至（六）各项办理结果之和为{total}，"
                f"{_SHORT[RowKey.OTOT]}填写{printed[i]}，请核对后改正。",
                location=_t3_loc(layout, RowKey.OTOT, col),
                numbers=(*parts, printed[i] or 0),
            )
    if unfilled:
        cols = "、".join(f"“{_COL_LABEL[c]}”列应为{t}" for c, t in unfilled)
        yield _finding(
            "A-02",
            f"表三{_SHORT[RowKey.OTOT]}行未填（{cols}），请填写。",
            severity=Severity.WARNING,
            location=_t3_loc(layout, RowKey.OTOT),
            numbers=tuple(t for _, t in unfilled),
        )


def _a03_reconciliation(run: _Run) -> Iterator[Finding]:
    eff = _effective_table3(run.report)
    for i, col in enumerate(Col):
        new, carry_in = eff[RowKey.NEW][i], eff[RowKey.CARRY_IN][i]
        done, carry_out = eff[RowKey.OTOT][i], eff[RowKey.CARRY_OUT][i]
        if new + carry_in != done + carry_out:
            yield _finding(
                "A-03",
                f"表三“{_COL_LABEL[col]}”列不符合勾稽关系：{_SHORT[RowKey.NEW]}{new} + "
                f"{_SHORT[RowKey.CARRY_IN]}{carry_in} = {new + carry_in}，而{_SHORT[RowKey.OTOT]}{done} + "
                f"{_SHORT[RowKey.CARRY_OUT]}{carry_out} = {done + carry_out}。"
                "请核对各项办理结果和结转数。",
                location=_t3_loc(run.layout, None, col),
                numbers=(new, carry_in, done, carry_out),
            )


def _a04_table4(run: _Run) -> Iterator[Finding]:
    for group in T4Group:
        values = run.report.table4_group(group)
        parts = [v or 0 for v in values[:-1]]
        total = values[-1]
        if total is None:
            if sum(parts):
                yield _finding(
                    "A-04",
                    f"表四“{_t4_label(group)}”总计未填，各结果之和为{sum(parts)}，请填写。",
                    severity=Severity.WARNING,
                    location=_t4_loc(group, T4Cell.TOTAL),
                    numbers=(*parts,),
                )
        elif total != sum(parts):
            yield _finding(
                "A-04",
                f"表四“{_t4_label(group)}”：{_t4_sum_text(parts)} = {sum(parts)}，"
                f"{TABLE4_CELL_LABELS[T4Cell.TOTAL]}填写{total}，请核对后改正。",
                location=_t4_loc(group, T4Cell.TOTAL),
                numbers=(*parts, total),
            )


def _a05_subtotals(run: _Run) -> Iterator[Finding]:
    for sub in run.notes.subtotals:
        values = [_ref_value(run.report, ref) for ref in sub.parts]
        parts = sum((v for v in values if v is not None), start=0)
        if sub.value is not None and sub.value != parts:
            yield _finding(
                "A-05",
                f"小计“{sub.label}”填写{sub.value}，其组成部分之和为{parts}，请核对。",
                numbers=(*(v or 0 for v in values), sub.value),
            )


def _a06_carry_out(run: _Run) -> Iterator[Finding]:
    eff = _effective_table3(run.report)
    for i, col in enumerate(Col):
        available = eff[RowKey.NEW][i] + eff[RowKey.CARRY_IN][i]
        carry_out = eff[RowKey.CARRY_OUT][i]
        if carry_out > available:
            yield _finding(
                "A-06",
                f"表三“{_COL_LABEL[col]}”列：{_SHORT[RowKey.CARRY_OUT]}{carry_out}件，超过"
                f"{_SHORT[RowKey.NEW]}与{_SHORT[RowKey.CARRY_IN]}之和{available}件，不可能成立。",
                location=_t3_loc(run.layout, RowKey.CARRY_OUT, col),
                numbers=(eff[RowKey.NEW][i], eff[RowKey.CARRY_IN][i], carry_out),
            )


# ---------------------------------------------------------------------------------------------
# Y — year over year
# ---------------------------------------------------------------------------------------------


def _y01_carry_in(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None:
        return
    severity = Severity.ERROR if run.generated else Severity.WARNING
    for col in Col:
        now = run.report.cell_or_zero(RowKey.CARRY_IN, col)
        before = prev.cell_or_zero(RowKey.CARRY_OUT, col)
        if now != before:
            yield _finding(
                "Y-01",
                f"表三“{_COL_LABEL[col]}”列：{_SHORT[RowKey.CARRY_IN]}填写{now}件，但{prev.year}年度报告的"
                f"{_SHORT[RowKey.CARRY_OUT]}为{before}件，两者应相等。",
                severity=severity,
                location=_t3_loc(run.layout, RowKey.CARRY_IN, col),
                numbers=(now, before),
            )


_REGISTERS_2021: tuple[tuple[str, T2Key, T2Key, T2Key], ...] = (
    ("regulation", T2Key.REGULATION_ISSUED, T2Key.REGULATION_REPEALED, T2Key.REGULATION_IN_FORCE),
    ("normative", T2Key.NORMATIVE_ISSUED, T2Key.NORMATIVE_REPEALED, T2Key.NORMATIVE_IN_FORCE),
)


def _register(
    report: AnnualReport, keys: tuple[T2Key, T2Key, T2Key]
) -> tuple[int, int, int] | None:
    if report.format_version is not FormatVersion.V2021:
        return None
    values = [report.table2_value(k) for k in keys]
    if any(v is None for v in values):
        return None
    issued, repealed, in_force = (int(v or 0) for v in values)
    return issued, repealed, in_force


def _register_label(layout: Layout, key: str) -> str:
    return next(r.label for b in layout.table2 for r in b.rows if r.key == key)


def _y02_to_y04_register(run: _Run) -> Iterator[Finding]:
    for name, *keys in _REGISTERS_2021:
        now = _register(run.report, (keys[0], keys[1], keys[2]))
        if now is None:
            continue
        label = _register_label(run.layout, name)
        issued, repealed, in_force = now
        loc = _t2_loc(run.layout, run.layout.table2_cell(keys[0]))
        if issued > in_force + repealed:
            yield _finding(
                "Y-03",
                f"表二“{label}”：本年制发{issued}件，多于现行有效{in_force}件与本年废止{repealed}件之和，请核对。",
                location=loc,
                numbers=(issued, in_force, repealed),
            )
        prev = _register(run.previous, (keys[0], keys[1], keys[2])) if run.previous else None
        if prev is None:
            continue
        before = prev[2]
        if in_force != before + issued - repealed:
            yield _finding(
                "Y-02",
                f"表二“{label}”：上年现行有效{before}件 + 本年制发{issued}件 − 本年废止{repealed}件 = "
                f"{before + issued - repealed}件，但现行有效填写{in_force}件，请核对（修改、清理的口径应前后一致）。",
                location=loc,
                numbers=(before, issued, repealed, in_force),
            )
        if repealed > before + issued:
            yield _finding(
                "Y-04",
                f"表二“{label}”：本年废止{repealed}件，多于上年现行有效{before}件与本年制发{issued}件之和，请核对。",
                location=loc,
                numbers=(repealed, before, issued),
            )


_ITEMS_2019: tuple[tuple[T2Key, T2Key], ...] = (
    (T2Key.LICENSING_PREV_ITEMS, T2Key.LICENSING_CHANGE),
    (T2Key.OTHER_SERVICES_PREV_ITEMS, T2Key.OTHER_SERVICES_CHANGE),
    (T2Key.PENALTY_PREV_ITEMS, T2Key.PENALTY_CHANGE),
    (T2Key.COERCION_PREV_ITEMS, T2Key.COERCION_CHANGE),
    (T2Key.ADMIN_FEE_PREV_ITEMS, T2Key.ADMIN_FEE_CHANGE),
)


def _y05_items_2019(run: _Run) -> Iterator[Finding]:
    report, prev = run.report, run.previous
    if report.format_version is not FormatVersion.V2019:
        return
    both_2019 = prev is not None and prev.format_version is FormatVersion.V2019
    for prev_key, change_key in _ITEMS_2019:
        label = run.layout.table2_row_of(prev_key).label
        loc = _t2_loc(run.layout, run.layout.table2_cell(prev_key))
        items, change = report.table2_value(prev_key), report.table2_value(change_key)
        if items is not None and change is not None and items + change < 0:
            yield _finding(
                "Y-05",
                f"表二“{label}”：{_header(run.layout, prev_key)}{items} + "
                f"{_header(run.layout, change_key)}{change} 小于0，请核对。",
                location=loc,
                numbers=(items, change),
            )
        if prev is not None and both_2019 and items is not None:
            p_items, p_change = prev.table2_value(prev_key), prev.table2_value(change_key)
            if p_items is not None and p_change is not None and items != p_items + p_change:
                yield _finding(
                    "Y-05",
                    f"表二“{label}”：{_header(run.layout, prev_key)}填写{items}，但{prev.year}年度报告为"
                    f"{p_items} + ({p_change}) = {p_items + p_change}，请核对。",
                    location=loc,
                    numbers=(items, p_items, p_change),
                )


_SHINGLE = 4
_MIN_TEXT = 100
_NON_TEXT = re.compile(r"[\s\W_]+")


def _shingles(text: str) -> set[str]:
    plain = re.sub(r"\d", "0", _NON_TEXT.sub("", unicodedata.normalize("NFKC", text)))
    return {plain[i : i + _SHINGLE] for i in range(max(0, len(plain) - _SHINGLE + 1))}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the 4-character shingles of two texts (digits unified)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _y06_similarity(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None:
        return
    now_text, prev_text = run.report.narrative, prev.narrative
    if len(now_text) < _MIN_TEXT or len(prev_text) < _MIN_TEXT:
        return
    similarity = text_similarity(now_text, prev_text)
    if similarity >= run.ctx.similarity_threshold:
        yield _finding(
            "Y-06",
            f"正文与{prev.year}年度报告的相似度为{similarity:.0%}，内容高度雷同，请结合本年度实际工作重新撰写。",
            numbers=(round(similarity, 4),),
        )


def _y07_identical(run: _Run) -> Iterator[Finding]:
    prev = run.previous
    if prev is None or prev.format_version is not run.report.format_version:
        return
    now = (run.report.table2, run.report.table3, run.report.table4)
    before = (prev.table2, prev.table3, prev.table4)
    values = [*run.report.table2, *(v for r in run.report.table3 for v in r), *run.report.table4]
    if now == before and any(v for v in values):
        yield _finding(
            "Y-07",
            f"表二、表三、表四的数据与{prev.year}年度报告完全相同，请核实是否照抄了上年数据。",
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


_RULE_FUNCS: tuple[Callable[[_Run], Iterator[Finding]], ...] = (
    _s01_sections,
    _s02_version,
    _s03_table2,
    _s04_table3,
    _s05_table4,
    _s06_note,
    _s07_period,
    _v01_nonnegative,
    _v02_blanks,
    _v03_table2,
    _v04_fee,
    _a01_row_totals,
    _a02_outcome_total,
    _a03_reconciliation,
    _a04_table4,
    _a05_subtotals,
    _a06_carry_out,
    _y01_carry_in,
    _y02_to_y04_register,
    _y05_items_2019,
    _y06_similarity,
    _y07_identical,
    _m01_regulations,
    _m02_fee_notices,
    _m03_fee_statement,
    _m04_accountability,
    _m05_narrative,
    _m11_breakdowns,
    _m12_stale_year,
    _m08_timeliness,
    _m09_litigation_after_review,
)
