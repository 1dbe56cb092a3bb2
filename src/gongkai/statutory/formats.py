"""The statutory layouts of the 政府信息公开工作年度报告 — every label, verbatim.

This module is the ONE source of truth for the report's structure: the six section headings,
table 二 (主动公开), table 三 (依申请公开) and table 四 (复议/诉讼), for both the 2019 format
(国办公开办函〔2019〕60号, report years 2019–2020) and the 2021 format (国办公开办函〔2021〕30号,
report years ≥ 2021). Rendering, reading, checking and the ledger aggregation all read from here.

Labels use full-width punctuation exactly as printed in the official templates (spec §8). For
matching text found in published reports, compare ``normalize_label(found)`` with
``normalize_label(label)``; ``key_phrases`` give the distinctive substrings (spec §2.9).

Also here: the mapping from our keys to the key names of the hand-checked corpus truth JSON
(``tests/data/corpus/README.md``), so tests and the reader can compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

__all__ = [
    "APPLICANT_COLUMNS",
    "FIRST_2021_YEAR",
    "FIRST_REPORT_YEAR",
    "GOVERNMENT_ACCOUNTABILITY_TERMS",
    "LAYOUTS",
    "LAYOUT_2019",
    "LAYOUT_2021",
    "OUTCOME_BAND_LABEL",
    "OUTCOME_GROUP_LABELS",
    "PERIOD_TEMPLATE",
    "PROCESSING_FEE_TERM",
    "SECTION1_SUBHEADINGS",
    "SECTIONS",
    "TABLE2_2019",
    "TABLE2_2021",
    "TABLE3_COLUMNS",
    "TABLE3_HEADER_TOP",
    "TABLE3_NOTE",
    "TABLE3_ORG_GROUP_LABEL",
    "TABLE3_ROWS_2019",
    "TABLE3_ROWS_2021",
    "TABLE3_SHORT_LABELS",
    "TABLE4_CELLS",
    "TABLE4_CELL_LABELS",
    "TABLE4_GROUPS",
    "TABLE4_LITIGATION_LABEL",
    "TABLE4_ORDER",
    "TABLE4_REVIEW_LABEL",
    "Col",
    "FormatVersion",
    "Layout",
    "OutcomeGroup",
    "RowKey",
    "RowKind",
    "SectionSpec",
    "T2Key",
    "T4Cell",
    "T4Group",
    "Table2Block",
    "Table2Cell",
    "Table2Row",
    "Table3Column",
    "Table3Row",
    "Table4Group",
    "ValueKind",
    "get_layout",
    "layout_for_year",
    "normalize_label",
    "t4_key",
]

FIRST_REPORT_YEAR = 2019
"""First report year under the 2019 revision of the 条例 (国务院令第711号)."""

FIRST_2021_YEAR = 2021
"""First report year that uses the 2021 format."""


class FormatVersion(StrEnum):
    """Which official template a report follows."""

    V2019 = "2019"
    V2021 = "2021"


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    """One of the six numbered sections of the report (spec §1.3)."""

    number: int
    heading: str
    variants: tuple[str, ...] = ()
    """Other headings seen in published reports that mean the same section (parse only)."""

    @property
    def all_headings(self) -> tuple[str, ...]:
        """The official heading followed by the accepted variants."""
        return (self.heading, *self.variants)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "一、总体情况"),
    SectionSpec(2, "二、主动公开政府信息情况"),
    SectionSpec(3, "三、收到和处理政府信息公开申请情况"),
    SectionSpec(
        4,
        "四、政府信息公开行政复议、行政诉讼情况",
        (
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
            "四、政府信息公开行政复议和行政诉讼情况",
            "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        ),
    ),
    SectionSpec(
        5,
        "五、存在的主要问题及改进情况",
        ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况"),
    ),
    SectionSpec(6, "六、其他需要报告的事项"),
)
"""The six sections, in order. Identical in both formats."""

SECTION1_SUBHEADINGS: tuple[str, ...] = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
)
"""Customary sub-headings of 一、总体情况 (practice, not fixed by the format)."""

PERIOD_TEMPLATE = "{year}年1月1日至{year}年12月31日"
"""How the statistics period is customarily stated (spec §1.3, S-07)."""

PROCESSING_FEE_TERM = "信息处理费"
"""Term section 六 must mention from 2021 on (M-03)."""

GOVERNMENT_ACCOUNTABILITY_TERMS: tuple[str, ...] = ("工作考核", "社会评议", "责任追究")
"""条例第五十条第一款第（四）项 items a government-level report must cover (M-04)."""


# ---------------------------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况
# ---------------------------------------------------------------------------------------------


class ValueKind(StrEnum):
    """What kind of number a table-二 cell holds."""

    COUNT = "count"
    """Integer ≥ 0."""
    SIGNED_COUNT = "signed_count"
    """Integer, may be negative (2019 ``本年增/减``)."""
    AMOUNT_10K_YUAN = "amount_10k_yuan"
    """Decimal ≥ 0 in 万元 (2021 行政事业性收费)."""
    AMOUNT = "amount"
    """Decimal ≥ 0, unit not fixed by the format (2019 采购总金额)."""

    @property
    def is_decimal(self) -> bool:
        """True for money cells (stored as ``Decimal``)."""
        return self in (ValueKind.AMOUNT_10K_YUAN, ValueKind.AMOUNT)


class T2Key(StrEnum):
    """Stable keys of table-二 values (both layouts; ``Layout.table2_keys`` lists a layout's)."""

    # 2021 第（一）项
    REGULATION_ISSUED = "regulation_issued"
    REGULATION_REPEALED = "regulation_repealed"
    REGULATION_IN_FORCE = "regulation_in_force"
    NORMATIVE_ISSUED = "normative_issued"
    NORMATIVE_REPEALED = "normative_repealed"
    NORMATIVE_IN_FORCE = "normative_in_force"
    # 2019 第（一）项
    REGULATION_MADE = "regulation_made"
    REGULATION_PUBLISHED = "regulation_published"
    REGULATION_TOTAL_PUBLISHED = "regulation_total_published"
    NORMATIVE_MADE = "normative_made"
    NORMATIVE_PUBLISHED = "normative_published"
    NORMATIVE_TOTAL_PUBLISHED = "normative_total_published"
    # 第（五）项
    LICENSING_PREV_ITEMS = "licensing_prev_items"
    LICENSING_CHANGE = "licensing_change"
    LICENSING_DECISIONS = "licensing_decisions"
    OTHER_SERVICES_PREV_ITEMS = "other_services_prev_items"
    OTHER_SERVICES_CHANGE = "other_services_change"
    OTHER_SERVICES_DECISIONS = "other_services_decisions"
    # 第（六）项
    PENALTY_PREV_ITEMS = "penalty_prev_items"
    PENALTY_CHANGE = "penalty_change"
    PENALTY_DECISIONS = "penalty_decisions"
    COERCION_PREV_ITEMS = "coercion_prev_items"
    COERCION_CHANGE = "coercion_change"
    COERCION_DECISIONS = "coercion_decisions"
    # 第（八）项
    ADMIN_FEE_AMOUNT = "admin_fee_amount"
    ADMIN_FEE_PREV_ITEMS = "admin_fee_prev_items"
    ADMIN_FEE_CHANGE = "admin_fee_change"
    # 2019 第（九）项
    PROCUREMENT_PROJECTS = "procurement_projects"
    PROCUREMENT_AMOUNT = "procurement_amount"


@dataclass(frozen=True)
class Table2Cell:
    """One value cell of a table-二 row."""

    key: T2Key
    header: str
    """The column header label above this cell (verbatim)."""
    kind: ValueKind
    truth_path: tuple[str, ...]
    """Path of this value in the corpus truth JSON ``section2`` object."""


@dataclass(frozen=True)
class Table2Row:
    """A data row of a table-二 block: its label and value cells."""

    key: str
    """Glossary name of the row: regulation, normative, licensing, …"""
    label: str
    cells: tuple[Table2Cell, ...]


ARTICLE_20_ITEMS: tuple[str, ...] = (
    "（一）行政法规、规章和规范性文件",
    "（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "（三）国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "（四）国民经济和社会发展统计信息",
    "（五）行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "（六）行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的处罚决定",
    "（七）财政预算、决算信息",
    "（八）行政事业性收费项目及其依据、标准",
    "（九）政府集中采购项目的目录、标准及实施情况",
    "（十）重大建设项目的批准和实施情况",
    "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "（十二）突发公共事件的应急预案、预警信息及应对情况",
    "（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "（十四）公务员招考的职位、名额、报考条件等事项以及录用结果",
    "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
)
"""条例第二十条: the fifteen items of information every agency must publish (the catalogue's
category of a proactive-disclosure item)."""


@dataclass(frozen=True)
class Table2Block:
    """A block of table 二, introduced by a caption row such as ``第二十条第（一）项``."""

    item: str
    """The 条例第二十条 item, e.g. ``（一）``."""
    caption: str
    header: tuple[str, ...]
    """The header row, starting with ``信息内容``."""
    rows: tuple[Table2Row, ...]


_CONTENT = "信息内容"


def _caption(item: str) -> str:
    return f"第二十条第{item}项"


def _block(item: str, headers: tuple[str, ...], rows: tuple[Table2Row, ...]) -> Table2Block:
    return Table2Block(item, _caption(item), (_CONTENT, *headers), rows)


def _row(
    key: str,
    label: str,
    headers: tuple[str, ...],
    cells: tuple[tuple[T2Key, ValueKind, tuple[str, ...]], ...],
) -> Table2Row:
    return Table2Row(
        key,
        label,
        tuple(Table2Cell(k, h, kind, p) for h, (k, kind, p) in zip(headers, cells, strict=True)),
    )


_C = ValueKind.COUNT
_S = ValueKind.SIGNED_COUNT

_H21_ITEM1 = ("本年制发件数", "本年废止件数", "现行有效件数")
_H21_DECISIONS = ("本年处理决定数量",)
_H21_FEE = ("本年收费金额（单位：万元）",)

TABLE2_2021: tuple[Table2Block, ...] = (
    _block(
        "（一）",
        _H21_ITEM1,
        (
            _row(
                "regulation",
                "规章",
                _H21_ITEM1,
                (
                    (T2Key.REGULATION_ISSUED, _C, ("regulations", "issued")),
                    (T2Key.REGULATION_REPEALED, _C, ("regulations", "abolished")),
                    (T2Key.REGULATION_IN_FORCE, _C, ("regulations", "in_force")),
                ),
            ),
            _row(
                "normative",
                "行政规范性文件",
                _H21_ITEM1,
                (
                    (T2Key.NORMATIVE_ISSUED, _C, ("normative_documents", "issued")),
                    (T2Key.NORMATIVE_REPEALED, _C, ("normative_documents", "abolished")),
                    (T2Key.NORMATIVE_IN_FORCE, _C, ("normative_documents", "in_force")),
                ),
            ),
        ),
    ),
    _block(
        "（五）",
        _H21_DECISIONS,
        (
            _row(
                "licensing",
                "行政许可",
                _H21_DECISIONS,
                ((T2Key.LICENSING_DECISIONS, _C, ("licensing_decisions",)),),
            ),
        ),
    ),
    _block(
        "（六）",
        _H21_DECISIONS,
        (
            _row(
                "penalty",
                "行政处罚",
                _H21_DECISIONS,
                ((T2Key.PENALTY_DECISIONS, _C, ("penalty_decisions",)),),
            ),
            _row(
                "coercion",
                "行政强制",
                _H21_DECISIONS,
                ((T2Key.COERCION_DECISIONS, _C, ("coercion_decisions",)),),
            ),
        ),
    ),
    _block(
        "（八）",
        _H21_FEE,
        (
            _row(
                "admin_fee",
                "行政事业性收费",
                _H21_FEE,
                ((T2Key.ADMIN_FEE_AMOUNT, ValueKind.AMOUNT_10K_YUAN, ("fees_10k_yuan",)),),
            ),
        ),
    ),
)

_H19_ITEM1 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_H19_ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")
_H19_FEE = ("上一年项目数量", "本年增/减")
_H19_PROC = ("采购项目数量", "采购总金额")


def _items19(key: str, label: str, truth: str, prefix: str) -> Table2Row:
    return _row(
        key,
        label,
        _H19_ITEMS,
        (
            (T2Key(f"{prefix}_prev_items"), _C, (truth, "prev_items")),
            (T2Key(f"{prefix}_change"), _S, (truth, "change")),
            (T2Key(f"{prefix}_decisions"), _C, (truth, "decisions")),
        ),
    )


def _item1_19(key: str, label: str, truth: str) -> Table2Row:
    return _row(
        key,
        label,
        _H19_ITEM1,
        (
            (T2Key(f"{key}_made"), _C, (truth, "new_made")),
            (T2Key(f"{key}_published"), _C, (truth, "new_published")),
            (T2Key(f"{key}_total_published"), _C, (truth, "total_published")),
        ),
    )


TABLE2_2019: tuple[Table2Block, ...] = (
    _block(
        "（一）",
        _H19_ITEM1,
        (
            _item1_19("regulation", "规章", "regulations"),
            _item1_19("normative", "规范性文件", "normative_documents"),
        ),
    ),
    _block(
        "（五）",
        _H19_ITEMS,
        (
            _items19("licensing", "行政许可", "licensing", "licensing"),
            _items19(
                "other_services",
                "其他对外管理服务事项",
                "other_external_services",
                "other_services",
            ),
        ),
    ),
    _block(
        "（六）",
        _H19_ITEMS,
        (
            _items19("penalty", "行政处罚", "penalty", "penalty"),
            _items19("coercion", "行政强制", "coercion", "coercion"),
        ),
    ),
    _block(
        "（八）",
        _H19_FEE,
        (
            _row(
                "admin_fee",
                "行政事业性收费",
                _H19_FEE,
                (
                    (T2Key.ADMIN_FEE_PREV_ITEMS, _C, ("fees", "prev_items")),
                    (T2Key.ADMIN_FEE_CHANGE, _S, ("fees", "change")),
                ),
            ),
        ),
    ),
    _block(
        "（九）",
        _H19_PROC,
        (
            _row(
                "procurement",
                "政府集中采购",
                _H19_PROC,
                (
                    (T2Key.PROCUREMENT_PROJECTS, _C, ("centralized_procurement", "projects")),
                    (
                        T2Key.PROCUREMENT_AMOUNT,
                        ValueKind.AMOUNT,
                        ("centralized_procurement", "amount_yuan"),
                    ),
                ),
            ),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况
# ---------------------------------------------------------------------------------------------

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
"""The 勾稽关系 note printed in the top-left header cell."""

TABLE3_HEADER_TOP = "申请人情况"
TABLE3_ORG_GROUP_LABEL = "法人或其他组织"
OUTCOME_BAND_LABEL = "三、本年度办理结果"


class Col(StrEnum):
    """Table-三 value columns, in order (spec §2 notation)."""

    NP = "NP"
    BIZ = "BIZ"
    RES = "RES"
    NPO = "NPO"
    LAW = "LAW"
    OTH = "OTH"
    TOT = "TOT"


@dataclass(frozen=True)
class Table3Column:
    """A value column of table 三."""

    key: Col
    label: str
    name: str
    """Glossary name; equal to the corpus truth column name."""
    in_org_group: bool
    """True for the five sub-columns under ``法人或其他组织``."""


TABLE3_COLUMNS: tuple[Table3Column, ...] = (
    Table3Column(Col.NP, "自然人", "natural_person", False),
    Table3Column(Col.BIZ, "商业企业", "commercial", True),
    Table3Column(Col.RES, "科研机构", "research", True),
    Table3Column(Col.NPO, "社会公益组织", "social_welfare", True),
    Table3Column(Col.LAW, "法律服务机构", "legal_service", True),
    Table3Column(Col.OTH, "其他", "other", True),
    Table3Column(Col.TOT, "总计", "total", False),
)
"""The 7 value columns in order: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计."""

APPLICANT_COLUMNS: tuple[Col, ...] = tuple(c.key for c in TABLE3_COLUMNS if c.key is not Col.TOT)
"""The six columns whose sum is the 总计 column (A-01)."""


class RowKey(StrEnum):
    """Stable keys of table-三 data rows (union of both layouts)."""

    NEW = "NEW"
    CARRY_IN = "CARRY_IN"
    O1 = "O1"
    O2 = "O2"
    O3_1 = "O3_1"
    O3_2 = "O3_2"
    O3_3 = "O3_3"
    O3_4 = "O3_4"
    O3_5 = "O3_5"
    O3_6 = "O3_6"
    O3_7 = "O3_7"
    O3_8 = "O3_8"
    O4_1 = "O4_1"
    O4_2 = "O4_2"
    O4_3 = "O4_3"
    O5_1 = "O5_1"
    O5_2 = "O5_2"
    O5_3 = "O5_3"
    O5_4 = "O5_4"
    O5_5 = "O5_5"
    O6_1 = "O6_1"
    O6_2 = "O6_2"
    O6_3 = "O6_3"
    O6 = "O6"
    """2019 format only: the single （六）其他处理 row."""
    OTOT = "OTOT"
    CARRY_OUT = "CARRY_OUT"


class RowKind(StrEnum):
    """Role of a table-三 row in the 勾稽 arithmetic."""

    INTAKE = "intake"
    """一、本年新收 and 二、上年结转."""
    OUTCOME = "outcome"
    """One of the outcome rows summed into （七）总计."""
    OUTCOME_TOTAL = "outcome_total"
    """（七）总计."""
    CARRY_OUT = "carry_out"
    """四、结转下年度继续办理."""


class OutcomeGroup(StrEnum):
    """The outcome groups （一）…（六） of 三、本年度办理结果."""

    GRANTED = "O1"
    PARTIAL = "O2"
    WITHHELD = "O3"
    UNABLE = "O4"
    NOT_PROCESSED = "O5"
    OTHER = "O6"


OUTCOME_GROUP_LABELS: dict[OutcomeGroup, str] = {
    OutcomeGroup.GRANTED: "（一）予以公开",
    OutcomeGroup.PARTIAL: "（二）部分公开",
    OutcomeGroup.WITHHELD: "（三）不予公开",
    OutcomeGroup.UNABLE: "（四）无法提供",
    OutcomeGroup.NOT_PROCESSED: "（五）不予处理",
    OutcomeGroup.OTHER: "（六）其他处理",
}
"""Short labels of the outcome groups (the rowspan labels for （三）–（六））."""


@dataclass(frozen=True)
class Table3Row:
    """A data row of table 三."""

    key: RowKey
    label: str
    """Verbatim row label (for sub-items: without the group label, e.g. ``1.属于国家秘密``)."""
    kind: RowKind
    truth_key: str
    """Row key in the corpus truth JSON ``section3.rows``."""
    key_phrases: tuple[str, ...]
    """Distinctive substrings for parsing (compare after ``normalize_label``). For ``O6_3``
    (``3.其他``) the phrase is only distinctive inside the （六） group."""
    band: str | None = None
    """The outer rowspan label (``三、本年度办理结果``) for outcome rows and （七）总计."""
    group: OutcomeGroup | None = None
    """The outcome group this row counts towards (None for intake/total/carry-out rows)."""
    group_label: str | None = None
    """The rowspan group label when the row is a numbered sub-item (``（三）不予公开`` …)."""

    @property
    def full_label(self) -> str:
        """Group label + row label, e.g. ``（三）不予公开 1.属于国家秘密`` (for messages)."""
        return f"{self.group_label}{self.label}" if self.group_label else self.label


def _sub(key: RowKey, group: OutcomeGroup, label: str, truth: str, *phrases: str) -> Table3Row:
    return Table3Row(
        key,
        label,
        RowKind.OUTCOME,
        truth,
        phrases,
        OUTCOME_BAND_LABEL,
        group,
        OUTCOME_GROUP_LABELS[group],
    )


_G = OutcomeGroup
_ROWS_HEAD: tuple[Table3Row, ...] = (
    Table3Row(RowKey.NEW, "一、本年新收政府信息公开申请数量", RowKind.INTAKE, "new", ("本年新收",)),
    Table3Row(
        RowKey.CARRY_IN,
        "二、上年结转政府信息公开申请数量",
        RowKind.INTAKE,
        "carried_over",
        ("上年结转",),
    ),
    Table3Row(
        RowKey.O1,
        "（一）予以公开",
        RowKind.OUTCOME,
        "granted",
        ("予以公开",),
        OUTCOME_BAND_LABEL,
        _G.GRANTED,
    ),
    Table3Row(
        RowKey.O2,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        RowKind.OUTCOME,
        "partially_granted",
        ("部分公开",),
        OUTCOME_BAND_LABEL,
        _G.PARTIAL,
    ),
    _sub(RowKey.O3_1, _G.WITHHELD, "1.属于国家秘密", "withheld_1", "国家秘密"),
    _sub(RowKey.O3_2, _G.WITHHELD, "2.其他法律行政法规禁止公开", "withheld_2", "法规禁止公开"),
    _sub(RowKey.O3_3, _G.WITHHELD, "3.危及“三安全一稳定”", "withheld_3", "三安全一稳定"),
    _sub(RowKey.O3_4, _G.WITHHELD, "4.保护第三方合法权益", "withheld_4", "第三方合法权益"),
    _sub(RowKey.O3_5, _G.WITHHELD, "5.属于三类内部事务信息", "withheld_5", "内部事务"),
    _sub(RowKey.O3_6, _G.WITHHELD, "6.属于四类过程性信息", "withheld_6", "过程性信息"),
    _sub(RowKey.O3_7, _G.WITHHELD, "7.属于行政执法案卷", "withheld_7", "行政执法案卷"),
    _sub(RowKey.O3_8, _G.WITHHELD, "8.属于行政查询事项", "withheld_8", "行政查询事项"),
    _sub(RowKey.O4_1, _G.UNABLE, "1.本机关不掌握相关政府信息", "unable_1", "不掌握"),
    _sub(RowKey.O4_2, _G.UNABLE, "2.没有现成信息需要另行制作", "unable_2", "另行制作"),
    _sub(RowKey.O4_3, _G.UNABLE, "3.补正后申请内容仍不明确", "unable_3", "仍不明确"),
    _sub(RowKey.O5_1, _G.NOT_PROCESSED, "1.信访举报投诉类申请", "not_processed_1", "信访举报投诉"),
    _sub(RowKey.O5_2, _G.NOT_PROCESSED, "2.重复申请", "not_processed_2", "重复申请"),
    _sub(RowKey.O5_3, _G.NOT_PROCESSED, "3.要求提供公开出版物", "not_processed_3", "公开出版物"),
    _sub(
        RowKey.O5_4, _G.NOT_PROCESSED, "4.无正当理由大量反复申请", "not_processed_4", "大量反复申请"
    ),
    _sub(
        RowKey.O5_5,
        _G.NOT_PROCESSED,
        "5.要求行政机关确认或重新出具已获取信息",
        "not_processed_5",
        "重新出具",
    ),
)

_ROWS_O6_2021: tuple[Table3Row, ...] = (
    _sub(
        RowKey.O6_1,
        _G.OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_1",
        "逾期不补正",
    ),
    _sub(
        RowKey.O6_2,
        _G.OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_2",
        "收费通知",
        "缴纳费用",
    ),
    _sub(RowKey.O6_3, _G.OTHER, "3.其他", "other_3", "其他"),
)

_ROWS_O6_2019: tuple[Table3Row, ...] = (
    Table3Row(
        RowKey.O6,
        OUTCOME_GROUP_LABELS[_G.OTHER],
        RowKind.OUTCOME,
        "other",
        ("其他处理",),
        OUTCOME_BAND_LABEL,
        _G.OTHER,
    ),
)

_ROWS_TAIL: tuple[Table3Row, ...] = (
    Table3Row(
        RowKey.OTOT,
        "（七）总计",
        RowKind.OUTCOME_TOTAL,
        "total",
        ("总计",),
        OUTCOME_BAND_LABEL,
    ),
    Table3Row(
        RowKey.CARRY_OUT,
        "四、结转下年度继续办理",
        RowKind.CARRY_OUT,
        "carried_forward",
        ("结转下年度",),
    ),
)

TABLE3_ROWS_2021: tuple[Table3Row, ...] = _ROWS_HEAD + _ROWS_O6_2021 + _ROWS_TAIL

TABLE3_SHORT_LABELS: dict[RowKey, str] = {
    RowKey.NEW: "本年新收",
    RowKey.CARRY_IN: "上年结转",
    RowKey.OTOT: "（七）总计",
    RowKey.CARRY_OUT: "结转下年度继续办理",
}
"""Short names of the 勾稽 rows for messages (第一项…第四项)."""
TABLE3_ROWS_2019: tuple[Table3Row, ...] = _ROWS_HEAD + _ROWS_O6_2019 + _ROWS_TAIL


# ---------------------------------------------------------------------------------------------
# Table 四 — 政府信息公开行政复议、行政诉讼情况
# ---------------------------------------------------------------------------------------------

TABLE4_REVIEW_LABEL = "行政复议"
TABLE4_LITIGATION_LABEL = "行政诉讼"


class T4Group(StrEnum):
    """The three groups of table 四."""

    REV = "REV"
    LIT_DIRECT = "LIT_DIRECT"
    LIT_AFTER_REV = "LIT_AFTER_REV"


class T4Cell(StrEnum):
    """The five cells of each table-四 group, in order."""

    MAINTAIN = "MAINTAIN"
    CORRECT = "CORRECT"
    OTHER = "OTHER"
    PENDING = "PENDING"
    TOTAL = "TOTAL"


@dataclass(frozen=True)
class Table4Group:
    """A group of five cells in table 四."""

    key: T4Group
    label: str
    """``行政复议`` / ``未经复议直接起诉`` / ``复议后起诉``."""
    parent_label: str | None
    """``行政诉讼`` for the two litigation sub-groups."""
    truth_key: str


TABLE4_GROUPS: tuple[Table4Group, ...] = (
    Table4Group(T4Group.REV, TABLE4_REVIEW_LABEL, None, "reconsideration"),
    Table4Group(
        T4Group.LIT_DIRECT, "未经复议直接起诉", TABLE4_LITIGATION_LABEL, "litigation_direct"
    ),
    Table4Group(
        T4Group.LIT_AFTER_REV,
        "复议后起诉",
        TABLE4_LITIGATION_LABEL,
        "litigation_after_reconsideration",
    ),
)

TABLE4_CELL_LABELS: dict[T4Cell, str] = {
    T4Cell.MAINTAIN: "结果维持",
    T4Cell.CORRECT: "结果纠正",
    T4Cell.OTHER: "其他结果",
    T4Cell.PENDING: "尚未审结",
    T4Cell.TOTAL: "总计",
}

TABLE4_CELLS: tuple[T4Cell, ...] = tuple(T4Cell)

TABLE4_ORDER: tuple[tuple[T4Group, T4Cell], ...] = tuple(
    (g.key, c) for g in TABLE4_GROUPS for c in TABLE4_CELLS
)
"""The 15 cells of the data row, in printed order."""


def t4_key(group: T4Group, cell: T4Cell) -> str:
    """String key of a table-四 cell, e.g. ``REV.MAINTAIN`` (spec §8 ``order``)."""
    return f"{group.value}.{cell.value}"


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """One official report format: sections and the three tables."""

    version: FormatVersion
    sections: tuple[SectionSpec, ...]
    table2: tuple[Table2Block, ...]
    table3_rows: tuple[Table3Row, ...]

    @cached_property
    def table2_cells(self) -> tuple[Table2Cell, ...]:
        """All table-二 value cells in printed order."""
        return tuple(cell for block in self.table2 for row in block.rows for cell in row.cells)

    @cached_property
    def table2_keys(self) -> tuple[T2Key, ...]:
        """Keys of all table-二 values in printed order."""
        return tuple(cell.key for cell in self.table2_cells)

    @cached_property
    def table3_keys(self) -> tuple[RowKey, ...]:
        """Keys of the table-三 data rows in printed order (25 for 2021, 23 for 2019)."""
        return tuple(row.key for row in self.table3_rows)

    @cached_property
    def outcome_keys(self) -> tuple[RowKey, ...]:
        """Rows summed into （七）总计 (A-02), in order."""
        return tuple(r.key for r in self.table3_rows if r.kind is RowKind.OUTCOME)

    def table2_cell(self, key: T2Key) -> Table2Cell:
        """The cell spec for a table-二 key; KeyError if the layout has no such cell."""
        for cell in self.table2_cells:
            if cell.key is key:
                return cell
        raise KeyError(key)

    def table2_row_of(self, key: T2Key) -> Table2Row:
        """The row that holds a table-二 key."""
        for block in self.table2:
            for row in block.rows:
                if any(cell.key is key for cell in row.cells):
                    return row
        raise KeyError(key)

    def table3_row(self, key: RowKey) -> Table3Row:
        """The row spec for a table-三 key; KeyError if the layout has no such row."""
        for row in self.table3_rows:
            if row.key is key:
                return row
        raise KeyError(key)

    def group_keys(self, group: OutcomeGroup) -> tuple[RowKey, ...]:
        """The data rows of an outcome group (e.g. the 8 rows of （三）不予公开)."""
        return tuple(r.key for r in self.table3_rows if r.group is group)


LAYOUT_2019 = Layout(FormatVersion.V2019, SECTIONS, TABLE2_2019, TABLE3_ROWS_2019)
LAYOUT_2021 = Layout(FormatVersion.V2021, SECTIONS, TABLE2_2021, TABLE3_ROWS_2021)
LAYOUTS: dict[FormatVersion, Layout] = {
    FormatVersion.V2019: LAYOUT_2019,
    FormatVersion.V2021: LAYOUT_2021,
}


def get_layout(version: FormatVersion | str) -> Layout:
    """The layout of a format version (``"2019"`` or ``"2021"``)."""
    return LAYOUTS[FormatVersion(version)]


def layout_for_year(year: int) -> Layout:
    """The layout a report for ``year`` must use: 2021 format from 2021, 2019 format before."""
    return LAYOUT_2021 if year >= FIRST_2021_YEAR else LAYOUT_2019


# ---------------------------------------------------------------------------------------------
# Normalisation (spec §2.9)
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})
_ITEM_MARKER = re.compile(r"(?<![0-9])([0-9]{1,2})[.．、]")
_SPACE = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """Normalise a label for matching: NFKC, unified quotes and item markers, no whitespace.

    ``（三）不予公开`` and ``(三)不予 公开`` normalise to the same string; ``1．`` / ``1、`` become ``1.``.
    Apply it to both sides of a comparison. It does not convert traditional characters.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACE.sub("", text)
    return _ITEM_MARKER.sub(r"\1.", text)
