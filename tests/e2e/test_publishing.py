"""主动公开 in a real browser: a clerk drafts an item, three reviewers approve it in order, the
confidentiality reviewer clears it, and the public finds it on the portal by a two-character
word of its body; a reviewer cannot approve their own draft."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "gongkai-demo-2026"
TITLE = "关于城关镇夜市法律服务点开放时间的通知"
BODY = "城关镇夜市法律服务点每周五晚开放，提供法律咨询和人民调解服务。"


@pytest.fixture
def columns(platform):
    from gongkai.ledger.publishing.demo import _ensure_columns

    return _ensure_columns(platform["shifanxian-sfj"])


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/backoffice/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/backoffice/")


def _open_task(page, base, title):
    page.goto(f"{base}/backoffice/publishing/?tab=tasks")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def _approve(page, *, proofread=True):
    page.get_by_label("通过").check()
    if proofread:
        page.get_by_label(re.compile("已完成本级校对")).check()
    page.get_by_role("button", name=re.compile("提交.*意见")).click()


def test_draft_three_reviews_clearance_portal_and_search(live_server, page, columns):
    base = live_server.url
    # a clerk drafts the item and sends it to review
    _login(page, base, "sfj_clerk")
    page.goto(f"{base}/backoffice/publishing/new/")
    page.get_by_label("栏目").select_option(label="县司法局 · 通知公告")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_role("textbox", name="正文").fill(BODY)  # the rich-text editor's editable area
    page.get_by_label("文号").fill("示司〔2026〕3号")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    page.get_by_role("button", name="送审（提交初审）").click()
    expect(page.get_by_text("已送审，等待初审。")).to_be_visible()

    # first, second and final review, in order, by three people
    for username, level in (
        ("sfj_reviewer", "初审"),
        ("sfj_reviewer2", "复审"),
        ("sfj_head", "终审"),
    ):
        _login(page, base, username)
        _open_task(page, base, TITLE)
        expect(page.get_by_role("heading", name=level, level=3)).to_be_visible()
        _approve(page)
        expect(page.get_by_text(f"{level}：已通过。")).to_be_visible()

    # the confidentiality reviewer clears it, which publishes it
    _login(page, base, "sfj_secrecy")
    _open_task(page, base, TITLE)
    _approve(page, proofread=False)
    expect(page.get_by_text("保密审查：已通过。")).to_be_visible()
    expect(page.locator(".statusline .status")).to_have_text("已发布")

    # the public finds it by a two-character word of its body
    page.context.clear_cookies()
    page.goto(f"{base}/")
    page.get_by_label("搜索政府信息").fill("夜市")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("heading", name="找到 1 条结果")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    metadata = page.locator("table.metadata")
    expect(metadata).to_contain_text("索引号")
    expect(metadata).to_contain_text("11410000MB00000036/")
    expect(metadata).to_contain_text("示司〔2026〕3号")
    expect(page.locator(".article-body")).to_contain_text("夜市法律服务点")
    # keyboard users reach the large-text switch
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))


def test_a_reviewer_cannot_approve_their_own_draft(
    live_server, page, columns, users_with_two_roles
):
    base = live_server.url
    _login(page, base, "sfj_reviewer")
    page.goto(f"{base}/backoffice/publishing/new/")
    page.get_by_label("栏目").select_option(label="县司法局 · 通知公告")
    page.get_by_label("标题").fill("初审人自己起草的信息")
    page.get_by_role("textbox", name="正文").fill("这是一条测试信息。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="送审（提交初审）").click()
    expect(page.get_by_text("已送审，等待初审。")).to_be_visible()
    page.reload()
    expect(page.get_by_text("不能审核本人起草或修改的信息")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("提交.*意见"))).to_have_count(0)


@pytest.fixture
def users_with_two_roles(platform):
    """sfj_reviewer also holds the clerk role, so they can draft."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    get_user_model().objects.get(username="sfj_reviewer").groups.add(
        Group.objects.get(name="经办人")
    )
