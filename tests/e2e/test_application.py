"""An application's whole life in a real browser: the applicant on the portal, the clerk and the
head in the back office, and the year's table 三 at the end."""

from __future__ import annotations

import re

import pytest

from tests.ledger.requests.factories import PERSON_ID

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "gongkai-demo-2026"


@pytest.fixture
def frozen_day(settings):
    settings.GONGKAI_FROZEN_TODAY = "2026-03-02"
    return "2026-03-02"


def staff(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/backoffice/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/backoffice/")
    return page


def do_action(page, name, fill=None):
    """Open the action's panel on the case page, fill it, submit it."""
    page.locator("summary", has_text=name).click()
    form = page.locator("details[open] form")
    if fill:
        fill(form)
    form.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert page.locator(".messages").get_by_text(f"已完成：{name}").is_visible()


def test_apply_amend_decide_serve_and_count_once(live_server, platform, browser, frozen_day):
    base = live_server.url
    # -- the applicant applies on the portal ------------------------------------------------
    applicant = browser.new_context(locale="zh-CN").new_page()
    applicant.goto(f"{base}/apply/")
    applicant.get_by_role("link", name="示范县司法局", exact=True).click()
    applicant.get_by_label("姓名或名称").fill("张三")
    applicant.get_by_label("身份证件号码（自然人）").fill(PERSON_ID)
    applicant.get_by_label("联系电话").fill("13800138000")
    applicant.get_by_label("所需政府信息的名称或特征性描述").fill("2025年法律援助经费")
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(f"{base}/apply/done/")
    code = applicant.locator("#tracking-code").inner_text()
    password = applicant.locator("#query-password").inner_text()
    registration_no = re.search(r"依申请〔2026〕第\d{4}号", applicant.content()).group(0)

    # -- the clerk confirms receipt and asks for an amendment (补正) ------------------------
    clerk = staff(browser, live_server, "sfj_clerk")
    clerk.goto(f"{base}/backoffice/requests/?status=open")
    clerk.get_by_role("link", name=registration_no).click()
    case_url = clerk.url
    do_action(clerk, "确认收到申请")
    do_action(
        clerk,
        "告知补正",
        lambda f: (
            f.get_by_label("需要补正的事项").fill("请写明所需经费信息的具体年度和项目名称"),
            f.get_by_label("补正期限").fill("2026-03-16"),
        ),
    )

    # -- the applicant sees the request on the status page ---------------------------------
    applicant.goto(f"{base}/apply/track/")
    applicant.get_by_label("查询码").fill(code)
    applicant.get_by_label("查询密码").fill(password)
    applicant.get_by_role("button", name="查询").click()
    applicant.wait_for_url(f"{base}/apply/track/status/")
    assert applicant.get_by_role("heading", name="需要您补正申请").is_visible()
    assert applicant.get_by_text("请写明所需经费信息的具体年度和项目名称").is_visible()

    # -- amendment received, partial disclosure drafted --------------------------------------
    clerk.goto(case_url)
    do_action(clerk, "收到补正")
    do_action(
        clerk,
        "拟写答复",
        lambda f: (
            f.get_by_label("答复类型（对应年度报告表三的办理结果）").select_option("partial"),
            f.get_by_label("保护第三方合法权益").check(),
            f.get_by_label("理由（不予公开、部分公开时必填）").fill("部分内容涉及受援人个人隐私"),
            f.get_by_label("答复内容").fill(
                "现将2025年法律援助经费支出明细（已隐去受援人信息）提供给您。"
            ),
        ),
    )
    assert clerk.get_by_role("heading", name="答复书送审稿").is_visible()

    # -- the head signs ----------------------------------------------------------------------
    head = staff(browser, live_server, "sfj_head")
    head.goto(case_url)
    assert head.locator("summary", has_text="告知补正").count() == 0
    do_action(head, "签发答复")

    # -- the clerk records service -----------------------------------------------------------
    clerk.goto(case_url)
    do_action(clerk, "登记送达", lambda f: f.get_by_label("送达方式").select_option("electronic"))
    assert clerk.locator("h1 .status").inner_text() == "已办结"

    # -- the status page offers the reply letter --------------------------------------------
    applicant.reload()
    assert applicant.locator("#public-status").inner_text() == "已答复"
    link = applicant.get_by_role("link", name=re.compile("政府信息公开申请答复书"))
    assert link.is_visible()
    pdf = applicant.context.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"

    # -- table 三 of the year counts it once, under 部分公开 -----------------------------------
    clerk.goto(f"{base}/backoffice/requests/tables/?year=2026")
    o2 = clerk.locator("tr.row-O2 td")
    assert o2.nth(0).inner_text() == "1"  # 自然人
    assert o2.nth(6).inner_text() == "1"  # 总计
    assert clerk.locator("tr.row-OTOT td").nth(6).inner_text() == "1"
    assert clerk.locator("tr.row-NEW td").nth(6).inner_text() == "1"
    for other in ("O1", "O3_4", "O4_1", "O6_3"):
        assert clerk.locator(f"tr.row-{other} td").nth(6).inner_text() == "0"
