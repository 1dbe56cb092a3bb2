"""The 正文 rich-text editor in a real browser, under the site's strict CSP: a clerk types a
paragraph, makes a word bold and adds a bullet list with the toolbar, saves; the body keeps
``<strong>`` and ``<ul>``, nothing was refused by the Content-Security-Policy, and the published
item shows the bold word on the portal. Everything the editor can write survives the server's
sanitiser, a paste from Word trips no CSP error, and without JavaScript the textarea works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "gongkai-demo-2026"
TITLE = "关于调整城关镇夜市法律服务点开放时间的通知"


@pytest.fixture
def columns(platform):
    from gongkai.ledger.publishing.demo import _ensure_columns

    return _ensure_columns(platform["shifanxian-sfj"])


@pytest.fixture
def console(page):
    """Every console message and uncaught error of the page, as text."""
    messages: list[str] = []

    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    return messages


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/backoffice/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/backoffice/")


def _toolbar_button(page, tooltip):
    return page.locator(f".prose-menubar button[title='{tooltip}']")


def _publish(publication):
    """The four reviews with the real actions (the browser walk-through is test_publishing)."""
    from django.contrib.auth import get_user_model

    from gongkai.ledger.publishing import actions

    users = {u.username: u for u in get_user_model().objects.all()}
    publication = actions.SubmitAction(publication, actor=users["sfj_clerk"]).execute()
    for action, username in (
        (actions.FirstReviewAction, "sfj_reviewer"),
        (actions.SecondReviewAction, "sfj_reviewer2"),
        (actions.FinalReviewAction, "sfj_head"),
    ):
        publication = action(publication, actor=users[username], proofread=True).execute()
    return actions.ConfidentialityReviewAction(publication, actor=users["sfj_secrecy"]).execute()


def test_bold_and_bullet_list_from_the_toolbar_reach_the_portal(
    live_server, page, columns, console
):
    from gongkai.ledger.publishing.models import Publication

    base = live_server.url
    _login(page, base, "sfj_clerk")
    response = page.goto(f"{base}/backoffice/publishing/new/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]

    editor = page.locator(".prose-editor .ProseMirror[contenteditable='true']")
    expect(editor).to_be_visible()
    # the textarea is behind the editor, the editable area carries the field's label
    expect(page.locator("textarea#id_body")).to_be_hidden()
    expect(page.get_by_role("textbox", name="正文")).to_be_visible()
    # Chinese tooltips
    for tooltip in ("加粗", "倾斜", "下划线", "项目符号列表", "编号列表", "插入链接（先选中文字）"):
        expect(_toolbar_button(page, tooltip)).to_have_count(1)

    page.get_by_label("栏目").select_option(label="县司法局 · 通知公告")
    page.get_by_label("标题").fill(TITLE)
    editor.click()
    page.keyboard.type("自即日起，夜市法律服务点")
    _toolbar_button(page, "加粗").click()
    page.keyboard.type("每周五晚")
    _toolbar_button(page, "加粗").click()
    page.keyboard.type("开放，提供以下服务：")
    page.keyboard.press("Enter")
    _toolbar_button(page, "项目符号列表").click()
    page.keyboard.type("法律咨询")
    page.keyboard.press("Enter")
    page.keyboard.type("人民调解")
    expect(editor.locator("strong")).to_have_text("每周五晚")
    expect(editor.locator("ul > li")).to_have_count(2)

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()

    body = Publication.objects.get(title=TITLE).body
    assert "<strong>每周五晚</strong>" in body
    assert re.search(r"<ul>\s*<li>\s*<p>法律咨询</p>\s*</li>\s*<li>\s*<p>人民调解</p>", body)
    # the back-office detail page shows the formatted body
    expect(page.locator(".article-body strong")).to_have_text("每周五晚")

    # reopening the draft loads the same formatting into the editor
    item = Publication.objects.get(title=TITLE)
    page.goto(base + reverse("backoffice:publishing:edit", args=[item.pk]))
    expect(editor.locator("strong")).to_have_text("每周五晚")
    expect(editor.locator("ul > li")).to_have_count(2)

    refused = [m for m in console if "Content Security Policy" in m or m.startswith("error")]
    assert refused == [], refused
    assert not any(m.startswith("pageerror") for m in console), console

    _publish(Publication.objects.get(title=TITLE))
    page.context.clear_cookies()
    page.goto(f"{base}/")
    page.get_by_label("搜索政府信息").fill("夜市")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator(".article-body strong")).to_have_text("每周五晚")
    expect(page.locator(".article-body ul li")).to_have_count(2)
    refused = [m for m in console if "Content Security Policy" in m]
    assert refused == [], refused


# One of everything the toolbar and its dialogs can make (ordered-list style and start, a link
# opening in a new window, a header row and a merged cell).
EVERY_TOOL = (
    "<h2>一、总体要求</h2><h3>（一）工作目标</h3><h4>1. 具体任务</h4>"
    "<p>正文<strong>加粗</strong><em>倾斜</em><u>下划线</u><br>换行</p>"
    "<ul><li><p>甲</p></li><li><p>乙</p></li></ul>"
    '<ol start="3" type="a"><li><p>丙</p></li></ol><ol><li><p>丁</p></li></ol>'
    "<blockquote><p>引用</p></blockquote><hr>"
    '<p><a href="https://www.gov.cn/" target="_blank" title="中国政府网">中国政府网</a>'
    '<a href="/portal/">站内</a><a href="mailto:xx@example.gov.cn">信箱</a></p>'
    '<table><tbody><tr><th colspan="2"><p>项目</p></th></tr>'
    "<tr><td><p>许可</p></td><td><p>1</p></td></tr></tbody></table>"
)


def _without_rel(html):
    return re.sub(r' rel="[^"]*"', "", html)


def test_everything_the_editor_writes_is_kept_by_the_sanitiser(live_server, page, columns, console):
    from gongkai.ledger.publishing.models import Publication

    base = live_server.url
    _login(page, base, "sfj_clerk")
    page.goto(f"{base}/backoffice/publishing/new/")
    expect(page.locator(".prose-editor .tiptap")).to_be_visible()
    written = page.evaluate(
        """(html) => {
            const editor = document.querySelector(".prose-editor .tiptap").editor;
            editor.commands.setContent(html, { emitUpdate: true });
            return document.querySelector("textarea#id_body").value;
        }""",
        EVERY_TOOL,
    )
    for tag in ("<h2>", "<h4>", "<u>", "<br>", "<ol ", "<blockquote>", "<hr>", "<th colspan"):
        assert tag in written, tag
    page.get_by_label("栏目").select_option(label="县司法局 · 通知公告")
    page.get_by_label("标题").fill("格式测试")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    assert _without_rel(Publication.objects.get(title="格式测试").body) == _without_rel(written)
    assert console == [], console


WORD_CLIPBOARD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>'
    "p.MsoNormal {margin:0cm; font-size:10.5pt;}</style></head>"
    "<body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->"
    "<p class=MsoNormal style='text-indent:21.0pt'><span style='font-family:仿宋'>各乡镇"
    '<b>人民政府</b>、<span style="font-weight:bold">县直各单位</span>：<o:p></o:p></span></p>'
    "<!--EndFragment--></body></html>"
)


def test_a_paste_from_word_keeps_bold_and_trips_no_csp_error(live_server, page, columns, console):
    base = live_server.url
    _login(page, base, "sfj_clerk")
    page.goto(f"{base}/backoffice/publishing/new/")
    editor = page.locator(".prose-editor .tiptap")
    editor.click()
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "各乡镇人民政府、县直各单位：");
            document.querySelector(".prose-editor .tiptap").dispatchEvent(
                new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
            );
        }""",
        WORD_CLIPBOARD,
    )
    expect(editor.locator("strong")).to_have_text(["人民政府", "县直各单位"])
    assert page.locator("textarea#id_body").input_value() == (
        "<p>各乡镇<strong>人民政府</strong>、<strong>县直各单位</strong>：</p>"
    )
    assert console == [], console


def test_without_javascript_the_textarea_still_works(live_server, browser, columns):
    from gongkai.ledger.publishing.models import Publication

    base = live_server.url
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        _login(page, base, "sfj_clerk")
        page.goto(f"{base}/backoffice/publishing/new/")
        expect(page.locator(".prose-editor")).to_have_count(0)
        page.get_by_label("栏目").select_option(label="县司法局 · 通知公告")
        page.get_by_label("标题").fill("无脚本也能填写")
        page.get_by_label("正文").fill("第一段。\n\n第二段。")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.get_by_text("草稿已保存。")).to_be_visible()
    finally:
        context.close()
    assert Publication.objects.get(title="无脚本也能填写").body == "<p>第一段。</p><p>第二段。</p>"
