"""The two shells in a real browser: staff login, and the portal home page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_logs_into_the_back_office(live_server, platform, page):
    page.goto(f"{live_server.url}/backoffice/")
    assert "登录" in page.title()
    page.get_by_label("用户名").fill("sfj_clerk")
    page.get_by_label("密码").fill("gongkai-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/backoffice/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert "示范县司法局" in page.content()


def test_portal_home_page_lists_agencies(live_server, platform, page):
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="政府信息公开", exact=True).is_visible()
    page.get_by_role("link", name="示范县司法局").click()
    assert page.get_by_role("heading", name="示范县司法局").is_visible()
    # keyboard: the skip link is the first focusable element
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
