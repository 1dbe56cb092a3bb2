"""A year's report end to end in a real browser: assemble → planted error blocks sign-off →
fixed → signed → published → PDF from the portal reads back to the same figures."""

from __future__ import annotations

import pytest

from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.reading.api import read_report
from gongkai.reading.cli import check_file
from gongkai.statutory.formats import Col, RowKey
from gongkai.statutory.report import AnnualReport

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _login(page, base, username):
    page.goto(f"{base}/backoffice/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("gongkai-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/backoffice/")


def _edit_section_one(page, text):
    editor = page.locator("details.section-editor").first
    if not editor.evaluate("el => el.open"):
        editor.locator("summary").click()
    editor.locator("textarea").fill(text)
    editor.get_by_role("button", name="保存本部分").click()
    page.wait_for_load_state()


@pytest.fixture
def demo_ledger(platform):
    """The demo year of applications and appeals (as `gongkai demo` loads it)."""
    import io

    from gongkai.ledger.appeals.demo import load as load_appeals
    from gongkai.ledger.requests.demo import load as load_requests

    load_requests(io.StringIO())
    load_appeals(io.StringIO())
    return platform


def test_a_year_from_assembly_to_the_portal(live_server, demo_ledger, page, tmp_path):
    base = live_server.url
    _login(page, base, "sfj_clerk")
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_label("报告年度").fill("2025")
    page.get_by_role("button", name="生成").click()
    assert page.get_by_role(
        "heading", name="示范县司法局2025年政府信息公开工作年度报告"
    ).first.is_visible()

    # each cell of table 三 opens the cases behind it
    record = AnnualReportRecord.objects.get()
    partial = services.report_of(record).cell(RowKey.O2, Col.TOT)
    assert partial > 0
    drill = page.locator("table.drill tbody tr").nth(3)  # （二）部分公开
    drill.locator("td").last.get_by_role("link").click()
    assert f"共 {partial} 件" in page.content()
    page.go_back()

    # a figure in the text that contradicts table 三 is an error and blocks sign-off
    _edit_section_one(page, "2025年共收到政府信息公开申请999件。")
    assert "M-05" in page.locator("#findings-h + ul").inner_text()
    assert page.get_by_role("button", name="提交负责人签发").is_disabled()

    # fixed by putting the live figure back
    _edit_section_one(page, "2025年共收到政府信息公开申请{{本年新收申请}}件。")
    assert "M-05" not in page.locator(".findings").inner_text()
    page.get_by_role("button", name="提交负责人签发").click()
    for button in page.get_by_role("button", name="确认保留").all():
        button.locator("xpath=..").locator("input[name=reason]").fill("已核实")
        button.click()
    assert "已审核" in page.locator("#report-status").inner_text()

    page.get_by_role("button", name="退出").click()
    _login(page, base, "sfj_head")
    page.goto(f"{base}/backoffice/annual/{record.pk}/")
    page.get_by_role("button", name="负责人签发").click()
    page.get_by_role("button", name="在门户网站发布").click()
    assert "已发布" in page.locator("#report-status").inner_text()

    page.goto(f"{base}/reports/")
    page.get_by_role("link", name="示范县司法局2025年政府信息公开工作年度报告").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)

    doc = check_file(str(pdf))  # what `gongkai check report.pdf` prints
    assert doc["status"] == "read"
    assert not [f for f in doc["findings"] if f["severity"] == "error"]
    read = read_report(pdf.read_bytes(), "report.pdf").report
    published = AnnualReport.from_dict(AnnualReportRecord.objects.get().published_data)
    assert (read.year, read.table2, read.table3, read.table4) == (
        published.year,
        published.table2,
        published.table3,
        published.table4,
    )
