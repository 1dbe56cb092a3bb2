"""台账 import/export: every row validated, all-or-nothing, the same template both ways."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent
from gongkai.ledger.requests.aggregation import Scope, ledger_report
from gongkai.ledger.requests.models import Application
from gongkai.ledger.requests.xlsx import COLUMNS, export_ledger, import_ledger
from gongkai.statutory.formats import Col, RowKey

from .factories import COMPANY_USCC, PERSON_ID, decide_and_serve, register, user

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def workbook(rows: list[dict[str, object]]) -> bytes:
    """The blank template with ``rows`` (header name → value) filled in."""
    wb = load_workbook(io.BytesIO(export_ledger(Application.objects.none(), personal=True)))
    ws = wb["台账"]
    for r in rows:
        ws.append([r.get(h) for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "申请方式": "当面提交",
        "收到申请之日": date(2025, 11, 3),
        "申请人类型": "自然人",
        "姓名或名称": "赵六",
        "身份证件类型": "居民身份证",
        "身份证件号码": PERSON_ID,
        "联系电话": "13800138000",
        "申请公开的信息": "2025年度示范县社区矫正工作经费",
        "答复类型": "予以公开",
        "送达方式": "直接送达（以申请人签收之日为准）",
        "送达日期": date(2025, 11, 20),
    }
    row.update(overrides)
    return row


def test_one_bad_row_imports_nothing_and_names_the_row_and_reason(frozen, sfj):
    data = workbook(
        [
            good_row(),
            good_row(**{"姓名或名称": "钱七", "身份证件号码": "410105198001011230"}),
            good_row(
                **{
                    "申请人类型": "法人或其他组织",
                    "姓名或名称": "示范科技有限公司",
                    "身份证件类型": None,
                    "身份证件号码": None,
                    "统一社会信用代码": COMPANY_USCC,
                    "组织类型": "企业（公司、合伙企业等）",
                }
            ),
        ]
    )
    report = import_ledger(agency=sfj, actor=user("sfj_clerk"), data=data)
    assert not report.ok and report.imported == 0
    assert Application.objects.count() == 0
    assert [str(e) for e in report.errors] == [
        "第3行“身份证件号码”：居民身份证号码校验位不正确，请核对后重新填写。"
    ]


def test_valid_ledger_is_imported_in_one_go_and_counts_in_the_tables(frozen, sfj):
    data = workbook(
        [
            good_row(),
            good_row(
                **{
                    "姓名或名称": "钱七",
                    "答复类型": "部分公开（区分处理）",
                    "送达日期": date(2025, 12, 1),
                }
            ),
            good_row(
                **{
                    "登记编号": "依申请〔2025〕第0107号",
                    "收到申请之日": date(2025, 12, 29),
                    "答复类型": None,
                    "送达方式": None,
                    "送达日期": None,
                }
            ),
        ]
    )
    report = import_ledger(agency=sfj, actor=user("sfj_clerk"), data=data)
    assert report.ok and report.imported == 3
    t = ledger_report(Scope(sfj), 2025)
    assert t.cell(RowKey.NEW, Col.NP) == 3
    assert t.cell(RowKey.O1, Col.NP) == 1 and t.cell(RowKey.O2, Col.NP) == 1
    assert t.cell(RowKey.CARRY_OUT, Col.NP) == 1
    kept = Application.objects.get(registration_seq=107)
    assert kept.status == "in_progress" and kept.due_on is not None
    # automatic numbers come after the highest imported one
    assert register(sfj, submitted_on=date(2026, 3, 2)).registration_no == "依申请〔2026〕第0001号"
    assert AuditEvent.objects.filter(action="application.imported").count() == 3


def test_inconsistent_rows_get_reasons(frozen, sfj):
    data = workbook(
        [
            good_row(**{"收到申请之日": "2025年13月1日"}),
            good_row(**{"答复类型": "不存在的类型"}),
            good_row(**{"送达日期": None}),
            good_row(**{"申请人类型": "法人或其他组织", "身份证件号码": None, "统计类别": None}),
        ]
    )
    report = import_ledger(agency=sfj, actor=user("sfj_clerk"), data=data)
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("第2行“收到申请之日”") for m in messages)
    assert "第3行“答复类型”：“不存在的类型”不是可选值" in messages
    assert "第4行“送达日期”：已答复的须填写送达日期" in messages
    assert any(m.startswith("第5行“统计类别”") for m in messages)


def test_export_then_import_round_trip(frozen, sfj, platform):
    app = register(sfj, submitted_on=date(2026, 2, 2))
    frozen("2026-02-20")
    decide_and_serve(app, reply_type="not_exist", served_on=date(2026, 2, 20))
    frozen("2026-03-02")
    register(sfj, applicant_name="李四", description="示范县人民调解委员会名录")
    data = export_ledger(Application.objects.filter(agency=sfj), personal=True)
    other = platform["shifanxian-zrzyj"]
    report = import_ledger(agency=other, actor=user("zrzyj_clerk"), data=data)
    assert report.ok, [str(e) for e in report.errors]
    assert ledger_report(Scope(other), 2026).table3 == ledger_report(Scope(sfj), 2026).table3


def test_unreadable_file(frozen, sfj):
    report = import_ledger(agency=sfj, actor=user("sfj_clerk"), data=b"not a workbook")
    assert not report.ok and "无法读取文件" in str(report.errors[0])
