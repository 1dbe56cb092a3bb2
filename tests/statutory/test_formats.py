"""The statutory layouts: labels verbatim (spec §8), keys, truth mapping, normalisation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gongkai.statutory import formats
from gongkai.statutory.checks import expected_labels
from gongkai.statutory.formats import (
    LAYOUT_2019,
    LAYOUT_2021,
    SECTIONS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_CELL_LABELS,
    TABLE4_GROUPS,
    TABLE4_ORDER,
    FormatVersion,
    OutcomeGroup,
    RowKey,
    RowKind,
    T2Key,
    T4Cell,
    T4Group,
    ValueKind,
    get_layout,
    layout_for_year,
    normalize_label,
    t4_key,
)

SPEC_ROWS_2021 = [
    ("NEW", "一、本年新收政府信息公开申请数量"),
    ("CARRY_IN", "二、上年结转政府信息公开申请数量"),
    ("O1", "（一）予以公开"),
    ("O2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("O3_1", "1.属于国家秘密"),
    ("O3_2", "2.其他法律行政法规禁止公开"),
    ("O3_3", "3.危及“三安全一稳定”"),
    ("O3_4", "4.保护第三方合法权益"),
    ("O3_5", "5.属于三类内部事务信息"),
    ("O3_6", "6.属于四类过程性信息"),
    ("O3_7", "7.属于行政执法案卷"),
    ("O3_8", "8.属于行政查询事项"),
    ("O4_1", "1.本机关不掌握相关政府信息"),
    ("O4_2", "2.没有现成信息需要另行制作"),
    ("O4_3", "3.补正后申请内容仍不明确"),
    ("O5_1", "1.信访举报投诉类申请"),
    ("O5_2", "2.重复申请"),
    ("O5_3", "3.要求提供公开出版物"),
    ("O5_4", "4.无正当理由大量反复申请"),
    ("O5_5", "5.要求行政机关确认或重新出具已获取信息"),
    ("O6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("O6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("O6_3", "3.其他"),
    ("OTOT", "（七）总计"),
    ("CARRY_OUT", "四、结转下年度继续办理"),
]

TRUTH_ROWS_2021 = (
    ["new", "carried_over", "granted", "partially_granted"]
    + [f"withheld_{i}" for i in range(1, 9)]
    + [f"unable_{i}" for i in range(1, 4)]
    + [f"not_processed_{i}" for i in range(1, 6)]
    + [f"other_{i}" for i in range(1, 4)]
    + ["total", "carried_forward"]
)


def test_layout_for_year_switches_in_2021():
    assert layout_for_year(2019) is LAYOUT_2019
    assert layout_for_year(2020) is LAYOUT_2019
    assert layout_for_year(2021) is LAYOUT_2021
    assert layout_for_year(2030) is LAYOUT_2021
    assert get_layout("2019") is LAYOUT_2019
    assert get_layout(FormatVersion.V2021) is LAYOUT_2021


def test_section_headings_are_verbatim():
    assert [s.heading for s in SECTIONS] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况" in SECTIONS[3].variants
    assert "五、存在问题及改进情况" in SECTIONS[4].all_headings


def test_table3_2021_has_25_rows_with_spec_keys_and_labels():
    assert [(r.key.value, r.label) for r in LAYOUT_2021.table3_rows] == SPEC_ROWS_2021
    assert [r.truth_key for r in LAYOUT_2021.table3_rows] == TRUTH_ROWS_2021


def test_table3_2019_has_23_rows_with_single_other_row():
    keys = [k.value for k in LAYOUT_2019.table3_keys]
    assert len(keys) == 23
    assert "O6" in keys and "O6_1" not in keys
    row = LAYOUT_2019.table3_row(RowKey.O6)
    assert row.label == "（六）其他处理"
    assert row.truth_key == "other"
    assert len(LAYOUT_2019.outcome_keys) == 19
    assert len(LAYOUT_2021.outcome_keys) == 21


def test_table3_groups_and_bands():
    row = LAYOUT_2021.table3_row(RowKey.O3_3)
    assert row.group is OutcomeGroup.WITHHELD
    assert row.group_label == "（三）不予公开"
    assert row.band == "三、本年度办理结果"
    assert row.full_label == "（三）不予公开3.危及“三安全一稳定”"
    assert LAYOUT_2021.table3_row(RowKey.OTOT).kind is RowKind.OUTCOME_TOTAL
    assert LAYOUT_2021.table3_row(RowKey.NEW).band is None
    assert len(LAYOUT_2021.group_keys(OutcomeGroup.WITHHELD)) == 8
    assert len(LAYOUT_2021.group_keys(OutcomeGroup.OTHER)) == 3
    assert LAYOUT_2019.group_keys(OutcomeGroup.OTHER) == (RowKey.O6,)


def test_table3_header_labels():
    assert TABLE3_NOTE == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert [c.label for c in TABLE3_COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert [c.name for c in TABLE3_COLUMNS] == [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other",
        "total",
    ]
    assert [c.in_org_group for c in TABLE3_COLUMNS] == [False] + [True] * 5 + [False]
    assert formats.TABLE3_HEADER_TOP == "申请人情况"
    assert formats.TABLE3_ORG_GROUP_LABEL == "法人或其他组织"


def test_table2_2021_blocks():
    blocks = [(b.caption, b.header, [r.label for r in b.rows]) for b in LAYOUT_2021.table2]
    assert blocks == [
        (
            "第二十条第（一）项",
            ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
            ["规章", "行政规范性文件"],
        ),
        ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), ["行政许可"]),
        ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), ["行政事业性收费"]),
    ]
    fee = LAYOUT_2021.table2_cell(T2Key.ADMIN_FEE_AMOUNT)
    assert fee.kind is ValueKind.AMOUNT_10K_YUAN and fee.kind.is_decimal
    assert fee.truth_path == ("fees_10k_yuan",)
    assert LAYOUT_2021.table2_cell(T2Key.NORMATIVE_REPEALED).truth_path == (
        "normative_documents",
        "abolished",
    )


def test_table2_2019_blocks_include_item_nine_and_signed_changes():
    blocks = [(b.caption, b.header, [r.label for r in b.rows]) for b in LAYOUT_2019.table2]
    assert blocks == [
        (
            "第二十条第（一）项",
            ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
            ["规章", "规范性文件"],
        ),
        (
            "第二十条第（五）项",
            ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
            ["行政许可", "其他对外管理服务事项"],
        ),
        (
            "第二十条第（六）项",
            ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
            ["行政处罚", "行政强制"],
        ),
        ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), ["行政事业性收费"]),
        ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"), ["政府集中采购"]),
    ]
    assert LAYOUT_2019.table2_cell(T2Key.PENALTY_CHANGE).kind is ValueKind.SIGNED_COUNT
    assert LAYOUT_2019.table2_cell(T2Key.OTHER_SERVICES_DECISIONS).truth_path == (
        "other_external_services",
        "decisions",
    )
    assert LAYOUT_2019.table2_cell(T2Key.PROCUREMENT_AMOUNT).truth_path == (
        "centralized_procurement",
        "amount_yuan",
    )


def test_every_table2_row_has_one_cell_per_value_header():
    for layout in (LAYOUT_2019, LAYOUT_2021):
        for block in layout.table2:
            for row in block.rows:
                assert tuple(c.header for c in row.cells) == block.header[1:]


def test_table4_order_and_labels():
    assert len(TABLE4_ORDER) == 15
    assert [t4_key(g, c) for g, c in TABLE4_ORDER][:6] == [
        "REV.MAINTAIN",
        "REV.CORRECT",
        "REV.OTHER",
        "REV.PENDING",
        "REV.TOTAL",
        "LIT_DIRECT.MAINTAIN",
    ]
    assert list(TABLE4_CELL_LABELS.values()) == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]
    assert [(g.label, g.parent_label, g.truth_key) for g in TABLE4_GROUPS] == [
        ("行政复议", None, "reconsideration"),
        ("未经复议直接起诉", "行政诉讼", "litigation_direct"),
        ("复议后起诉", "行政诉讼", "litigation_after_reconsideration"),
    ]
    assert TABLE4_ORDER[-1] == (T4Group.LIT_AFTER_REV, T4Cell.TOTAL)


@pytest.mark.parametrize("layout", [LAYOUT_2019, LAYOUT_2021], ids=["2019", "2021"])
def test_key_phrases_identify_exactly_one_row(layout):
    """Within a layout, a row's key phrase appears in its own label and in no other row label
    of the same group level (O6_3 ``其他`` is only distinctive inside （六）)."""
    for row in layout.table3_rows:
        own = normalize_label(row.full_label)
        for phrase in row.key_phrases:
            assert normalize_label(phrase) in own, (row.key, phrase)
            if row.key is RowKey.O6_3:
                continue
            others = [
                r.key
                for r in layout.table3_rows
                if r.key is not row.key and normalize_label(phrase) in normalize_label(r.label)
            ]
            assert others == [], (row.key, phrase, others)


@pytest.mark.parametrize(
    ("printed", "label"),
    [
        ("(三)不予 公开", "（三）不予公开"),
        ("1．属于国家秘密", "1.属于国家秘密"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("商业\n企业", "商业企业"),
        ("本年收费金额(单位:万元)", "本年收费金额（单位：万元）"),
    ],
)
def test_normalize_label_matches_variants(printed, label):
    assert normalize_label(printed) == normalize_label(label)


def test_normalize_label_keeps_years_intact():
    assert normalize_label("2024、2025") == "2024、2025"


def _literals_in_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.Lambda):
            docstring = (
                ast.get_docstring(node, clean=False) if isinstance(node, ast.FunctionDef) else None
            )
            out.extend(
                n.value
                for n in ast.walk(node)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value != docstring
            )
    return out


_STATUTORY = Path(formats.__file__).parent
_LABEL_FREE_MODULES = sorted(
    str(p.relative_to(_STATUTORY))
    for p in [_STATUTORY / "narrative.py", *(_STATUTORY / "checks").glob("*.py")]
)


@pytest.mark.parametrize("module", _LABEL_FREE_MODULES)
def test_labels_are_not_typed_again_in_checks_or_narrative(module):
    """Messages and patterns take statutory labels from formats, not from string literals."""
    path = _STATUTORY / module
    labels = {
        label
        for layout in (LAYOUT_2019, LAYOUT_2021)
        for label in expected_labels(layout)
        if len(label) >= 4
    }
    offenders = [(lit, lab) for lit in _literals_in_functions(path) for lab in labels if lab in lit]
    assert offenders == []
